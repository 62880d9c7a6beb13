"""Extract: ``Skeleton`` → ``Document`` — fill the contract field by field.

Each field comes from a small pure extractor that takes a span of the normalised text and returns typed
values with spans: ``figures`` (amounts, areas, counts), ``dates`` (dates and deadlines), ``units``
(responsible units), ``documents`` (cited 《…》), ``metadata`` (the document's own facts) and
``summary`` (the declared totals). This module only decides *where* each extractor looks and attaches
the results to the item and measure they fall in.
"""

from __future__ import annotations

import bisect
from typing import Literal

from rectiparse import dates
from rectiparse.extract import documents, figures, metadata, units
from rectiparse.extract import summary as summary_mod
from rectiparse.models import (
    Deadline,
    Document,
    DocumentMeta,
    Figure,
    Item,
    Loaded,
    LoadedTable,
    Measure,
    Section,
    Summary,
    Table,
    TableRef,
    Units,
)
from rectiparse.normalise import Text
from rectiparse.rules import Rules
from rectiparse.segment import Heading, Skeleton, SkelItem, Span
from rectiparse.segment.tables import TableItem

# a table cell under a unit header: the role its header gives every name in it (labels.yaml)
_CELL_ROLE: dict[str | None, Literal["lead", "co"]] = {"units_lead": "lead", "units_co": "co"}


def _s(text: Text, span: Span | None) -> str | None:
    return text.text[span[0] : span[1]] if span else None


def _within(figs: list[Figure], starts: list[int], span: Span) -> list[Figure]:
    lo = bisect.bisect_left(starts, span[0])
    out = []
    for f in figs[lo:]:
        if f.span[0] >= span[1]:
            break
        if f.span[1] <= span[1]:
            out.append(f)
    return out


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for n in names:
        if n and n not in seen:
            seen[n] = None
    return list(seen)


class _Context:
    """What the extractors share, computed once a document: the text, all figures, all dates and their year
    context."""

    def __init__(self, text: Text, rules: Rules):
        self.text = text
        self.rules = rules
        self.figures = figures.find_figures(text.text, 0, None, rules)
        self.fig_starts = [f.span[0] for f in self.figures]
        self.dates = dates.find_dates(text.text)  # the one scan for dates: metadata and summary read it too
        # deadlines look forward: one written before any full date takes the year of the text's first one
        first = dates.YearContext(self.dates).first_year
        self.years = dates.YearContext(self.dates, default_year=first)

    def year_before(self, pos: int) -> int | None:
        return self.years.at(pos)

    def deadlines(self, span: Span, *, value: bool = False) -> list[Deadline]:
        """Deadlines in ``span``; ``value``: the span is a table cell under a time-limit header."""
        return dates.find_deadlines(self.text.text, span[0], span[1], default_year=self.year_before(span[0]),
                                    rules=self.rules, value=value)

    def units(self, span: Span, role: Literal["lead", "co"] | None = None) -> tuple[list[str], list[str]]:
        """Units in ``span``; ``role``: the span is a table cell under a unit header of that role."""
        lead: list[str] = []
        co: list[str] = []
        for u in units.find_units(self.text.text, span[0], span[1], self.rules, role=role):
            (lead if u.role == "lead" else co).append(u.name)
        return _dedupe(lead), _dedupe(co)


def _outside(span: Span, inner: list[Span]) -> list[Span]:
    """The parts of ``span`` that no span of ``inner`` covers."""
    out, pos = [], span[0]
    for a, b in sorted(inner):
        if a > pos:
            out.append((pos, min(a, span[1])))
        pos = max(pos, b)
    if pos < span[1]:
        out.append((pos, span[1]))
    return [(a, b) for a, b in out if b > a]


def _rollup_units(names: list[str]) -> list[str]:
    return _dedupe([units.normalise_unit_name(n) for n in names])


