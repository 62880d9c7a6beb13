"""``rectiparse show FILE -o view.html``: one bulletin as an annotated, self-contained HTML page.

People check an extraction by looking at it, so the page shows the normalised text itself with every extracted
thing highlighted where it was found — item headings and titles, status tags coloured by code, figures, units,
deadlines, cited documents, metadata — next to a sidebar of the items (with status, and page for PDFs) that jumps
to each one, and the validation issues on top (declared vs found counts side by side for ``summary_mismatch``).

Highlights come from spans, and spans overlap (a figure inside a title inside a heading, a unit inside a measure,
a validation issue across several of them). The markup is therefore built from a sorted list of span boundaries:
at each boundary the tags that end are closed — closing and reopening any tag opened inside them — and the tags that
start are opened, longest first. Every tag is closed within its paragraph, so the output is always well nested
whatever the spans. Things the contract lists without a span (units, cited documents) are located by searching for
them inside their item.

This module decides *what* is shown — marks, the order of tags, which rows and issues — and hands it to
``templates/show.html.j2`` (and ``show_text.html.j2`` for the text), which decide how it is written, with
autoescape on: no value from a document ever reaches the page unescaped, because no HTML is assembled here.

Top-level imports stay light (stdlib + pydantic): the CLI imports this module to build ``--help``.
"""

from __future__ import annotations

import argparse
import bisect
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectiparse.models import Deadline, Document, Item
from rectiparse.view._common import (
    STATUS,
    STATUS_ORDER,
    environment,
    fmt_num,
    stacked_chart,
    status_key,
    status_label,
)

EXIT_OK, EXIT_INVALID, EXIT_INPUT = 0, 1, 2

# highlight family → (legend label, swatch colour); the family is also the CSS class suffix (.hl-<family>)
LEGEND: dict[str, tuple[str, str]] = {
    "title": ("item title", "#3b6ea8"),
    "status": ("status", "#2e7d32"),
    "marker": ("measure marker", "#8e24aa"),
    "figure": ("figure", "#f0b400"),
    "unit": ("unit", "#00897b"),
    "deadline": ("deadline", "#d81b60"),
    "doc": ("cited document", "#5e35b1"),
    "meta": ("metadata", "#689f38"),
    "issue": ("validation issue", "#e53935"),
}

# nesting preference when two marks share both ends: lower opens first (outside)
_PRIO = {"issue": 0, "summary": 1, "heading": 2, "meta": 3, "parent": 4, "title": 4, "number": 4, "status": 4,
         "marker": 5, "doc": 5, "unit": 6, "deadline": 6, "figure": 7}

_LEAD_WORDS = ("牵头单位", "责任单位", "主责单位", "牵头部门", "责任部门", "牵头")
_CO_WORDS = ("协同单位", "配合单位", "协办单位", "参与单位", "配合部门", "协同", "配合")
_FIELD_NAMES = {"title": "title", "doc_type": "type", "issuer": "issuer", "date": "date",
                "publish_date": "published", "doc_number": "document number", "index_number": "index number",
                "inspector": "inspector", "inspection_period": "inspection period",
                "feedback_date": "feedback date", "source_report": "source report"}


@dataclass(frozen=True)
class Mark:
    """One highlight: a half-open span of ``Document.text``, its family and its tag attributes."""

    start: int
    end: int
    family: str
    classes: str
    tip: str | None = None
    data: tuple[tuple[str, str], ...] = ()  # (name, value) → data-name="value"


@dataclass(frozen=True)
class ItemTag:
    """Zero-width insertion at an item's start: the anchor the sidebar jumps to and the visible "id · p.N" tag."""

    n: int
    id: str
    status: str
    label: str
    page: int | None


# one piece of a paragraph, in document order (see show_text.html.j2): ("text", str), ("open", Mark),
# ("close", None), ("item", ItemTag) or ("issue", issue number)
Token = tuple[str, Any]


@dataclass(frozen=True)
class Para:
    """One line of the text: where it starts, the item it belongs to (with that item's status key) and its tokens."""

    offset: int
    owner: int | None
    status: str | None
    empty: bool
    tokens: list[Token]


# --------------------------------------------------------------------------- locating marks


def _find_all(text: str, needle: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out, i = [], text.find(needle, lo, hi) if needle else -1
    while i >= 0:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + len(needle), hi)
    return out


