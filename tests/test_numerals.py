"""The cn2an-free fast path for small Chinese numerals agrees with cn2an wherever it answers."""

from __future__ import annotations

import cn2an
import pytest

from rectiparse.extract.figures import parse_chinese_number, small_chinese_number

DIGITS = "零一二三四五六七八九"
CANDIDATES = sorted(
    set(DIGITS + "十") | {a + b for a in DIGITS + "十" for b in DIGITS + "十"} | {a + "十" + b for a in DIGITS for b in DIGITS}
)


def test_every_number_from_1_to_99_is_answered_and_matches_cn2an():
    answered = {t: small_chinese_number(t) for t in CANDIDATES if small_chinese_number(t) is not None}
    assert sorted(answered.values()) == list(range(0, 100))
    for t, v in answered.items():
        assert int(cn2an.cn2an(t, "strict")) == v, t


@pytest.mark.parametrize("t", ["一十", "零十", "十零", "二十零", "四五", "一一", "百", "一百", "十十"])
def test_forms_it_leaves_to_cn2an(t):
    assert small_chinese_number(t) is None


def test_larger_numbers_still_go_through_cn2an():
    assert parse_chinese_number("四百一十三") == 413
    assert parse_chinese_number("两亿") == 200_000_000
    assert parse_chinese_number("二十三") == 23
