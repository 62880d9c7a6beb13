"""Task-list tables: when the body lists no items, the rows of its task-list tables are the items.

Many 整改方案 and audit reports carry their problems only in a table (序号 | 问题 | 整改措施 | 责任单位 | 完成时限).
The normaliser appends such a table's cells after the body, verbatim, and records where each cell stands
(``normalise.append_task_tables``); this module reads the rows from those cells directly. Nothing is written
for the grammar to re-read: the title is the title cell, a field is the cell under a header that labels.yaml
names (整改措施 → actions, 责任单位 → units_lead, 完成时限 → deadline …), the status is a status column's cell,
so every span of a table item points at a cell of the table, and each item says which table, row and columns it
was read from (``TableItem`` → ``Item.table``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rectiparse.models import LoadedTable, ValidationIssue
from rectiparse.normalise import Text, header_key, task_columns
from rectiparse.rules import Rules
from rectiparse.segment import Skeleton, SkelItem, Span

# the fields a cell fills as the whole of a labelled paragraph would
_TEXT_FIELDS = ("opinion", "actions", "next_steps")


@dataclass
class TableItem(SkelItem):
    """An item read from a row of a task-list table."""

    table: int = 0  # index into Text.tables (= Loaded.tables = Document.tables)
    row: int = 0  # index into the table's rows
    page: int | None = None
    columns: dict[str, int] = field(default_factory=dict)  # field → the column it was read from
    # every cell of the row, merged cells resolved to the cell above: (the field its header names, span)
    cells: list[tuple[str | None, Span]] = field(default_factory=list)


def with_table_items(text: Text, rules: Rules, body: Skeleton) -> Skeleton:
    """The skeleton of the body (segmented without the table cells), over the whole text; where the body has
    no items, the rows of its task-list tables are its items."""
    skeleton = replace(body, text=text)
    if skeleton.items:
        return skeleton
    items = table_items(text, rules)
    if items:
        skeleton.items = list(items)
        skeleton.item_region = (min(i.span[0] for i in items), max(i.span[1] for i in items))
    return skeleton


def _field(rules: Rules, header: str) -> str | None:
    """The field a column's header names: a field label of labels.yaml, or a status column of items.yaml."""
    key = header_key(header)
    if key in rules.items.status_fields:
        return "status"
    return rules.labels.labels.get(key)


def table_items(text: Text, rules: Rules) -> list[TableItem]:
    """One item a data row of every task-list table in ``text.tables`` whose title cell has text.

    A merged cell (``None``) is the cell above it, as on paper; a row that repeats the header (a table over
    pages) is skipped; a 序号 cell that is a number numbers the item, else rows are counted."""
    out: list[TableItem] = []
    for ti, table in enumerate(text.tables):
        cols = task_columns(table, rules) if table.span is not None else None
        if cols is None:
            continue
        width = len(table.columns)
        fields = {k: _field(rules, table.columns[k]) for k in cols.others}
        title_key = header_key(table.columns[cols.title])
        kind = "task" if "任务" in title_key else "problem"
        above: list[Span | None] = [None] * width
        count = 0
        for r, row in enumerate(table.rows):
            own = table.cell_spans[r] if r < len(table.cell_spans) else []
            spans = [(own[k] if k < len(own) else None) for k in range(width)]
            merged = [k >= len(row) or row[k] is None for k in range(width)]
            cells = [above[k] if merged[k] else spans[k] for k in range(width)]
            above = cells
            title = cells[cols.title]
            mine = [sp for k, sp in enumerate(spans) if sp is not None and not merged[k]]
            if title is None or not mine or header_key(text.text[title[0] : title[1]]) == title_key:
                continue  # an empty row, or the header repeated on a new page
            count += 1
            item = TableItem(kind=kind, id=str(len(out) + 1), number=None,
                             span=(min(s for s, _ in mine), max(e for _, e in mine)), title_span=title,
                             table=ti, row=r, page=table.page, columns={"title": cols.title})
            item.origin = {"item": "rule", "title": "rule"}
            item.decided_by = {"item": "task_table_row"}
            item.cells.append(("title", title))
            _number(text, item, cells, cols.number, count)
            for k in cols.others:
                if cells[k] is not None:
                    _cell(text, rules, table, item, k, fields[k], cells[k])  # type: ignore[arg-type]
            out.append(item)
    return out