def _unit_role(text: str, at: int, lo: int, lead: set[str], co: set[str], name: str) -> str:
    """lead or co: from the unit lists, else from whichever label (牵头/责任 vs 协同/配合) comes last before it."""
    if name in lead and name not in co:
        return "lead"
    if name in co and name not in lead:
        return "co"
    before = text[lo:at]
    last_lead = max((before.rfind(w) for w in _LEAD_WORDS), default=-1)
    last_co = max((before.rfind(w) for w in _CO_WORDS), default=-1)
    return "co" if last_co > last_lead else "lead"


def _item_marks(doc: Document, item: Item, n: int) -> list[Mark]:
    text, out = doc.text, []
    st = status_key(item.status)
    sp = item.spans
    if "heading" in sp:
        out.append(Mark(*sp["heading"], "heading", "hl-heading", data=(("item", str(n)),)))
    if "number" in sp:
        out.append(Mark(*sp["number"], "number", "hl-number"))
    if "title" in sp:
        out.append(Mark(*sp["title"], "title", "hl-title", f"item {item.id} · title"))
    if "parent_title" in sp:
        out.append(Mark(*sp["parent_title"], "parent", "hl-parent", f"item {item.id} · parent title"))
    if "status_text" in sp:
        tip = f"status: {item.status or 'unknown'}" + (f" ({item.status_grade})" if item.status_grade else "")
        out.append(Mark(*sp["status_text"], "status", f"hl-status st-{st}", tip, (("status", st),)))

    lo, hi = item.span
    for m in item.measures:
        s = m.span[0]
        if m.marker and text[max(0, s - len(m.marker)) : s] == m.marker:
            out.append(Mark(s - len(m.marker), s, "marker", "hl-marker", f"measure {m.ordinal} ({m.field or ''})"))
        elif m.marker and text.startswith(m.marker, s):
            out.append(Mark(s, s + len(m.marker), "marker", "hl-marker", f"measure {m.ordinal} ({m.field or ''})"))

    # cited documents: 《title》 wherever it occurs inside the item
    for title in dict.fromkeys(item.documents):
        spots = _find_all(text, f"《{title}》", lo, hi) or _find_all(text, title, lo, hi)
        out += [Mark(a, b, "doc", "hl-doc", f"cited document: {title}") for a, b in spots]

    # units: every occurrence inside the item, longest names first so 市自然资源和规划局 wins over 自然资源和规划局
    lead = set(item.units.lead) | {u for m in item.measures for u in m.units.lead}
    co = set(item.units.co) | {u for m in item.measures for u in m.units.co}
    taken: list[tuple[int, int]] = []
    for name in sorted(lead | co, key=len, reverse=True):
        for a, b in _find_all(text, name, lo, hi):
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            role = _unit_role(text, a, lo, lead, co, name)
            label = "lead unit" if role == "lead" else "co-operating unit"
            out.append(Mark(a, b, "unit", f"hl-unit unit-{role}", f"{label}: {name}"))
    return out


def collect_marks(doc: Document) -> list[Mark]:
    """Every highlight of the document, clipped to the text, duplicates (same span and family) dropped."""
    text = doc.text
    marks: list[Mark] = []
    for n, item in enumerate(doc.items):
        marks += _item_marks(doc, item, n)

    figures = {(f.span, f.text): f for f in doc.figures}
    for item in doc.items:
        for f in item.figures:
            figures.setdefault((f.span, f.text), f)
        for measure in item.measures:
            for f in measure.figures:
                figures.setdefault((f.span, f.text), f)
    for f in figures.values():
        tip = f"{f.kind}: {'≈' if f.approx else ''}{fmt_num(f.value)} {f.unit}"
        marks.append(Mark(*f.span, "figure", f"hl-figure fig-{f.kind}", tip, (("value", str(f.value)),)))

    deadlines: dict[tuple[int, int], Deadline] = {}
    for item in doc.items:
        for d in [*item.deadlines, *(d for ms in item.measures for d in ms.deadlines)]:
            if d.span:
                deadlines.setdefault(d.span, d)
    for span, d in deadlines.items():
        marks.append(Mark(*span, "deadline", "hl-deadline", f"deadline: {d.date or 'open-ended'}"))

    for field, span in doc.document.spans.items():
        value = getattr(doc.document, field, None)
        dump = getattr(value, "model_dump_json", None)
        shown = dump() if dump is not None else value
        marks.append(Mark(*span, "meta", "hl-meta", f"{_FIELD_NAMES.get(field, field)}: {shown}"))
    if doc.summary.span:
        marks.append(Mark(*doc.summary.span, "summary", "hl-summary", "the bulletin's own summary counts"))
    for k, issue in enumerate(doc.validation.issues):
        if issue.span and issue.span[1] > issue.span[0] and issue.severity != "info":
            marks.append(Mark(*issue.span, "issue", f"hl-issue sev-{issue.severity}",
                              f"{issue.code}: {issue.message}", (("issue", str(k)),)))

    out: list[Mark] = []
    seen: set[tuple[int, int, str, str]] = set()
    n = len(text)
    for mk in marks:
        a, b = max(0, mk.start), min(n, mk.end)
        if a >= b:
            continue
        key = (a, b, mk.family, mk.classes)
        if key in seen:
            continue
        seen.add(key)
        out.append(mk if (a, b) == (mk.start, mk.end) else Mark(a, b, mk.family, mk.classes, mk.tip, mk.data))
    return out


