"""Validate: cross-check a ``Document`` against itself and record what disagrees.

Pydantic already guarantees types; this stage asks whether the bulletin is consistent: do its declared
totals match the items it lists, does its numbering run without gaps or repeats, does every item have a
known status and some content. It never raises on an inconsistent bulletin — that is a finding, not a
failure. ``summary_mismatch`` is an error (the bulletin's own numbers are wrong); the others are warnings;
loader and normaliser notes (``noise_removed``, ``encoding_fallback``, ``low_text_yield``) ride along.
"""

from __future__ import annotations

from collections import Counter

from rectiparse.models import Document, Section, Span, ValidationIssue
from rectiparse.numerals import numeral_value
from rectiparse.rules import Rules


def _issue(code: str, severity: str, message: str, span: Span | None = None) -> ValidationIssue:
    return ValidationIssue(code=code, severity=severity, message=message, span=span)  # type: ignore[arg-type]


def check_summary(doc: Document) -> list[ValidationIssue]:
    s = doc.summary
    problems = [i for i in doc.items if i.kind in ("problem", "suggestion")] or doc.items
    found = Counter(i.status for i in problems)
    grades: Counter[str] = Counter(i.status_grade for i in problems if i.status == "long_term" and i.status_grade)
    checks: list[tuple[str, int | None, int]] = [
        ("problems_total", s.problems_total, len(problems)),
        ("completed", s.completed, found["completed"]),
        ("basically_completed", s.basically_completed, found["basically_completed"]),
        ("in_progress", s.in_progress, found["in_progress"]),
        ("long_term", s.long_term, found["long_term"]),
        ("not_completed", s.not_completed, found["not_completed"]),
        ("measures_total", s.measures_total, sum(len(i.measures) for i in problems)),
    ]
    checks += [(f"long_term {g}", n, grades[g]) for g, n in s.long_term_by_grade.items()]
    out: list[ValidationIssue] = []
    if not doc.items:
        return out
    for name, declared, actual in checks:
        if declared is not None and declared != actual:
            out.append(
                _issue(
                    "summary_mismatch",
                    "error",
                    f"declared {name} = {declared}, but the bulletin lists {actual}",
                    s.span,
                )
            )
    return out


def _number(num: str | None) -> int | None:
    return numeral_value(num) if num else None


def check_numbering(doc: Document) -> list[ValidationIssue]:
    """Sibling headings of one style should count 1, 2, 3 … without gaps or repeats."""
    out: list[ValidationIssue] = []

    def visit(nodes: list[Section], where: str) -> None:
        groups: dict[str, list[Section]] = {}
        for n in nodes:
            style = "paren" if doc.text[n.span[0] : n.span[0] + 1] in "（(" else "plain"
            kind = "cn" if n.number and not n.number.isdigit() else "digit"
            groups.setdefault(style + kind, []).append(n)
        for sibs in groups.values():
            values = [(_number(n.number), n) for n in sibs]
            seen: dict[int, Section] = {}
            expected = None
            for v, n in values:
                if v is None:
                    continue
                if v in seen:
                    out.append(_issue("numbering_duplicate", "warning",
                                      f"number {n.number} appears twice{where}: “{n.title[:30]}”", n.span))
                elif expected is not None and v > expected:
                    missing = ", ".join(str(x) for x in range(expected, v))
                    out.append(_issue("numbering_gap", "warning",
                                      f"numbering jumps to {n.number}{where} (missing {missing}): “{n.title[:30]}”",
                                      n.span))
                seen[v] = n
                expected = max(expected or 0, v + 1) if expected is not None else v + 1
        for n in nodes:
            visit(n.children, f" under “{n.title[:20]}”")

    visit(doc.sections, "")
    return out


def check_items(doc: Document) -> list[ValidationIssue]:
    out = []
    for it in doc.items:
        if it.status is None and it.status_text:
            out.append(_issue("unknown_status", "warning",
                              f"item {it.id}: status “{it.status_text}” is not in the status vocabulary",
                              it.spans.get("status_text")))
        if not (it.opinion or it.actions or it.next_steps or it.measures) and len(it.title) < 2:
            out.append(_issue("empty_item", "warning", f"item {it.id} has neither a title nor content", it.span))
        elif not (it.opinion or it.actions or it.next_steps or it.measures) and it.kind != "task":
            out.append(_issue("empty_item", "warning", f"item {it.id} “{it.title[:30]}” has no content", it.span))
    return out


def check_spans(doc: Document) -> list[ValidationIssue]:
    """Internal consistency: every extracted string must be what its span marks."""
    out = []
    n = len(doc.text)
    for it in doc.items:
        pairs = [("title", it.title), ("parent_title", it.parent_title), ("status_text", it.status_text),
                 ("opinion", it.opinion), ("actions", it.actions), ("next_steps", it.next_steps)]
        for key, value in pairs:
            sp = it.spans.get(key)
            if value is not None and (sp is None or not 0 <= sp[0] <= sp[1] <= n or doc.text[sp[0]:sp[1]] != value):
                out.append(_issue("span_mismatch", "error", f"item {it.id}: {key} does not match its span", sp))
    for f in doc.figures:
        if doc.text[f.span[0] : f.span[1]] != f.text:
            out.append(_issue("span_mismatch", "error", f"figure {f.text!r} does not match its span", f.span))
    return out


def check_summary_possible(doc: Document) -> list[ValidationIssue]:
    """A declared summary that cannot be true, whatever the items: a part above the total, parts summing past it.

    Such a summary is a misreading (two count blocks mixed, a count of something else taken for a status) or a
    typo in the bulletin; either way it must not pass as valid output. It is checked whether or not items were
    found, unlike ``summary_mismatch``.
    """
    s = doc.summary
    if s.problems_total is None:
        return []
    parts = {k: getattr(s, k) for k in ("completed", "basically_completed", "in_progress", "long_term",
                                        "not_completed")}
    out = []
    for name, n in parts.items():
        if n is not None and n > s.problems_total:
            out.append(_issue("summary_impossible", "error",
                              f"declared {name} = {n} is more than the declared total {s.problems_total}", s.span))
    given = [n for n in parts.values() if n is not None]
    if len(given) >= 2 and sum(given) > s.problems_total:
        out.append(_issue("summary_impossible", "error",
                          f"declared parts sum to {sum(given)}, more than the declared total {s.problems_total}",
                          s.span))
    if s.completion_rate is not None and not 0 <= s.completion_rate <= 100:
        out.append(_issue("summary_impossible", "error", f"completion rate {s.completion_rate}% is not a share",
                          s.span))
    return out


def validate(doc: Document, rules: Rules | None = None, *, carried: list[ValidationIssue] | None = None) -> Document:
    issues = list(carried or [])
    issues += check_summary(doc) + check_summary_possible(doc) + check_numbering(doc) + check_items(doc)
    issues += check_spans(doc)
    doc.validation.issues = issues
    doc.validation.ok = not any(i.severity == "error" for i in issues)
    return doc
