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
    decided_by: dict[str, str] = field(default_factory=dict)  # what → the named rule that decided it
    proposer: str = "rule"  # who proposed it: "rule" (the grammar), "lists" (segment.lists) or "model"


@dataclass
class Candidate:
    """What a proposer read in a heading that makes it an item: its kind, how sure, its title (and an outer
    problem's title, a status clause on the heading) and the named rule that decided it."""

    heading: Heading
    kind: str  # problem | suggestion | task
    strength: str  # strong | weak: a weak candidate inside a strong one is part of it, not an item
    title_span: Span
    parent_span: Span | None
    status_span: Span | None
    group_label: bool = False  # a 反馈问题：X style label: as a group, its title is the category
    by_labels: bool = False  # an item only because its body carries field labels or opens with a status
    rule: str = "problem_heading"  # the named rule that decided it (recorded in ``SkelItem.decided_by``)


@dataclass
class BlockRole:
    """A paragraph with the role a proposer gave it (the model's ``status_line``, ``opinion``, ``measure``…)."""

    start: int
    end: int
    role: str


@dataclass
class ItemRole:
    """One block proposed as an item — by the grammar or the model — and what the decoder needs to build it.

    Both proposers hand the decoder (``segment.decode``) the same thing, so an item's title, status, fields and
    measures are read by one builder whoever found it; ``proposer`` is kept in ``SkelItem.origin``."""

    candidate: Candidate
    groups: list[tuple[Heading, Candidate | None]]  # the enclosing headings, outermost first
    proposer: str = "rule"  # "rule" (the grammar) or "model"
    body: list[BlockRole] = field(default_factory=list)  # the model's roles for the paragraphs under it
    index: int = 0  # its place among the proposer's items (an id for an unnumbered heading)


@dataclass
class EntryRole:
    """An entry of a real page's list that ``segment.lists`` decided is an item — a marker chain's entry, a
    problem under a label, a reporter line: where it stands, its title, the named rule that decided it, and the
    entries or units above it. The decoder builds it (``decode.build_entry``)."""

    span: Span
    title_span: Span
    rule: str
    number: str | None = None
    heading: Heading | None = None
    path: list[Heading] = field(default_factory=list)
    index: str = "1"


@dataclass
class Skeleton:
    text: Text
    headings: list[Heading]  # roots of the section tree
    items: list[SkelItem]
    item_region: Span | None = None  # where the list of items stands
    closing_start: int | None = None  # where the closing boilerplate (下一步…, 欢迎…, signature) begins


def segment(text: Text, rules: Rules, *, use_model: bool = True) -> Skeleton:
    """Proposals, one decoder, one reconciliation, in this order:

    1. the grammar proposes its numbered headings as items (``grammar.propose``) and the decoder builds them;
    2. the real-page layouts (``segment.lists``) propose what the grammar cannot see — lists run into a
       sentence, problem labels, notices, flattened tables — and ``lists.merge`` reconciles the two by its
       named rules;
    3. only where neither found an item, the block-role model proposes paragraph roles and the same decoder
       builds its items, which stand only where they carry what items carry (``_model_items_stand``);
    4. where the body has no item at all, the rows of its task tables (``segment.tables``), each item pointing
       at its cells.

    Steps 1–3 read the body only: the task-table cells the normaliser appends after it are not prose.
    """
    from rectiparse.segment.tables import with_table_items

    return with_table_items(text, rules, _segment_prose(text.body(), rules, use_model=use_model))


def _segment_prose(text: Text, rules: Rules, *, use_model: bool = True) -> Skeleton:
    """Steps 1–3 of ``segment``: the grammar's and the list layer's items, else the model's."""
    from rectiparse.segment.lists import merge, propose

    skeleton = segment_by_rules(text, rules)
    skeleton = merge(skeleton, propose(text, rules, skeleton))
    if use_model and not skeleton.items:
        modelled = segment_by_model(text, rules, skeleton)
        if modelled is not None and _model_items_stand(text, rules, modelled.items):
            return modelled
    return skeleton


def segment_by_model(text: Text, rules: Rules, skeleton: Skeleton, paras: list | None = None  # type: ignore[type-arg]
                     ) -> Skeleton | None:
    """The model's proposal, decoded by the same decoder as the grammar's; None without a model.

    ``paras``: paragraph roles given (``model.Para``), for tests of the decoding alone."""
    from rectiparse.segment import decode

    try:
        from rectiparse.segment import model
    except ImportError:  # model support not installed in this build
        return None
    if paras is None:
        paras = model.paragraph_roles(text, rules)
        if paras is None:
            return None
    modelled, roles = model.propose(text, rules, skeleton, paras)
    return decode.decode(text, rules, roles, modelled) if roles else None


def segment_by_rules(text: Text, rules: Rules) -> Skeleton:
    """The grammar's proposal, decoded: the section tree and the items of the numbered headings."""
    from rectiparse.segment import decode, grammar

    skeleton, roles = grammar.propose(text, rules)
    return decode.decode(text, rules, roles, skeleton)


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