# --------------------------------------------------------------------------- rendering the text


def line_tokens(text: str, lo: int, hi: int, marks: list[Mark], points: dict[int, list[Token]]) -> list[Token]:
    """Tokens of ``text[lo:hi]`` with ``marks`` (already clipped to it) as properly nested spans.

    Boundaries are visited in order; at each one, tags ending there are closed — any tag opened inside them is
    closed too and reopened right after — then tags starting there are opened, outermost (longest) first.
    ``points`` are zero-width insertions (anchors) by offset. The template writes the tags; the nesting is
    decided here, where it can be tested without HTML.
    """
    bounds = sorted({lo, hi, *(m.start for m in marks), *(m.end for m in marks), *points})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    stack: list[Mark] = []
    out: list[Token] = []
    for k, b in enumerate(bounds):
        if any(m.end <= b for m in stack):
            reopen: list[Mark] = []
            while any(m.end <= b for m in stack):
                m = stack.pop()
                out.append(("close", None))
                if m.end > b:
                    reopen.append(m)
            for m in reversed(reopen):
                out.append(("open", m))
                stack.append(m)
        out.extend(points.get(b, ()))
        for m in sorted(starts.get(b, ()), key=lambda m: (-m.end, _PRIO.get(m.family, 9))):
            out.append(("open", m))
            stack.append(m)
        if k + 1 < len(bounds):
            out.append(("text", text[b : bounds[k + 1]]))
    out.extend(("close", None) for _ in stack)
    return out


def text_paragraphs(doc: Document) -> list[Para]:
    """The normalised text as one paragraph per line, highlights in place, an anchor at each item's start."""
    text = doc.text
    marks = sorted(collect_marks(doc), key=lambda m: m.start)
    points: dict[int, list[Token]] = {}
    for n, item in enumerate(doc.items):
        tag = ItemTag(n, item.id, status_key(item.status), status_label(item.status), item.page)
        points.setdefault(max(0, min(item.span[0], len(text))), []).append(("item", tag))
    for k, issue in enumerate(doc.validation.issues):
        if issue.span and issue.severity != "info":
            points.setdefault(max(0, min(issue.span[0], len(text))), []).insert(0, ("issue", k))

    by_start = sorted((it.span[0], n) for n, it in enumerate(doc.items))
    starts = [s for s, _ in by_start]
    paras: list[Para] = []
    active: list[Mark] = []
    lo = j = 0
    for line in text.split("\n"):
        hi = lo + len(line)
        while j < len(marks) and marks[j].start < hi:
            active.append(marks[j])
            j += 1
        active = [m for m in active if m.end > lo]
        clipped = [m if lo <= m.start and m.end <= hi else
                   Mark(max(m.start, lo), min(m.end, hi), m.family, m.classes, m.tip, m.data) for m in active]
        line_points = {p: v for p, v in points.items() if lo <= p <= hi}
        # the item this paragraph belongs to: the one containing its start, else one starting inside it
        k = bisect.bisect_right(starts, lo) - 1
        owner = by_start[k][1] if k >= 0 and lo < doc.items[by_start[k][1]].span[1] else None
        if owner is None and k + 1 < len(starts) and starts[k + 1] < hi:
            owner = by_start[k + 1][1]
        status = status_key(doc.items[owner].status) if owner is not None else None
        paras.append(Para(lo, owner, status, not line, line_tokens(text, lo, hi, clipped, line_points)))
        lo = hi + 1
    return paras


def render_text(doc: Document) -> str:
    """HTML of the text alone (one ``<p>`` per line, joined by newlines): what ``render`` puts in its article."""
    return environment().get_template("show_text.html.j2").render(paras=text_paragraphs(doc))


# --------------------------------------------------------------------------- page parts