def _number(text: Text, item: TableItem, cells: list[Span | None], col: int | None, count: int) -> None:
    """The item's number: its 序号 cell when that is a number (without a closing 、 or .), else its row count."""
    sp = cells[col] if col is not None else None
    written = text.text[sp[0] : sp[1]].rstrip(".、．") if sp is not None else ""
    if sp is not None and col is not None and written.isdigit():
        item.number = written
        item.fields["number"] = (sp[0], sp[0] + len(written))
        item.columns["number"] = col
        item.cells.append(("number", sp))
    else:
        item.number = str(count)


def _cell(text: Text, rules: Rules, table: LoadedTable, item: TableItem, k: int, name: str | None,
          sp: Span) -> None:
    """Read one cell of the row into the item: a status column's status, a text field, or a cell whose units
    and deadlines ``extract`` reads as the value of its header (``TableItem.cells``)."""
    header = table.column_spans[k] if k < len(table.column_spans) else None
    if name == "status" or (name in _TEXT_FIELDS and "status" not in item.columns):
        found = _status(text, rules, item, sp, account=name != "status")
        if found is not None:
            item.columns["status"] = k
            if header is not None:
                item.label_spans["status"] = header
            if found == "cell":  # the cell says nothing but the status: it is no account
                return
    item.cells.append((name, sp))
    if name is None:
        return
    item.columns.setdefault(name, k)
    if name in _TEXT_FIELDS and name not in item.fields:
        item.fields[name] = sp
        if header is not None:
            item.label_spans[name] = header


def _status(text: Text, rules: Rules, item: TableItem, sp: Span, *, account: bool) -> str | None:
    """Set the item's status from a cell: 是/否, or the status words in it. An account column's cell (整改情况)
    gives one only where it is all status (已完成) or opens with one (正在整改，已起草办法), as a labelled account
    does in prose; a status column's cell wherever the words stand. Returns "cell" when the status is the whole
    cell, "lead" when the cell goes on, None when it gives none."""
    from rectiparse.segment.grammar import grammar, status_of

    cell = text.folded[sp[0] : sp[1]]
    code: str | None = rules.items.yes_no_status.get(cell.strip())
    grade: str | None = None
    at: tuple[int, int] | None = (0, len(cell)) if code else None
    if code is None:
        code, grade, at = status_of(grammar(rules), cell)
    if code is None or at is None:
        return None
    whole = at[1] - at[0] >= len(cell.rstrip("。.；;")) - 1
    if account and not whole and not (at[0] == 0 and cell[at[1] : at[1] + 1] in tuple("，,；;。. ")):
        return None  # the status words inside an account are its story (…于5月完成整改), not the item's status
    item.status_code, item.status_grade = code, grade
    item.status_span = (sp[0] + at[0], sp[0] + at[1])
    item.status_origin = "label"
    item.origin["status"] = "rule"
    item.decided_by["status"] = "table_status_column"
    return "cell" if whole else "lead"


def table_notes(text: Text, items: list[SkelItem]) -> list[ValidationIssue]:
    """An info issue for each table whose rows were read as items: the user sees where the items came from."""
    rows: dict[int, int] = {}
    for it in items:
        if isinstance(it, TableItem):
            rows[it.table] = rows.get(it.table, 0) + 1
    out: list[ValidationIssue] = []
    for ti, n in sorted(rows.items()):
        table = text.tables[ti]
        where = f" on page {table.page}" if table.page else ""
        name = f"the table {table.title!r}" if table.title else "an untitled table"
        out.append(ValidationIssue(
            code="table_items", severity="info", span=table.span,
            message=f"the body lists no items; {n} row(s) of {name}{where} are read as items",
        ))
    return out