def _heading_line(text: Text, h: Heading) -> str:
    return text.text[h.marker_span[0] : h.title_span[1]]


def build_item(ctx: _Context, sk: SkelItem) -> Item:
    text = ctx.text
    measures: list[Measure] = []
    for m in sk.measures:
        lead, co = ctx.units(m.span)
        measures.append(
            Measure(
                ordinal=m.ordinal, marker=m.marker, text=text.text[m.span[0] : m.span[1]],
                units=Units(lead=lead, co=co), deadlines=ctx.deadlines(m.span), span=m.span, field=m.field,
                figures=_within(ctx.figures, ctx.fig_starts, m.span), page=text.page_at(m.span[0]),
            )
        )
    # the item's own lines outside its measures (责任单位：…、完成时限：… after 一是…二是…) count for the item
    rest = _outside(sk.span, [m.span for m in measures]) if measures else [sk.span]
    if isinstance(sk, TableItem):  # a table row: each cell is the value of its column's header, no label written
        cells = [(name, sp) for name, sp in sk.cells if name != "number"]
        rest_units = [ctx.units(sp, _CELL_ROLE.get(name)) for name, sp in cells]
        rest_deadlines = [d for name, sp in cells for d in ctx.deadlines(sp, value=name == "deadline")]
    else:
        rest_units = [ctx.units(sp) for sp in rest]
        rest_deadlines = [d for sp in rest for d in ctx.deadlines(sp)]
    lead = _rollup_units([u for m in measures for u in m.units.lead] + [u for ld, _ in rest_units for u in ld])
    co = _rollup_units([u for m in measures for u in m.units.co] + [u for _, c in rest_units for u in c])
    item_deadlines = sorted([d for m in measures for d in m.deadlines] + rest_deadlines,
                            key=lambda d: d.span or (0, 0))
    spans: dict[str, Span] = {"title": sk.title_span}
    if sk.heading is not None:
        spans["heading"] = (sk.heading.marker_span[0], sk.heading.title_span[1])
        spans["number"] = sk.heading.marker_span
    for key, sp in (("parent_title", sk.parent_title_span), ("status_text", sk.status_span),
                    ("category", sk.category_span)):
        if sp:
            spans[key] = sp
    spans.update(sk.fields)
    category = _s(text, sk.category_span)
    if category:
        from rectiparse.segment.grammar import grammar

        g = grammar(ctx.rules)
        m = g.group_label.match(text.folded, sk.category_span[0], sk.category_span[1])  # type: ignore[index]
        if m and m.end() < sk.category_span[1]:  # type: ignore[index]
            spans["category"] = (m.end(), sk.category_span[1])  # type: ignore[index]
            category = text.text[m.end() : sk.category_span[1]]  # type: ignore[index]
    return Item(
        id=sk.id,
        number=sk.number,
        kind=sk.kind,  # type: ignore[arg-type]
        path=[_heading_line(text, h) for h in sk.path],
        category=category,
        title=text.text[sk.title_span[0] : sk.title_span[1]],
        parent_title=_s(text, sk.parent_title_span),
        status=sk.status_code,  # type: ignore[arg-type]
        status_text=_s(text, sk.status_span),
        status_grade=sk.status_grade,  # type: ignore[arg-type]
        opinion=_s(text, sk.fields.get("opinion")),
        actions=_s(text, sk.fields.get("actions")),
        next_steps=_s(text, sk.fields.get("next_steps")),
        measures=measures,
        units=Units(lead=lead, co=co),
        deadlines=item_deadlines,
        documents=_dedupe(
            [d.title for d in documents.find_documents(text.text, sk.span[0], sk.span[1])]
        ),
        figures=_within(ctx.figures, ctx.fig_starts, sk.span),
        span=sk.span,
        page=text.page_at(sk.span[0]),
        spans=spans,
        origin=dict(sk.origin),  # type: ignore[arg-type]
        decided_by=dict(sk.decided_by),
        table=TableRef(table=sk.table, row=sk.row, columns=dict(sk.columns), page=sk.page)
        if isinstance(sk, TableItem) else None,
    )