def summary_rows(doc: Document) -> list[tuple[str, int | None, int]]:
    """(field, declared, found) for every count the summary may declare — the same comparison as the validator's
    ``summary_mismatch`` check (problems and suggestions count; a plan without them counts its tasks)."""
    s = doc.summary
    problems = [i for i in doc.items if i.kind in ("problem", "suggestion")] or doc.items
    found = Counter(i.status for i in problems)
    grades: Counter[str] = Counter(i.status_grade for i in problems if i.status == "long_term" and i.status_grade)
    rows: list[tuple[str, int | None, int]] = [
        ("problems_total", s.problems_total, len(problems)),
        *((code, getattr(s, code), found[code]) for code in
          ("completed", "basically_completed", "in_progress", "long_term", "not_completed")),
        ("adopted", None, found["adopted"]),
        ("no status", None, found[None]),
        ("measures_total", s.measures_total, sum(len(i.measures) for i in problems)),
    ]
    rows += [(f"long_term {g}", n, grades[g]) for g, n in s.long_term_by_grade.items()]
    return rows


def meta_rows(doc: Document) -> list[tuple[str, str]]:
    """(label, value) of the document's metadata and source, the empty ones left out."""
    m, s = doc.document, doc.source
    rows: list[tuple[str, str | None]] = [
        ("type", m.doc_type), ("issuer", m.issuer), ("date", m.date), ("published", m.publish_date),
        ("document number", m.doc_number), ("index number", m.index_number), ("inspector", m.inspector),
        ("inspection period", f"{m.inspection_period.start or '?'} – {m.inspection_period.end or '?'}"
         if m.inspection_period else None),
        ("feedback date", m.feedback_date),
        ("source report", " ".join(x for x in (m.source_report.title, m.source_report.doc_number) if x)
         if m.source_report else None),
        ("source", f"{s.path or '?'} ({s.format}" + (f", {s.pages} pages" if s.pages else "")
         + (", OCR" if s.ocr else "") + ")"),
        ("sha256", s.sha256),
    ]
    return [(k, v) for k, v in rows if v]


def _status_bar(doc: Document) -> str:
    counts = Counter(i.status for i in doc.items)
    if not doc.items:
        return ""
    series = [(status_key(c), STATUS[c][0] + f" {c or 'none'}", STATUS[c][1]) for c in STATUS_ORDER]
    row = {status_key(c): n for c, n in counts.items()}
    return stacked_chart("chart-status", f"{len(doc.items)} items by status", [("items", row)], series)


@dataclass(frozen=True)
class ItemLink:
    """A table row's item: its id, and its number in ``doc.items`` when it is one of them (a link target)."""

    id: str | None
    n: int | None


@dataclass(frozen=True)
class TableView:
    """A table of the bulletin as shown: header, caption, rows padded or cut to the header's width."""

    columns: list[tuple[str, str]]
    caption: str
    linked: bool
    rows: list[tuple[ItemLink | None, list[str | None]]]


def table_views(doc: Document) -> list[TableView]:
    """The bulletin's tables; rows linked to an item get a first column that jumps to it."""
    index: dict[str, int] = {}
    for n, item in enumerate(doc.items):
        index.setdefault(item.id, n)
    out = []
    for t, tab in enumerate(doc.tables):
        width = len(tab.columns) or max((len(r) for r in tab.rows), default=1)
        cols = [(c or "", "text") for c in tab.columns] or [("", "text")] * width
        linked = bool(tab.row_items)
        rows: list[tuple[ItemLink | None, list[str | None]]] = []
        for r, row in enumerate(tab.rows):
            cells = [*row, *([None] * (width - len(row)))][:width]
            link = None
            if linked:
                iid = tab.row_items[r] if r < len(tab.row_items) else None
                link = ItemLink(iid, index.get(iid) if iid is not None else None)
            rows.append((link, cells))
        cap = (tab.title or f"table {t + 1}") + (f" (p.{tab.page})" if tab.page else "")
        out.append(TableView([("item", "text"), *cols] if linked else cols, cap, linked, rows))
    return out


def render(doc: Document) -> str:
    """The whole page for one document (``templates/show.html.j2``)."""
    from markupsafe import Markup

    title = doc.document.title or (Path(doc.source.path).name if doc.source.path else "bulletin")
    issues = list(enumerate(doc.validation.issues))
    return environment().get_template("show.html.j2").render(
        doc=doc, title=title, legend=LEGEND, meta_rows=meta_rows(doc),
        # SVG built by _common's chart kit, which escapes every value it prints
        status_chart=Markup(_status_bar(doc)),
        counts=Counter(i.severity for _, i in issues),
        shown_issues=[(k, i) for k, i in issues if i.severity != "info"],
        info_issues=[(k, i) for k, i in issues if i.severity == "info"],
        compare=[r for r in summary_rows(doc) if r[1] is not None or r[2]],
        status_codes=[code for code in STATUS if code],
        # JSON extracted with --no-text has nothing to highlight: the template lists the items instead
        paras=text_paragraphs(doc) if doc.text else None,
        tables=table_views(doc),
    )


