"""Segment: ``Text`` → ``Skeleton`` — the section tree and the items, as spans, no values yet.

The rule grammar (``segment.grammar``) decides wherever the bulletin keeps its numbering and labels.
Where it has no answer — numbering lost to OCR or a web editor, labels no rule has seen — the block-role
model (``segment.model``) is asked, if one is installed; every item records which of the two decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rectiparse.normalise import Text
from rectiparse.rules import Rules

Span = tuple[int, int]


@dataclass(eq=False)
class Heading:
    """A numbered heading paragraph: ``一、…``, ``（一）…``, ``1.…`` or ``（1）…``.

    Compared by identity (``eq=False``): two headings are the same node of the tree, never "equal" by value.
    Value equality compared whole subtrees, so every ``h in list`` walked the children recursively — a
    quadratic that made a 6.6 MB bulletin cost 27× a 400 KB one instead of 16×."""

    start: int  # paragraph start
    end: int  # paragraph end
    marker: str  # marker style name from rules/headings.yaml
    marker_span: Span  # the marker as written, e.g. "（一）"
    number: str  # the numeral as written, e.g. "一", "12"
    title_span: Span  # heading text after the marker (up to the first full stop when the body follows)
    level: int = 0
    children: list[Heading] = field(default_factory=list)
    parent: Heading | None = None
    node_end: int = 0  # where this heading's section ends


@dataclass
class SkelMeasure:
    ordinal: int
    marker: str
    marker_span: Span
    span: Span  # the measure's text (after the marker)
    field: str | None = None


@dataclass
class SkelItem:
    kind: str  # problem | suggestion | task
    id: str
    number: str | None
    span: Span
    title_span: Span
    parent_title_span: Span | None = None
    heading: Heading | None = None
    path: list[Heading] = field(default_factory=list)
    category_span: Span | None = None
    status_code: str | None = None
    status_grade: str | None = None
    status_span: Span | None = None  # the status words as written
    status_origin: str | None = None  # "label", "heading", "group"
    fields: dict[str, Span] = field(default_factory=dict)  # opinion / actions / next_steps
    label_spans: dict[str, Span] = field(default_factory=dict)
    measures: list[SkelMeasure] = field(default_factory=list)
    origin: dict[str, str] = field(default_factory=dict)
    decided_by: dict[str, str] = field(default_factory=dict)  # field → named rule of segment/lists.py


@dataclass
class Skeleton:
    text: Text
    headings: list[Heading]  # roots of the section tree
    items: list[SkelItem]
    item_region: Span | None = None  # where the list of items stands
    closing_start: int | None = None  # where the closing boilerplate (下一步…, 欢迎…, signature) begins


def segment(text: Text, rules: Rules, *, use_model: bool = True) -> Skeleton:
    """The prose's items, segmented without the task-table cells the normaliser appends after the body; where
    the prose has none, the rows of those tables (``segment.tables``)."""
    from rectiparse.segment.tables import with_table_items

    return with_table_items(text, rules, _segment_prose(text.body(), rules, use_model=use_model))


def _segment_prose(text: Text, rules: Rules, *, use_model: bool = True) -> Skeleton:
    """The grammar's items and the real-page layouts' (``segment.lists``), merged into one list; where neither
    finds an item, the block-role model is asked.

    The model was trained on bulletins whose problems carry accounts, so its items are kept only where it also
    found what items carry: a status or a labelled account. On a news page or a notice of requirements it
    otherwise reads any paragraph that names a problem as an item.
    """
    from rectiparse.segment.grammar import segment_by_rules
    from rectiparse.segment.lists import merge, propose

    skeleton = segment_by_rules(text, rules)
    proposal = propose(text, rules, skeleton)
    skeleton = merge(skeleton, proposal)
    if use_model and not skeleton.items:
        try:
            from rectiparse.segment import model
        except ImportError:  # model support not installed in this build
            return skeleton
        modelled = model.segment_with_model(text, rules, skeleton)
        if _model_items_stand(text, rules, modelled.items):
            return modelled
    return skeleton


def _model_items_stand(text: Text, rules: Rules, items: list[SkelItem]) -> bool:
    """The model's items are kept where they carry what items carry — a status or a labelled account — or, two
    or more of them, where most read as items in their own words: tasks of a plan, problems wrapped 关于…问题,
    titles that state a shortfall (rules/items.yaml). A lone paragraph naming a problem on a news page is not."""
    if any(i.status_code is not None or i.label_spans for i in items):
        return True
    if len(items) < 2:
        return False
    from rectiparse.segment.lists import reads_as_problem

    readable = sum(i.kind == "task" or reads_as_problem(text, rules, i.title_span) for i in items)
    return readable * 2 >= len(items)
