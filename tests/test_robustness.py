"""The same bulletin, damaged the way real files damage it, must give the same items."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectiparse.loaders import load
from rectiparse.normalise import normalise
from rectiparse.pipeline import parse, parse_text

SEEDS = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.txt"))


def _key(doc):
    return [(i.id, i.title, i.status, i.status_grade, len(i.measures)) for i in doc.items]


def _wrap(text: str, width: int, blank: bool) -> str:
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(para[i : i + width] for i in range(0, len(para), width))
        if blank:
            out.append("")
    return "\n".join(out)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize(("width", "blank"), [(28, False), (34, False), (40, True), (45, False)])
def test_hard_wrapped_text_gives_the_same_items(seed, width, blank):
    """PDF-to-text and fixed-width pastes cut every line at the same width, headings included."""
    reference = parse(seed)
    wrapped = _wrap(normalise(load(seed)).text, width, blank)
    assert _key(parse_text(wrapped)) == _key(reference)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_pdf_style_spaces_between_characters_give_the_same_items(seed):
    """Some extractors put a space between every CJK character of a line."""
    reference = parse(seed)
    text = normalise(load(seed)).text
    spaced = "\n".join(" ".join(line) if i % 3 == 0 else line for i, line in enumerate(text.split("\n")))
    assert _key(parse_text(spaced)) == _key(reference)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_full_width_and_half_width_punctuation_are_equivalent(seed):
    reference = parse(seed)
    text = normalise(load(seed)).text
    half = text.translate(str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","}))
    full = text.translate(str.maketrans({"(": "（", ")": "）", ":": "：", ",": "，"}))
    for variant in (half, full):
        got = [(i.id, i.status, len(i.measures)) for i in parse_text(variant).items]
        assert got == [(i.id, i.status, len(i.measures)) for i in reference.items]
