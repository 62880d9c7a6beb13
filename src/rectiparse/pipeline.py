"""The pipeline, end to end: one function per entry point, each a straight line through the stages."""

from __future__ import annotations

from pathlib import Path

from rectiparse.models import Document, Loaded, ValidationIssue
from rectiparse.rules import Rules, load_rules


def run(loaded: Loaded, rules: Rules | None = None, *, use_model: bool = True) -> Document:
    """Loaded → Document: normalise, segment, extract, validate."""
    from rectiparse.extract import extract
    from rectiparse.normalise import normalise, with_task_tables
    from rectiparse.segment import segment
    from rectiparse.validate import validate

    rules = rules or load_rules()
    text = normalise(loaded, rules)
    skeleton = segment(text, rules, use_model=use_model)
    extra: list[ValidationIssue] = []
    if not skeleton.items and loaded.tables:  # the problems may be listed only in a table
        tabled = with_task_tables(loaded, rules)
        if tabled is not None:
            loaded, extra = tabled
            text = normalise(loaded, rules)
            skeleton = segment(text, rules, use_model=use_model)
    if any(i.origin.get("item") == "model" for i in skeleton.items):
        n = sum(i.origin.get("item") == "model" for i in skeleton.items)
        extra.append(ValidationIssue(
            code="model_segmented", severity="info",
            message=f"{n} item(s) found by the block-role model: the rules found no item (numbering or labels unknown)",
            span=skeleton.item_region,
        ))
    doc = extract(loaded, text, skeleton, rules)
    return validate(doc, rules, carried=[*loaded.issues, *text.issues, *extra])


def parse(
    path: str | Path, *, ocr: bool = True, rules_dir: str | Path | None = None, use_model: bool = True
) -> Document:
    """Parse one bulletin file (txt, pdf, html, docx). Raises ``LoadError`` for unreadable input."""
    from rectiparse.loaders import load

    return run(load(path, ocr=ocr), load_rules(rules_dir), use_model=use_model)


def parse_bytes(
    data: bytes, name: str = "<input>", *, ocr: bool = True, rules_dir: str | Path | None = None,
    use_model: bool = True, max_size: int | None = None,
) -> Document:
    """Parse a bulletin held in memory; ``max_size`` caps its size and, for Word files, its unpacked parts."""
    from rectiparse.loaders import load_bytes

    return run(load_bytes(data, name, ocr=ocr, max_size=max_size), load_rules(rules_dir), use_model=use_model)


def parse_text(text: str, name: str = "<text>", *, rules_dir: str | Path | None = None) -> Document:
    """Parse a bulletin already in memory as a string."""
    return parse_bytes(text.encode("utf-8"), name, rules_dir=rules_dir)
