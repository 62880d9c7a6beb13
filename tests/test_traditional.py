"""A bulletin in traditional characters (a Big5 file, a Hong Kong mirror) parses like its simplified original."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectiparse.normalise import to_simplified
from rectiparse.pipeline import parse, parse_bytes

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def s2t():
    opencc = pytest.importorskip("opencc")
    return opencc.OpenCC("s2t").convert


@pytest.mark.parametrize("stem", ["002_056a472a98951650", "004_dd361c94b27cbe2f"])
def test_big5_traditional_copy_gives_the_same_items(stem, s2t):
    original = parse(SAMPLES / f"{stem}.txt")
    traditional = s2t((SAMPLES / f"{stem}.txt").read_text(encoding="utf-8"))
    try:
        data, encoding = traditional.encode("big5"), "big5"
    except UnicodeEncodeError:  # a character Big5 lacks: the file would be UTF-8 then
        data, encoding = traditional.encode("utf-8"), "utf-8"
    doc = parse_bytes(data, f"{stem}.txt")
    assert doc.source.encoding.replace("-", "").lower().startswith(encoding.replace("-", ""))
    assert [(i.id, i.status, i.status_grade) for i in doc.items] == [
        (i.id, i.status, i.status_grade) for i in original.items
    ]
    same = sum(a.title == b.title for a, b in zip(doc.items, original.items, strict=True))
    assert same >= 0.9 * len(original.items)  # 干/幹/乾 and friends do not all round-trip
    assert [f.value for f in doc.figures] == [f.value for f in original.figures]
    assert doc.summary.model_dump(exclude={"text", "span"}) == original.summary.model_dump(exclude={"text", "span"})
    [note] = [i for i in doc.validation.issues if i.code == "script_converted"]
    assert note.severity == "info"
    for item in doc.items:
        assert doc.text[item.spans["title"][0] : item.spans["title"][1]] == item.title


def test_a_simplified_text_with_a_few_traditional_characters_is_left_alone():
    text = "关于“著作权保护不到位”问题的整改情况。乾隆年间的碑刻已修复，已完成整改。" * 3
    assert to_simplified(text) == (text, 0)
    assert to_simplified("關於巡察整改進展情況的通報") == ("关于巡察整改进展情况的通报", 5)
