"""One Chinese-numeral reader (``rectiparse.numerals``) for headings, counts, figures and dates.

The fast path for small numbers must agree with cn2an wherever it answers; every integer cn2an writes must
read back; 两 and 〇 are spellings of 二 and 零 everywhere; digit-by-digit runs are numbers only for years.
"""

from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectiparse.numerals import (
    chinese_decimal,
    chinese_digits,
    chinese_int,
    numeral_value,
    small_chinese_number,
)

DIGITS = "零一二三四五六七八九"
CANDIDATES = sorted(
    set(DIGITS + "十") | {a + b for a in DIGITS + "十" for b in DIGITS + "十"} | {a + "十" + b for a in DIGITS for b in DIGITS}
)


def test_every_number_from_0_to_99_is_answered_and_matches_cn2an():
    answered = {t: small_chinese_number(t) for t in CANDIDATES if small_chinese_number(t) is not None}
    assert sorted(answered.values()) == list(range(0, 100))
    for t, v in answered.items():
        assert int(cn2an.cn2an(t, "strict")) == v, t


@pytest.mark.parametrize("t", ["一十", "零十", "十零", "二十零", "四五", "一一", "百", "一百", "十十"])
def test_forms_the_fast_path_leaves_to_cn2an(t):
    assert small_chinese_number(t) is None


def test_larger_numbers_go_through_cn2an():
    assert chinese_int("四百一十三") == 413
    assert chinese_int("两亿") == 200_000_000
    assert chinese_int("二十三") == 23


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10**8))
def test_every_integer_cn2an_writes_reads_back(n):
    written = cn2an.an2cn(n)
    assert chinese_int(written) == n
    assert numeral_value(written) == n
    assert chinese_decimal(written) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**8))
def test_zero_written_as_ling_circle_reads_the_same(n):
    written = cn2an.an2cn(n)
    assert chinese_int(written.replace("零", "〇")) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=2, max_value=9999).filter(lambda n: str(n)[0] == "2"))
def test_liang_before_a_unit_reads_as_two(n):
    written = cn2an.an2cn(n)  # 二百… / 二千…
    liang = "两" + written[1:] if written[1:2] in ("百", "千") else written
    assert chinese_int(liang) == n


@pytest.mark.parametrize(
    ("text", "value"),
    [("两", 2), ("两百", 200), ("两千零五", 2005), ("两万两千", 22000), ("二十两", 22), ("一百〇五", 105),
     ("〇", 0), ("千亿", 10**11), ("百", 100), ("十", 10), ("一十", 10)],
)
def test_variant_spellings(text, value):
    assert chinese_int(text) == value


@pytest.mark.parametrize("text", ["四五", "一一", "十四五", "二三", "", "一百零十", "点", "五点"])
def test_malformed_numerals_are_not_numbers(text):
    assert chinese_int(text) is None
    assert chinese_decimal(text) is None


def test_decimals_and_multipliers():
    assert chinese_decimal("零点二九") == Decimal("0.29")
    assert chinese_decimal("一点二亿") == 120_000_000
    assert chinese_decimal("零点二九万") == 2900
    assert chinese_decimal("两点五") == Decimal("2.5")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1900, max_value=2100))
def test_years_read_digit_by_digit(year):
    written = cn2an.an2cn(str(year), "direct")  # 二零二三
    assert chinese_digits(written) == year
    assert chinese_digits(written.replace("零", "〇")) == year
    assert chinese_digits(str(year)) == year


def test_digit_runs_are_not_positional_numerals():
    assert chinese_digits("二〇二三") == 2023
    assert chinese_int("二〇二三") is None
    assert chinese_digits("二十") is None


@pytest.mark.parametrize(
    ("num", "value"),
    [("12", 12), ("①", 1), ("⑳", 20), ("十二", 12), ("两", 2), ("一百零一", 101), ("１２", 12), ("x", None)],
)
def test_heading_numbers_in_every_script(num, value):
    assert numeral_value(num) == value


def test_every_stage_reads_numerals_through_this_module():
    """No stage keeps its own copy (grammar's heading numbers, summary counts, validation's numbering)."""
    from rectiparse.segment import grammar

    assert grammar.numeral_value is numeral_value


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=9999))
def test_numbers_word_renders_read_back(n):
    """Word's automatic numbering (loaders.docx writes it into the text) is read back by the one reader."""
    from rectiparse.loaders.docx import chinese_counting, format_number

    assert numeral_value(chinese_counting(n)) == n
    assert chinese_digits(format_number(n, "ideographDigital")) == n
