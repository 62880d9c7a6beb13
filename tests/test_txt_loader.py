"""Plain-text loading: encodings are detected, recorded and never silently mangled."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectiparse.loaders import LoadError, load, load_bytes
from rectiparse.pipeline import parse

SEED = Path(__file__).resolve().parents[1] / "samples" / "002_056a472a98951650.txt"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
     ("utf-16", "utf-16")],
)
def test_seed_in_other_encodings_parses_to_the_same_items(tmp_path, encoding, expected):
    text = SEED.read_text(encoding="utf-8")
    f = tmp_path / f"seed.{encoding}.txt"
    f.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    doc = parse(f)
    ref = parse(SEED)
    assert doc.source.encoding == expected
    assert [(i.id, i.title, i.status) for i in doc.items] == [(i.id, i.title, i.status) for i in ref.items]
    assert "\r" not in doc.text


def test_big5_text_is_detected(tmp_path):
    text = "關於巡察整改情況的通報\n一、整改落實情況\n（一）關於“制度不健全”問題，已完成整改。\n整改情況：已經出台管理辦法並嚴格執行。\n"
    f = tmp_path / "big5.txt"
    f.write_bytes((text * 3).encode("big5"))
    loaded = load(f)
    assert loaded.source.encoding in ("big5", "big5hkscs", "cp950")
    assert "整改落實情況" in loaded.text
    assert any(i.code == "encoding_fallback" for i in loaded.issues)


def test_undecodable_bytes_raise_a_clear_error():
    junk = bytes(range(128, 256)) * 40
    with pytest.raises(LoadError) as exc:
        load_bytes(junk, "junk.txt")
    assert "junk.txt" in str(exc.value)