# --------------------------------------------------------------------------- CLI


def load_document(path: str | Path, *, ocr: bool = True, rules_dir: str | None = None,
                  use_model: bool = True, pick: str | None = None) -> Document:
    """What ``show`` displays, from any of the things a user has at hand: a bulletin (parsed now), JSON from
    ``rectiparse extract`` (pretty or not), a ``documents.jsonl`` or the batch output folder holding it (one
    document chosen with ``pick``), or ``-`` for standard input. JSON is recognised by its content, not its
    name, so a JSONL file is never parsed as if it were a bulletin."""
    from rectiparse.loaders import LoadError, read_file

    if str(path) == "-":
        data, name = sys.stdin.buffer.read(), "<stdin>"
    else:
        p = Path(path)
        if p.is_dir():
            if not (p / "documents.jsonl").is_file():
                raise LoadError(p, "is a folder without documents.jsonl (not a `rectiparse batch` output)")
            p = p / "documents.jsonl"
        # a regular file only (a FIFO would hang); a batch output may be larger than one bulletin's size limit
        big = Path(path).is_dir() and p.is_file()
        data, name = read_file(p, max_size=p.stat().st_size + 1 if big else None), str(p)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return _json_document(data, name, pick)
    if pick is not None:
        raise LoadError(name, "--doc chooses among the documents of a JSONL file; this is a single bulletin")
    from rectiparse.pipeline import parse_bytes

    return parse_bytes(data, name, ocr=ocr, rules_dir=rules_dir, use_model=use_model)


def _json_document(data: bytes, name: str, pick: str | None) -> Document:
    """One document of contract JSON (a whole file) or of JSONL (one per line, chosen by ``pick``: a 1-based
    line number, a sha256 prefix, or a path or part of one)."""
    import json

    from rectiparse.loaders import LoadError

    text = data.decode("utf-8-sig")
    lines = [(no, ln) for no, ln in enumerate(text.splitlines(), 1) if ln.strip()]
    try:
        jsonl = len(lines) > 1 and isinstance(json.loads(lines[0][1]), dict)  # pretty JSON's first line is "{"
    except ValueError:
        jsonl = False
    if not jsonl:
        return Document.model_validate_json(text)
    if pick is None:
        raise LoadError(name, f"holds {len(lines)} documents: choose one with --doc "
                              "(line number, sha256 prefix or path)")
    for no, line in lines:
        if pick.isdigit() and int(pick) == no:
            return Document.model_validate_json(line)
        if not pick.isdigit() and pick in line:
            doc = Document.model_validate_json(line)
            src = doc.source
            if (src.sha256 or "").startswith(pick) or pick in (src.path or ""):
                return doc
    raise LoadError(name, f"no document matches --doc {pick!r}")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="bulletin (.txt .pdf .html .docx), JSON from `rectiparse extract`, a documents.jsonl "
                                "or batch output folder (with --doc), or - for standard input")
    p.add_argument("--doc", metavar="KEY", help="which document of a JSONL file or batch folder: line number, "
                                                "sha256 prefix or path")
    p.add_argument("-o", "--output", metavar="HTML", help="write the page here (default: standard output)")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR image-only PDF pages")
    p.add_argument("--no-model", action="store_true", help="rules only: do not use the block-role model")
    p.add_argument("--rules", metavar="DIR", help="folder of rule files laid over the shipped ones")


def run(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from rectiparse.loaders import LoadError
    from rectiparse.rules import RulesError

    try:
        doc = load_document(args.file, ocr=not args.no_ocr, rules_dir=args.rules, use_model=not args.no_model,
                            pick=args.doc)
    except (LoadError, OSError, UnicodeDecodeError) as exc:
        print(f"rectiparse show: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except RulesError as exc:
        print(f"rectiparse show: error in rules: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ValidationError as exc:
        print(f"rectiparse show: error: {args.file} is not rectiparse JSON: {exc.error_count()} error(s)",
              file=sys.stderr)
        return EXIT_INPUT
    html_text = render(doc)
    if args.output and args.output != "-":
        from rectiparse.cli import write_output

        if problem := write_output(args.output, html_text, make_parents=True):
            print(f"rectiparse show: error: {problem}", file=sys.stderr)
            return EXIT_INPUT
    else:
        sys.stdout.write(html_text)
    return EXIT_INVALID if any(i.severity == "error" for i in doc.validation.issues) else EXIT_OK