def build_sections(text: Text, nodes: list[Heading]) -> list[Section]:
    return [
        Section(
            number=h.number or None,  # an unnumbered status-group line
            title=text.text[h.title_span[0] : h.title_span[1]],
            level=h.level,
            span=(h.start, max(h.end, h.node_end)),
            children=build_sections(text, h.children),
        )
        for h in nodes
    ]


def build_tables(tables: list[LoadedTable], items: list[Item]) -> list[Table]:
    """Loaded tables as contract tables, with their spans where their cells are in the text; a row is linked to
    the item read from it, else to the plan task whose title it names."""
    tasks = [(i.id, _key(i.title)) for i in items if len(_key(i.title)) >= 4]
    read = {(i.table.table, i.table.row): i.id for i in items if i.table is not None}
    out = []
    for ti, t in enumerate(tables):
        if any(k[0] == ti for k in read):
            out.append(_table(t, [read.get((ti, r)) for r in range(len(t.rows))]))
            continue
        row_items: list[str | None] = []
        current: str | None = None
        for row in t.rows:
            hit = None
            for cell in row:
                k = _key(cell or "")
                if len(k) < 4:
                    continue
                hit = next((iid for iid, tk in tasks if k in tk or tk in k), None)
                if hit:
                    break
            # a task's name stands in one (vertically merged) cell: the rows below it are the task's too
            current = hit or current
            row_items.append(current)
        out.append(_table(t, row_items))
    return out


def _table(t: LoadedTable, row_items: list[str | None]) -> Table:
    return Table(title=t.title, page=t.page, columns=t.columns, rows=t.rows, span=t.span, row_items=row_items,
                 column_spans=t.column_spans, cell_spans=t.cell_spans)


def _key(s: str) -> str:
    """A loose matching key: CJK and alphanumerics only, without the leading verb 实施."""
    k = "".join(c for c in s if c.isalnum())
    return k[2:] if k.startswith("实施") else k


def _summary_of_the_list(summary: Summary, skeleton: Skeleton) -> Summary:
    """Read the declared counts against the list they declare.

    A count inside an item's account ("对…反馈的32个问题，…") is that problem's detail, not the bulletin's
    summary. A count of 类 or 方面 whose members are exactly the items found, with no category level between
    ("存在的4类主要问题：一、…；二、…"), counts the problems themselves.
    """
    if summary.span is not None and any(
        sk.title_span[1] <= summary.span[0] < sk.span[1] for sk in skeleton.items
    ):
        return Summary()
    items = skeleton.items
    if (summary.aspects is not None and summary.problems_total is None and items
            and len(items) == summary.aspects and all(sk.category_span is None for sk in items)):
        summary.problems_total, summary.aspects = summary.aspects, None
    return summary


def extract(loaded: Loaded, text: Text, skeleton: Skeleton, rules: Rules) -> Document:
    ctx = _Context(text, rules)
    items = [build_item(ctx, sk) for sk in skeleton.items]
    # the document's own facts are read from its prose: a deadline cell of a task table is no signature date
    body = text.body()
    body_dates = [d for d in ctx.dates if d.span[1] <= text.body_end]
    meta: DocumentMeta = metadata.extract_metadata(body, loaded.metadata, rules, dates=body_dates)
    summary: Summary = _summary_of_the_list(summary_mod.extract_summary(body, rules, dates=body_dates), skeleton)
    if meta.doc_type == "other" and items and all(i.kind == "task" for i in items):
        meta.doc_type = "plan"
    return Document(
        source=loaded.source.model_copy(),
        document=meta,
        summary=summary,
        sections=build_sections(text, skeleton.headings),
        items=items,
        figures=ctx.figures,
        tables=build_tables(text.tables or loaded.tables, items),
        text=text.text,
    )
