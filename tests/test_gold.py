"""The project's gold tests (issue 2 "Tests"): the five seeds against ``samples/gold``.

One test case per seed and per field group, so a failure says which seed and which kind of fact went wrong, and
lists the disagreements. The comparison rules (NFKC, whitespace-insensitive, titles with a 0.9 similarity, items
aligned in order) are those of ``rectiparse eval`` — tested on their own in ``test_eval.py`` — and every group here
must be exact: no missed value, no extra value. Then a property test: every span in the output points at the
string it claims.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import rectiparse
from rectiparse.evaluate import evaluate_document
from rectiparse.models import Document, DocumentEval
from rectiparse.pipeline import parse_bytes

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
GOLD_FILES = sorted((SAMPLES / "gold").glob("*.gold.json"))

# field group (test id) → the evaluator fields it asserts
GROUPS: dict[str, tuple[str, ...]] = {
    "items": ("items", "kinds"),  # every gold item found, no extra item
    "titles": ("titles",),
    "parent_titles": ("parent_titles",),
    "categories": ("categories",),
    "statuses": ("statuses", "status_text", "status_grade"),
    "measures": ("measures",),
    "fields": ("opinion", "actions", "next_steps"),  # the *_prefix keys
    "figures": ("figures",),
    "units": ("units",),
    "metadata": ("metadata",),
    "summary": ("summary",),
    "validation": ("validation",),
    "noise": ("noise",),
    "tables": ("tables",),
}

# (seed prefix, group) → why it is expected to fail today. Only for facts whose extractor has not landed;
# remove an entry when it does (strict=False, so an early pass does not break the suite).
PENDING: dict[tuple[str, str], str] = {}  # (seed, group) → reason, for a field group not built yet


def gold_of(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def evaluation(gold_name: str) -> DocumentEval:
    """Parse the seed once per test process and score it against its gold."""
    gold = gold_of(SAMPLES / "gold" / gold_name)
    doc = rectiparse.parse(SAMPLES / gold["seed"])
    return evaluate_document(gold, doc.model_dump(mode="json"), name=gold_name)


def cases() -> Iterator[Any]:
    """(gold file, group) for every group the gold file declares (a group the gold never states is not a test)."""
    for path in GOLD_FILES:
        declared = set(evaluate_document(gold_of(path), None).fields)
        for group, fields in GROUPS.items():
            if declared & set(fields):
                seed = path.name[:3]
                marks = []
                if (seed, group) in PENDING:
                    marks.append(pytest.mark.xfail(strict=False, reason=PENDING[(seed, group)]))
                yield pytest.param(path.name, group, id=f"{seed}-{group}", marks=marks)


def test_gold_files_present() -> None:
    assert len(GOLD_FILES) == 5
    for path in GOLD_FILES:
        assert (SAMPLES / gold_of(path)["seed"]).is_file()


@pytest.mark.parametrize(("gold_name", "group"), list(cases()))
def test_seed_matches_gold(gold_name: str, group: str) -> None:
    result = evaluation(gold_name)
    fields = GROUPS[group]
    misses = [m for m in result.misses if m.field in fields]
    report = "\n".join(
        f"  {m.field} {m.kind} {m.key}{' [' + m.item + ']' if m.item else ''}: "
        f"gold={json.dumps(m.gold, ensure_ascii=False)} pred={json.dumps(m.pred, ensure_ascii=False)}"
        for m in misses
    )
    assert not misses, f"{gold_name} {group}: {len(misses)} disagreement(s)\n{report}"
    scored = [result.fields[f] for f in fields if f in result.fields]
    assert scored and all(s.fp == 0 and s.fn == 0 for s in scored)


# --------------------------------------------------------------------------- spans


DATE_META = {"date", "publish_date", "feedback_date", "inspection_period"}


def lookup(data: Any, dotted: str) -> Any:
    """``contacts.phones.0`` → data["contacts"]["phones"][0]."""
    for part in dotted.split("."):
        data = data[int(part)] if isinstance(data, list) else data.get(part)
    return data


def span_claims(doc: Document) -> Iterator[tuple[str, str, str, str]]:
    """(where, claimed string, text[span], how) for every span of a document; how is "equal" or "contains"."""
    text = doc.text

    def at(span: tuple[int, int]) -> str:
        assert 0 <= span[0] <= span[1] <= len(text), f"span {span} outside text of {len(text)}"
        return text[span[0] : span[1]]

    meta = doc.document.model_dump()
    for key, span in doc.document.spans.items():
        if key.split(".")[0] in DATE_META:  # dates are converted to ISO: only the span's bounds are checkable
            assert at(span).strip(), f"document.{key}: empty span"
            continue
        yield f"document.{key}", str(lookup(meta, key)), at(span), "equal"
    if doc.summary.span is not None and doc.summary.text is not None:
        yield "summary", doc.summary.text, at(doc.summary.span), "equal"
    for figure in doc.figures:
        yield "figure", figure.text, at(figure.span), "equal"
    for item in doc.items:
        for key, span in item.spans.items():
            value = getattr(item, key, None)
            if key == "number" and value is not None:
                yield f"item {item.id}.number", value, at(span), "contains"
            elif isinstance(value, str):
                yield f"item {item.id}.{key}", value, at(span), "equal"
        for figure in item.figures:
            yield f"item {item.id} figure", figure.text, at(figure.span), "equal"
        for deadline in item.deadlines:
            if deadline.span is not None:
                yield f"item {item.id} deadline", deadline.text, at(deadline.span), "equal"
        for measure in item.measures:
            yield f"item {item.id} measure {measure.ordinal}", measure.text, at(measure.span), "equal"
            for deadline in measure.deadlines:
                if deadline.span is not None:
                    yield f"item {item.id} measure deadline", deadline.text, at(deadline.span), "equal"
            for figure in measure.figures:
                yield f"item {item.id} measure figure", figure.text, at(figure.span), "equal"


def wrong_spans(doc: Document) -> list[str]:
    bad = []
    for where, claimed, found, how in span_claims(doc):
        ok = claimed in found if how == "contains" else claimed == found
        if not ok:
            bad.append(f"{where}: claims {claimed[:40]!r}, span gives {found[:40]!r}")
    return bad


@cache
def seed_lines(name: str) -> tuple[str, ...]:
    return tuple((SAMPLES / name).read_text(encoding="utf-8").splitlines())


SEED_NAMES = [gold_of(p)["seed"] for p in GOLD_FILES]


@pytest.mark.parametrize("seed", SEED_NAMES)
def test_every_span_of_a_seed_gives_back_its_string(seed: str) -> None:
    doc = rectiparse.parse(SAMPLES / seed)
    claims = list(span_claims(doc))
    assert len(claims) > 20  # the check is not vacuous: items, measures, figures carry spans
    assert wrong_spans(doc) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_spans_hold_on_any_excerpt_of_a_seed(data: st.DataObject) -> None:
    """Any run of lines cut from a seed (items cut in half, headings without bodies, no title) still gives
    spans that point at their strings: span bookkeeping must not depend on a whole, well-formed bulletin."""
    lines = seed_lines(data.draw(st.sampled_from(SEED_NAMES), label="seed"))
    start = data.draw(st.integers(0, len(lines) - 1), label="start")
    length = data.draw(st.integers(1, 80), label="lines")
    excerpt = "\n".join(lines[start : start + length])
    assume(excerpt.strip())  # an empty file is a LoadError by design, tested with the loaders
    doc = parse_bytes(excerpt.encode("utf-8"), "excerpt.txt")
    assert wrong_spans(doc) == []
