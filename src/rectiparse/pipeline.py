"""The pipeline, end to end: one function per entry point, each a straight line through the stages.

With ``-v`` (logger ``rectiparse.pipeline`` at INFO) every stage logs what it found and how long it took, so a
surprising result can be traced to the stage that produced it without a debugger. The messages are only built
when INFO is enabled: ``batch`` pays nothing for them.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from pathlib import Path

from rectiparse.models import Document, Loaded, ValidationIssue
from rectiparse.rules import Rules, load_rules

log = logging.getLogger("rectiparse.pipeline")


class _Stage:
    """Times one stage; logs ``name: what it found (N ms)`` at INFO when it ends."""

    def __init__(self, name: str, doc_name: str):
        self.name, self.doc_name = name, doc_name
        self.on = log.isEnabledFor(logging.INFO)
        self.t0 = time.perf_counter() if self.on else 0.0

    def done(self, found: object) -> None:
        if self.on:
            what = found() if callable(found) else found
            ms = (time.perf_counter() - self.t0) * 1000
            log.info("%s: %s: %s (%.1f ms)", self.doc_name, self.name, what, ms)


def _describe_skeleton(skeleton: object) -> str:
    items = getattr(skeleton, "items", [])
    by = Counter(v for it in items for v in set(getattr(it, "origin", {}).values()))
    origin = ", ".join(f"{k} {n}" for k, n in sorted(by.items())) or "rules"
    return f"{len(items)} item(s), {len(getattr(skeleton, 'headings', []))} top section(s), decided by {origin}"


def _describe_doc(doc: Document) -> str:
    return (f"{doc.document.doc_type or 'type ?'}, {len(doc.items)} item(s), "
            f"{sum(len(i.measures) for i in doc.items)} measure(s), {len(doc.figures)} figure(s), "
            f"{sum(len(i.deadlines) for i in doc.items)} deadline(s), "
            f"summary {'declared' if doc.summary.problems_total is not None else 'not declared'}")


def run(loaded: Loaded, rules: Rules | None = None, *, use_model: bool = True) -> Document:
    """Loaded → Document: normalise, segment, extract, validate."""
    from rectiparse.extract import extract
    from rectiparse.normalise import normalise
    from rectiparse.segment import segment
    from rectiparse.segment.tables import table_notes
    from rectiparse.validate import validate

    name = loaded.source.path or "<input>"
    rules = rules or load_rules()
    st = _Stage("normalise", name)
    text = normalise(loaded, rules)
    st.done(lambda: f"{len(text.text)} characters, {len(text.issues)} note(s) "
                    f"({', '.join(sorted({i.code for i in text.issues})) or 'none'})")
    st = _Stage("segment", name)
    skeleton = segment(text, rules, use_model=use_model)  # a body without items gets its task tables' rows
    st.done(lambda: _describe_skeleton(skeleton))
    extra: list[ValidationIssue] = table_notes(text, skeleton.items)
    if any(i.origin.get("item") == "model" for i in skeleton.items):
        n = sum(i.origin.get("item") == "model" for i in skeleton.items)
        extra.append(ValidationIssue(
            code="model_segmented", severity="info",
            message=f"{n} item(s) found by the block-role model: the rules found no item (numbering or labels unknown)",
            span=skeleton.item_region,
        ))
    st = _Stage("extract", name)
    doc = extract(loaded, text, skeleton, rules)
    st.done(lambda: _describe_doc(doc))
    st = _Stage("validate", name)
    doc = validate(doc, rules, carried=[*loaded.issues, *text.issues, *extra])
    st.done(lambda: ("ok" if doc.validation.ok else "NOT ok") + ", " + (", ".join(
        f"{c} {n}" for c, n in Counter(i.code for i in doc.validation.issues).most_common()) or "no issues"))
    return doc


def parse(
    path: str | Path, *, ocr: bool = True, rules_dir: str | Path | None = None, use_model: bool = True
) -> Document:
    """Parse one bulletin file (txt, pdf, html, docx). Raises ``LoadError`` for unreadable input."""
    from rectiparse.loaders import load

    st = _Stage("load", str(path))
    loaded = load(path, ocr=ocr)
    st.done(lambda: _describe_loaded(loaded))
    return run(loaded, load_rules(rules_dir), use_model=use_model)


def _describe_loaded(loaded: Loaded) -> str:
    s = loaded.source
    pages = f", {s.pages} page(s)" if s.pages else ""
    return (f"{s.format}{pages}, encoding {s.encoding or '-'}, {len(loaded.blocks)} block(s), "
            f"{len(loaded.tables)} table(s){', OCR' if s.ocr else ''}")


def parse_bytes(
    data: bytes, name: str = "<input>", *, ocr: bool = True, rules_dir: str | Path | None = None,
    use_model: bool = True, max_size: int | None = None,
) -> Document:
    """Parse a bulletin held in memory; ``max_size`` caps its size and, for Word files, its unpacked parts."""
    from rectiparse.loaders import load_bytes

    st = _Stage("load", name)
    loaded = load_bytes(data, name, ocr=ocr, max_size=max_size)
    st.done(lambda: _describe_loaded(loaded))
    return run(loaded, load_rules(rules_dir), use_model=use_model)


def parse_text(text: str, name: str = "<text>", *, rules_dir: str | Path | None = None) -> Document:
    """Parse a bulletin already in memory as a string."""
    return parse_bytes(text.encode("utf-8"), name, rules_dir=rules_dir)
