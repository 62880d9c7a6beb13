"""Every pydantic model of rectiparse, in one place.

Two families live here:

* the *contract* (``Document`` and everything under it) — the JSON that downstream users and the
  evaluation read; field names follow ``CONTRACT.md`` exactly, extra fields are additions only;
* the *stage values* passed between pipeline stages (``Loaded`` → ``Text`` is in ``normalise``,
  ``Skeleton`` is in ``segment``) — internal, free to change.

Spans are ``(start, end)`` half-open offsets into ``Document.text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Span = tuple[int, int]
StatusCode = Literal[
    "completed", "basically_completed", "in_progress", "long_term", "adopted", "not_completed"
]
Severity = Literal["error", "warning", "info"]
Format = Literal["txt", "pdf", "html", "docx"]
DocType = Literal["inspection", "audit", "plan", "other"]
ItemKind = Literal["problem", "suggestion", "task"]
FigureKind = Literal["money", "area", "percent", "count", "other"]
Origin = Literal["rule", "model"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- contract


class Source(_Model):
    path: str | None = None
    sha256: str | None = None
    format: Format = "txt"
    encoding: str | None = None
    pages: int | None = None
    ocr: bool = False


class Period(_Model):
    start: str | None = None
    end: str | None = None


class SourceReport(_Model):
    title: str | None = None
    doc_number: str | None = None


class Contacts(_Model):
    phones: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    postcodes: list[str] = Field(default_factory=list)
    addresses: list[str] = Field(default_factory=list)


class DocumentMeta(_Model):
    title: str | None = None
    doc_type: DocType = "other"
    issuer: str | None = None
    date: str | None = None
    publish_date: str | None = None
    doc_number: str | None = None
    index_number: str | None = None
    inspector: str | None = None
    inspection_period: Period | None = None
    feedback_date: str | None = None
    source_report: SourceReport | None = None
    contacts: Contacts = Field(default_factory=Contacts)
    # additions beyond the contract: where each metadata value was found
    spans: dict[str, Span] = Field(default_factory=dict)


class Summary(_Model):
    aspects: int | None = None
    problems_total: int | None = None
    measures_total: int | None = None
    completed: int | None = None
    basically_completed: int | None = None
    in_progress: int | None = None
    long_term: int | None = None
    not_completed: int | None = None
    completion_rate: float | None = None
    as_of: str | None = None
    text: str | None = None
    span: Span | None = None
    # addition: long_term broken down by grade, e.g. {"I": 9, "II": 1}
    long_term_by_grade: dict[str, int] = Field(default_factory=dict)


class Section(_Model):
    number: str | None = None
    title: str
    level: int
    span: Span
    children: list[Section] = Field(default_factory=list)


class Units(_Model):
    lead: list[str] = Field(default_factory=list)
    co: list[str] = Field(default_factory=list)


class Deadline(_Model):
    text: str
    date: str | None = None
    span: Span | None = None


class Figure(_Model):
    text: str
    value: float | int
    unit: str
    kind: FigureKind = "other"
    approx: bool = False
    span: Span


class Measure(_Model):
    ordinal: int
    marker: str
    text: str
    units: Units = Field(default_factory=Units)
    deadlines: list[Deadline] = Field(default_factory=list)
    span: Span
    # additions
    field: str | None = None  # which item field it sits in: actions, next_steps, opinion, body
    figures: list[Figure] = Field(default_factory=list)
    page: int | None = None


class TableRef(_Model):
    """Where an item read from a task-list table stands: the rows of a table are its items when the body lists
    none (``segment.tables``). Its values point into the text like every item's, at the table's own cells, which
    the normaliser appends after the body; this says which table, row and columns they are."""

    table: int  # index into Document.tables
    row: int  # index into that table's rows (the header row is not a row)
    columns: dict[str, int] = Field(default_factory=dict)  # field (title, number, status, actions …) → column
    page: int | None = None  # the table's page (a table over several pages: the page it starts on)


class Item(_Model):
    id: str
    number: str | None = None
    kind: ItemKind = "problem"
    path: list[str] = Field(default_factory=list)
    category: str | None = None
    title: str
    parent_title: str | None = None
    status: StatusCode | None = None
    status_text: str | None = None
    status_grade: Literal["I", "II"] | None = None
    opinion: str | None = None
    actions: str | None = None
    next_steps: str | None = None
    measures: list[Measure] = Field(default_factory=list)
    units: Units = Field(default_factory=Units)
    deadlines: list[Deadline] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    span: Span
    page: int | None = None
    # additions: where each extracted string sits (title, parent_title, status_text, opinion, …)
    spans: dict[str, Span] = Field(default_factory=dict)
    # additions: which stage decided each field ("rule" or "model")
    origin: dict[str, Origin] = Field(default_factory=dict)
    # additions: the named rule of the segmenter that decided each field (rules/items.yaml explains them), e.g.
    # {"item": "list_after_problem_cue", "status": "covering_sentence"}; absent for the heading grammar's items
    decided_by: dict[str, str] = Field(default_factory=dict)
    # addition: the table row the item was read from (None for an item of the body's prose)
    table: TableRef | None = None


class Table(_Model):
    title: str | None = None
    page: int | None = None
    columns: list[str] = Field(default_factory=list)
    rows: list[list[str | None]] = Field(default_factory=list)
    span: Span | None = None
    # addition: the item ids each row was linked to (same length as rows, None when unlinked)
    row_items: list[str | None] = Field(default_factory=list)
    # additions, for a task-list table whose cells are in the text (``span`` is then set too): where each header
    # cell and each cell of each row stands; None for an empty cell. Empty lists for other tables.
    column_spans: list[Span | None] = Field(default_factory=list)
    cell_spans: list[list[Span | None]] = Field(default_factory=list)


class ValidationIssue(_Model):
    code: str
    severity: Severity
    message: str
    span: Span | None = None


class Validation(_Model):
    ok: bool = True
    issues: list[ValidationIssue] = Field(default_factory=list)


class Document(_Model):
    schema_version: str = SCHEMA_VERSION
    source: Source = Field(default_factory=Source)
    document: DocumentMeta = Field(default_factory=DocumentMeta)
    summary: Summary = Field(default_factory=Summary)
    sections: list[Section] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    validation: Validation = Field(default_factory=Validation)
    text: str = ""


# --------------------------------------------------------------------------- stage values


class Block(_Model):
    """One unit of loaded text: a line (plain text) or a paragraph (PDF, HTML, DOCX).

    ``start`` is the offset of ``text`` in ``Loaded.text``. Layout hints are ``None`` when the
    format has none; the normaliser then decides paragraph breaks from punctuation alone.
    """

    text: str
    start: int
    page: int | None = None
    # True: the loader knows a paragraph ends here; False: it knows it continues; None: unknown
    ends_paragraph: bool | None = None
    indent: float | None = None  # first-line indent in em (PDF, DOCX)
    width_ratio: float | None = None  # line width / text-column width (PDF)
    font_size: float | None = None
    style: str | None = None  # e.g. "heading", "title", "table", "metadata" (HTML/DOCX hints)


class LoadedTable(_Model):
    """A data table as the loader read it. A cell of ``None`` is merged with the cell above.

    The span fields are the normaliser's: a task-list table's cells are appended to the text once, verbatim
    (``normalise.append_task_tables``), and each cell then knows where it stands; loaders leave them empty."""

    page: int | None = None
    title: str | None = None
    columns: list[str] = Field(default_factory=list)
    rows: list[list[str | None]] = Field(default_factory=list)
    span: Span | None = None
    column_spans: list[Span | None] = Field(default_factory=list)
    cell_spans: list[list[Span | None]] = Field(default_factory=list)


class Loaded(_Model):
    """What a loader hands on: the file's text as blocks, tables kept apart, and source facts."""

    source: Source
    text: str  # the blocks joined by "\n"; Block.start points into it
    blocks: list[Block]
    tables: list[LoadedTable] = Field(default_factory=list)
    issues: list[ValidationIssue] = Field(default_factory=list)
    # metadata the container itself states (HTML <title>, meta box, DOCX core properties)
    metadata: dict[str, str] = Field(default_factory=dict)


Section.model_rebuild()


# --------------------------------------------------------------------------- evaluation results (rectiparse eval)


class EvalMiss(_Model):
    """One disagreement with the gold, so a score can be traced back to the item that cost it."""

    field: str  # scored field group, e.g. "statuses"
    key: str  # the gold key, e.g. "status", "metadata.date", "figures_subset"
    item: str | None = None  # gold item as "kind number title…", None for document-level fields
    gold: object = None
    pred: object = None
    kind: Literal["fn", "fp", "wrong"] = "wrong"


class FieldScore(_Model):
    """Counts for one field; precision is None when the gold only lists a subset (figures, noise)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    recall_only: bool = False
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    support: int = 0


class DocumentEval(_Model):
    gold: str
    seed: str | None = None
    prediction: str | None = None  # the file read or parsed; None when missing
    fields: dict[str, FieldScore] = Field(default_factory=dict)
    misses: list[EvalMiss] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class EvalReport(_Model):
    fields: dict[str, FieldScore] = Field(default_factory=dict)  # micro-averaged over documents
    documents: list[DocumentEval] = Field(default_factory=list)
    floor_failures: list[str] = Field(default_factory=list)
