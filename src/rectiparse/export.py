"""``rectiparse export``: JSONL output → normalised tables in SQLite, PostgreSQL, Parquet or CSV.

Why normalised tables and not one JSON column: the people who consume bulletins at scale ask questions such as
"which lead units have the most open long-term problems" — joins and GROUP BYs over items, measures, units and
deadlines. Every table is keyed by the document's ``sha256`` (plus the item id and positions below it), so a
re-run of the same archive replaces rows instead of adding them.

How a write works (the same for ``export`` and ``batch --db``): a batch of documents is turned into one pandas
frame per table; inside **one transaction** the rows of every document in the batch are deleted — by sha256, and
by path, so that a file whose content changed loses its old rows — and the new rows inserted. A failure rolls the
whole batch back and the batch is retried document by document, so one bad document cannot leave another half
written. Parquet and CSV targets stream new rows to temporary files, then copy over the old rows that were not
replaced, then swap the files in: the same upsert, without a database.

The column list below is the single source of truth: SQLAlchemy tables, pandas dtypes and the Arrow schema are
all derived from it, and ``docs/sql-schema.md`` documents it.

Top-level imports stay light (stdlib + pydantic): the CLI imports this module to build ``--help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectiparse.models import Document, Figure

log = logging.getLogger("rectiparse.export")

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_BATCH = 200

# --------------------------------------------------------------------------- schema

# kind: key (short string used in keys), str, text (long string), int, float, bool,
# date (ISO date → SQL DATE / Arrow date32; a partial date — no year, or no day — is NULL there),
# list (a list → JSONB in PostgreSQL, JSON in SQLite, list<string> in Parquet, JSON text in CSV),
# rows (a list of lists of cells → JSONB / JSON / list<list<string>> / JSON text)
Col = tuple[str, str]

TABLES: dict[str, list[Col]] = {
    "documents": [
        ("sha256", "key"), ("path", "text"), ("format", "str"), ("encoding", "str"), ("pages", "int"),
        ("ocr", "bool"), ("schema_version", "str"), ("title", "text"), ("doc_type", "str"),
        ("issuer", "text"), ("date", "date"), ("publish_date", "date"), ("doc_number", "text"),
        ("index_number", "text"), ("inspector", "text"), ("period_start", "date"), ("period_end", "date"),
        ("feedback_date", "date"), ("source_report_title", "text"), ("source_report_doc_number", "text"),
        ("phones", "list"), ("emails", "list"), ("postcodes", "list"), ("addresses", "list"),
        ("summary_aspects", "int"), ("summary_problems_total", "int"), ("summary_measures_total", "int"),
        ("summary_completed", "int"), ("summary_basically_completed", "int"), ("summary_in_progress", "int"),
        ("summary_long_term", "int"), ("summary_not_completed", "int"), ("summary_completion_rate", "float"),
        ("summary_as_of", "date"), ("n_items", "int"), ("n_measures", "int"), ("n_figures", "int"),
        ("validation_ok", "bool"), ("n_errors", "int"), ("n_warnings", "int"), ("text", "text"),
    ],
    "sections": [
        ("sha256", "key"), ("section_no", "int"), ("parent_no", "int"), ("level", "int"),
        ("number", "str"), ("title", "text"), ("span_start", "int"), ("span_end", "int"),
    ],
    "items": [
        ("sha256", "key"), ("item_id", "key"), ("item_no", "int"), ("number", "str"), ("kind", "str"),
        ("path", "text"), ("category", "text"), ("title", "text"), ("parent_title", "text"),
        ("status", "str"), ("status_text", "text"), ("status_grade", "str"), ("opinion", "text"),
        ("actions", "text"), ("next_steps", "text"), ("documents", "list"), ("n_measures", "int"),
        ("n_figures", "int"), ("span_start", "int"), ("span_end", "int"), ("page", "int"),
    ],
    "measures": [
        ("sha256", "key"), ("item_id", "key"), ("measure_no", "int"), ("ordinal", "int"),
        ("marker", "str"), ("field", "str"), ("text", "text"), ("span_start", "int"), ("span_end", "int"),
        ("page", "int"),
    ],
    "units": [
        ("sha256", "key"), ("item_id", "key"), ("measure_no", "int"), ("role", "str"), ("unit_no", "int"),
        ("unit", "text"),
    ],
    "deadlines": [
        ("sha256", "key"), ("item_id", "key"), ("measure_no", "int"), ("deadline_no", "int"),
        ("text", "text"), ("date", "date"), ("date_text", "str"), ("span_start", "int"), ("span_end", "int"),
    ],
    "figures": [
        ("sha256", "key"), ("figure_no", "int"), ("item_id", "key"), ("measure_no", "int"),
        ("text", "text"), ("value", "float"), ("unit", "str"), ("kind", "str"), ("approx", "bool"),
        ("role", "str"), ("span_start", "int"), ("span_end", "int"),
    ],
    "doc_tables": [
        ("sha256", "key"), ("table_no", "int"), ("title", "text"), ("page", "int"), ("columns", "list"),
        ("rows", "rows"), ("row_items", "list"), ("n_rows", "int"),
    ],
    "validation_issues": [
        ("sha256", "key"), ("issue_no", "int"), ("code", "str"), ("severity", "str"), ("message", "text"),
        ("span_start", "int"), ("span_end", "int"),
    ],
}

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("sha256",),
    "sections": ("sha256", "section_no"),
    "items": ("sha256", "item_id"),
    "measures": ("sha256", "item_id", "measure_no"),
    "units": ("sha256", "item_id", "measure_no", "role", "unit_no"),
    "deadlines": ("sha256", "item_id", "measure_no", "deadline_no"),
    "figures": ("sha256", "figure_no"),
    "doc_tables": ("sha256", "table_no"),
    "validation_issues": ("sha256", "issue_no"),
}

# Declared foreign keys: table → [(columns, referenced table, referenced columns)]. Every row hangs off its
# document; rows under an item off the item; a figure inside a measure off the measure. A NULL in a referencing
# column (a figure outside any item) is not checked (SQL's MATCH SIMPLE).
FOREIGN_KEYS: dict[str, list[tuple[tuple[str, ...], str, tuple[str, ...]]]] = {
    "sections": [(("sha256",), "documents", ("sha256",))],
    "items": [(("sha256",), "documents", ("sha256",))],
    "measures": [(("sha256", "item_id"), "items", ("sha256", "item_id"))],
    "units": [(("sha256", "item_id"), "items", ("sha256", "item_id"))],
    "deadlines": [(("sha256", "item_id"), "items", ("sha256", "item_id"))],
    "figures": [(("sha256",), "documents", ("sha256",)),
                (("sha256", "item_id"), "items", ("sha256", "item_id")),
                (("sha256", "item_id", "measure_no"), "measures", ("sha256", "item_id", "measure_no"))],
    "doc_tables": [(("sha256",), "documents", ("sha256",))],
    "validation_issues": [(("sha256",), "documents", ("sha256",))],
}

Rows = dict[str, list[dict[str, Any]]]


def _span(span: tuple[int, int] | None) -> tuple[int | None, int | None]:
    return (span[0], span[1]) if span else (None, None)


def _json(value: Any) -> list[Any] | None:
    """Lists inside a row (contacts, cited documents, table cells) stay lists here; each target stores them in
    its own list type (JSONB, Arrow lists) or as JSON text (SQLite, CSV). An empty list is NULL."""
    if value is None or value == []:
        return None
    return list(value)


def to_date(value: Any) -> Any:
    """``YYYY-MM-DD`` → ``datetime.date``; a partial date (``--07-19``, ``2024-06``) or anything else → None."""
    import datetime as dt

    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10 or value.startswith("-"):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def json_text(value: Any) -> str | None:
    """A list column as JSON text (CSV cells): arrays read back from Parquet become lists first."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if hasattr(value, "tolist"):
        value = value.tolist()
    return json.dumps(_plain(value), ensure_ascii=False)


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _unique_ids(doc: Document) -> list[str]:
    """Item ids as given; a repeated id (a bulletin that numbers twice) gets ``~2``, ``~3`` so keys stay unique."""
    seen: dict[str, int] = {}
    out = []
    for item in doc.items:
        n = seen.get(item.id, 0) + 1
        seen[item.id] = n
        out.append(item.id if n == 1 else f"{item.id}~{n}")
    return out


def _float(f: Figure) -> float:
    """A figure's value for the float column. A number no float can hold (400 digits before 万元) cannot be
    stored exactly in any of the targets, so the document is refused alone, with the figure named."""
    try:
        return float(f.value)
    except OverflowError:
        digits = len(str(abs(int(f.value))))
        raise ValueError(f"figure {f.text[:40]!r} at {list(f.span)}: a value of {digits} digits does not fit a "
                         "float column") from None


def document_rows(doc: Document, *, text: bool = True) -> Rows:
    """One document → rows for every table. Pure: no I/O, so batch workers can call it too."""
    sha = doc.source.sha256
    if not sha:
        raise ValueError("document has no source.sha256: cannot key its rows")
    m, s = doc.document, doc.summary
    issues = doc.validation.issues
    rows: Rows = {name: [] for name in TABLES}
    rows["documents"].append({
        "sha256": sha, "path": doc.source.path, "format": doc.source.format, "encoding": doc.source.encoding,
        "pages": doc.source.pages, "ocr": doc.source.ocr, "schema_version": doc.schema_version,
        "title": m.title, "doc_type": m.doc_type, "issuer": m.issuer, "date": m.date,
        "publish_date": m.publish_date, "doc_number": m.doc_number, "index_number": m.index_number,
        "inspector": m.inspector,
        "period_start": m.inspection_period.start if m.inspection_period else None,
        "period_end": m.inspection_period.end if m.inspection_period else None,
        "feedback_date": m.feedback_date,
        "source_report_title": m.source_report.title if m.source_report else None,
        "source_report_doc_number": m.source_report.doc_number if m.source_report else None,
        "phones": _json(m.contacts.phones), "emails": _json(m.contacts.emails),
        "postcodes": _json(m.contacts.postcodes), "addresses": _json(m.contacts.addresses),
        **{f"summary_{k}": getattr(s, k) for k in (
            "aspects", "problems_total", "measures_total", "completed", "basically_completed",
            "in_progress", "long_term", "not_completed", "completion_rate", "as_of")},
        "n_items": len(doc.items), "n_measures": sum(len(i.measures) for i in doc.items),
        "n_figures": 0,  # set below, once figures are merged
        "validation_ok": doc.validation.ok,
        "n_errors": sum(i.severity == "error" for i in issues),
        "n_warnings": sum(i.severity == "warning" for i in issues),
        "text": (doc.text or None) if text else None,
    })

    def walk(sections: Iterable[Any], parent: int | None) -> None:
        for sec in sections:
            no = len(rows["sections"]) + 1
            a, b = _span(sec.span)
            rows["sections"].append({
                "sha256": sha, "section_no": no, "parent_no": parent, "level": sec.level,
                "number": sec.number, "title": sec.title, "span_start": a, "span_end": b,
            })
            walk(sec.children, no)

    walk(doc.sections, None)

    # figures: every figure once (document list first, then any item/measure figure it lacks), with the item
    # and measure it belongs to
    owner: dict[tuple[Any, ...], tuple[str | None, int | None]] = {}
    extra: list[Figure] = []
    fkey = lambda f: (f.span[0], f.span[1], f.text)  # noqa: E731
    known = {fkey(f) for f in doc.figures}
    ids = _unique_ids(doc)

    def units_and_deadlines(item_id: str, measure_no: int, units: Any, deadlines: Any) -> None:
        for role in ("lead", "co"):
            for k, unit in enumerate(getattr(units, role), 1):
                rows["units"].append({"sha256": sha, "item_id": item_id, "measure_no": measure_no,
                                      "role": role, "unit_no": k, "unit": unit})
        for k, d in enumerate(deadlines, 1):
            a, b = _span(d.span)
            rows["deadlines"].append({"sha256": sha, "item_id": item_id, "measure_no": measure_no,
                                      "deadline_no": k, "text": d.text, "date": d.date, "date_text": d.date,
                                      "span_start": a, "span_end": b})

    for no, (item, item_id) in enumerate(zip(doc.items, ids, strict=True), 1):
        a, b = _span(item.span)
        rows["items"].append({
            "sha256": sha, "item_id": item_id, "item_no": no, "number": item.number, "kind": item.kind,
            "path": " / ".join(item.path) or None, "category": item.category, "title": item.title,
            "parent_title": item.parent_title, "status": item.status, "status_text": item.status_text,
            "status_grade": item.status_grade, "opinion": item.opinion, "actions": item.actions,
            "next_steps": item.next_steps, "documents": _json(item.documents),
            "n_measures": len(item.measures), "n_figures": len(item.figures),
            "span_start": a, "span_end": b, "page": item.page,
        })
        units_and_deadlines(item_id, 0, item.units, item.deadlines)
        for f in item.figures:
            owner.setdefault(fkey(f), (item_id, None))
            if fkey(f) not in known:
                known.add(fkey(f))
                extra.append(f)
        for k, meas in enumerate(item.measures, 1):
            a, b = _span(meas.span)
            rows["measures"].append({
                "sha256": sha, "item_id": item_id, "measure_no": k, "ordinal": meas.ordinal,
                "marker": meas.marker, "field": meas.field, "text": meas.text,
                "span_start": a, "span_end": b, "page": meas.page,
            })
            units_and_deadlines(item_id, k, meas.units, meas.deadlines)
            for f in meas.figures:
                owner[fkey(f)] = (item_id, k)
                if fkey(f) not in known:
                    known.add(fkey(f))
                    extra.append(f)
    by_id = dict(zip(ids, doc.items, strict=True))
    for no, f in enumerate([*doc.figures, *extra], 1):
        fig_item, measure_no = owner.get(fkey(f), (None, None))
        rows["figures"].append({
            "sha256": sha, "figure_no": no, "item_id": fig_item, "measure_no": measure_no, "text": f.text,
            "value": _float(f), "unit": f.unit, "kind": f.kind, "approx": f.approx,
            "role": _money_role(doc, f, by_id.get(fig_item) if fig_item else None) if f.kind == "money" else None,
            "span_start": f.span[0], "span_end": f.span[1],
        })
    rows["documents"][0]["n_figures"] = len(rows["figures"])

    for no, t in enumerate(doc.tables, 1):
        rows["doc_tables"].append({
            "sha256": sha, "table_no": no, "title": t.title, "page": t.page, "columns": _json(t.columns),
            "rows": _json(t.rows), "row_items": _json(t.row_items), "n_rows": len(t.rows),
        })
    for no, issue in enumerate(issues, 1):
        a, b = _span(issue.span)
        rows["validation_issues"].append({
            "sha256": sha, "issue_no": no, "code": issue.code, "severity": issue.severity,
            "message": issue.message, "span_start": a, "span_end": b,
        })
    return rows


def _money_role(doc: Document, f: Figure, item: Any) -> str:
    """spent / recovered / planned / stated (``rectiparse.money``), from the text before the figure: the document
    text, or — when written with ``--no-text`` — the item field that holds the figure."""
    from rectiparse.money import WINDOW, money_role

    start = f.span[0]
    field, field_span = None, None
    if item is not None:
        for name, sp in (item.spans or {}).items():
            if sp and sp[0] <= start < sp[1] and name in ("opinion", "actions", "next_steps", "title"):
                field, field_span = name, sp
                break
    if doc.text:
        before = doc.text[max(0, start - WINDOW):start]
    elif field and field_span and isinstance(getattr(item, field, None), str):
        value = getattr(item, field)
        before = value[max(0, start - field_span[0] - WINDOW):max(0, start - field_span[0])]
    else:
        before = ""
    return money_role(before, field, doc.document.doc_type)


def merge_rows(batch: Iterable[Rows]) -> Rows:
    out: Rows = {name: [] for name in TABLES}
    for rows in batch:
        for name, rs in rows.items():
            out[name].extend(rs)
    return out


DTYPES = {"key": "object", "str": "object", "text": "object", "int": "Int64", "float": "float64",
          "bool": "boolean", "date": "object", "list": "object", "rows": "object"}


def frames(rows: Rows) -> dict[str, Any]:
    """Rows → one typed pandas DataFrame per table (nullable integer and boolean dtypes: NULL stays NULL; dates
    as ``datetime.date``, partial ones None; list columns hold Python lists)."""
    import pandas as pd

    out = {}
    for name, cols in TABLES.items():
        names = [c for c, _ in cols]
        df = pd.DataFrame.from_records(rows.get(name, []), columns=names)
        df = df.astype({c: DTYPES[k] for c, k in cols})
        for c, k in cols:
            if k == "date" and len(df):
                df[c] = df[c].map(to_date).astype(object)
        out[name] = df
    return out


def sql_records(name: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as SQLAlchemy binds them: dates as ``datetime.date`` (partial → NULL), lists left to the JSON type."""
    dates = [c for c, k in TABLES[name] if k == "date"]
    if not dates:
        return records
    return [{**r, **{c: to_date(r.get(c)) for c in dates}} for r in records]


# --------------------------------------------------------------------------- targets


def sqlalchemy_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (the driver we depend on), not SQLAlchemy's psycopg2 default."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def display_target(target: str) -> str:
    """The target as it may be printed: a database password never reaches a log."""
    if "://" not in target:
        return target
    try:
        from sqlalchemy.engine import make_url

        return make_url(target).render_as_string(hide_password=True)
    except Exception:
        return target.split("://", 1)[0] + "://…"


@dataclass
class Batch:
    """Documents of one write: their rows, and what they replace."""

    rows: list[Rows] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # for error messages: "file.jsonl:12" or the path

    def add(self, rows: Rows, label: str) -> None:
        self.rows.append(rows)
        self.labels.append(label)

    def __len__(self) -> int:
        return len(self.rows)


def _dedupe(batch: Batch) -> Batch:
    """Within one batch the last document for a sha256 or a path wins, as it would across batches."""
    keep: list[int] = []
    seen_sha: set[str] = set()
    seen_path: set[str] = set()
    for i in range(len(batch) - 1, -1, -1):
        d = batch.rows[i]["documents"][0]
        if d["sha256"] in seen_sha or (d["path"] is not None and d["path"] in seen_path):
            continue
        seen_sha.add(d["sha256"])
        if d["path"] is not None:
            seen_path.add(d["path"])
        keep.append(i)
    keep.reverse()
    return Batch([batch.rows[i] for i in keep], [batch.labels[i] for i in keep])


class Sink:
    """Where rows go. ``write`` upserts one batch and returns the labels of documents it could not write."""

    def write(self, batch: Batch) -> list[tuple[str, str]]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SQLSink(Sink):
    """SQLite, PostgreSQL (or any SQLAlchemy database): tables created if missing, batches upserted."""

    def __init__(self, url: str):
        import sqlalchemy as sa

        self.sa = sa
        self.url = url
        self.engine = sa.create_engine(sqlalchemy_url(url))
        if self.engine.dialect.name == "sqlite":
            # a lock held by a reader should make us wait, not fail; and the declared foreign keys are enforced
            # (SQLite checks them only when asked, per connection)
            def on_connect(c: Any, _r: Any) -> None:
                c.execute("PRAGMA busy_timeout = 30000")
                c.execute("PRAGMA foreign_keys = ON")

            sa.event.listen(self.engine, "connect", on_connect)
        self.metadata = sql_metadata()
        self.metadata.create_all(self.engine, checkfirst=True)
        self.tables = self.metadata.tables
        self._check_schema()
        # PostgreSQL has a 65535 bind-parameter limit per statement; SQLite ≥ 3.32 allows 32766
        self.max_params = 30000

    def _check_schema(self) -> None:
        """Tables left by an older rectiparse lack columns (``figures.role``) and have other types (dates as
        text, lists as JSON text): writing into them would fail row by row. Say so once, up front."""
        insp = self.sa.inspect(self.engine)
        for name, cols in TABLES.items():
            have = {c["name"] for c in insp.get_columns(name)}
            missing = [c for c, _ in cols if c not in have]
            if missing:
                raise ValueError(
                    f"table {name!r} was written by an older rectiparse (no column {', '.join(missing)}); export "
                    "into a new database, or drop its tables first")

    def _delete(self, conn: Any, rows: list[Rows]) -> None:
        docs = self.tables["documents"]
        shas = {r["documents"][0]["sha256"] for r in rows}
        paths = [p for r in rows if (p := r["documents"][0]["path"]) is not None]
        for i in range(0, len(paths), 500):
            found = conn.execute(self.sa.select(docs.c.sha256).where(docs.c.path.in_(paths[i:i + 500])))
            shas.update(found.scalars())
        ordered = sorted(shas)
        for name in reversed(TABLES):  # rows that reference others go first (foreign keys)
            t = self.tables[name]
            for i in range(0, len(ordered), 500):
                conn.execute(t.delete().where(t.c.sha256.in_(ordered[i:i + 500])))

    def _insert(self, conn: Any, rows: list[Rows]) -> None:
        # SQLAlchemy Core with our own Table objects (not pandas.to_sql, which infers its own column types): the
        # DATE and JSON/JSONB columns bind as declared. Tables go in TABLES order: referenced rows first.
        # executemany on SQLite; on PostgreSQL SQLAlchemy batches the rows into multi-row VALUES itself.
        merged = merge_rows(rows)
        for name in TABLES:
            records = merged.get(name) or []
            if records:
                conn.execute(self.tables[name].insert(), sql_records(name, records))

    def _write(self, rows: list[Rows]) -> None:
        with self.engine.begin() as conn:  # one transaction: delete old rows, insert new, or nothing
            self._delete(conn, rows)
            self._insert(conn, rows)

    def write(self, batch: Batch) -> list[tuple[str, str]]:
        batch = _dedupe(batch)
        if not len(batch):
            return []
        try:
            self._write(batch.rows)
            return []
        except Exception as exc:  # find the culprit: one transaction per document
            if len(batch) == 1:
                return [(batch.labels[0], f"{type(exc).__name__}: {exc}")]
            failed = []
            for rows, label in zip(batch.rows, batch.labels, strict=True):
                try:
                    self._write([rows])
                except Exception as one:
                    failed.append((label, f"{type(one).__name__}: {str(one).splitlines()[0]}"))
            return failed

    def close(self) -> None:
        self.engine.dispose()


def sql_metadata() -> Any:
    """The SQLAlchemy schema: one ``Table`` per entry of ``TABLES``, with primary keys, declared foreign keys
    (``FOREIGN_KEYS``), DATE columns, JSONB lists on PostgreSQL (JSON text on SQLite) and a path index."""
    import sqlalchemy as sa
    from sqlalchemy.dialects.postgresql import JSONB

    def json_type() -> Any:
        return sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")

    types: dict[str, Any] = {"key": lambda: sa.String(255), "str": lambda: sa.String(255), "text": sa.Text,
             "int": sa.BigInteger, "float": sa.Float, "bool": sa.Boolean, "date": sa.Date,
             "list": json_type, "rows": json_type}
    md = sa.MetaData()
    for name, cols in TABLES.items():
        pk = PRIMARY_KEYS[name]
        columns: list[Any] = []
        for col, kind in cols:
            typ = sa.String(64) if col == "sha256" else types[kind]()
            if col in pk:
                columns.append(sa.Column(col, typ, primary_key=True, autoincrement=False))
            else:
                columns.append(sa.Column(col, typ, nullable=True))
        for own, ref, ref_cols in FOREIGN_KEYS.get(name, []):
            columns.append(sa.ForeignKeyConstraint(list(own), [f"{ref}.{c}" for c in ref_cols],
                                                   name=f"fk_{name}_{ref}"))
        t = sa.Table(name, md, *columns)
        if name == "documents":
            sa.Index("ix_documents_path", t.c.path)
    return md


class FileSink(Sink):
    """Parquet or CSV: ``DIR/<table>.parquet`` (or ``.csv``). New rows stream to temporary files as batches
    arrive; ``close`` appends the old rows that were not replaced and swaps the files in, so an interrupted
    export leaves the previous files untouched."""

    def __init__(self, directory: str | Path, fmt: str):
        self.dir = Path(directory)
        self.fmt = fmt
        self.dir.mkdir(parents=True, exist_ok=True)
        self.replaced_sha: set[str] = set()
        self.replaced_paths: set[str] = set()
        self.writers: dict[str, Any] = {}
        self.tmp = {name: self.dir / f".{name}.{fmt}.tmp" for name in TABLES}
        self.final = {name: self.dir / f"{name}.{fmt}" for name in TABLES}
        self.written: set[str] = set()  # sha256 written in this session
        for p in self.tmp.values():
            p.unlink(missing_ok=True)

    def _schema(self, name: str) -> Any:
        import pyarrow as pa

        types = {"key": pa.string(), "str": pa.string(), "text": pa.string(), "int": pa.int64(),
                 "float": pa.float64(), "bool": pa.bool_(), "date": pa.date32(), "list": pa.list_(pa.string()),
                 "rows": pa.list_(pa.list_(pa.string()))}
        return pa.schema([(c, types[k]) for c, k in TABLES[name]])

    def _append(self, name: str, df: Any) -> None:
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, schema=self._schema(name), preserve_index=False)
            if name not in self.writers:
                self.writers[name] = pq.ParquetWriter(self.tmp[name], self._schema(name))
            self.writers[name].write_table(table)
        else:
            first = name not in self.writers
            self.writers[name] = True
            df = df.copy()
            for col, kind in TABLES[name]:
                if kind in ("list", "rows"):
                    df[col] = df[col].map(json_text).astype(object)
            # a UTF-8 byte-order mark first: Excel and WPS then read the Chinese as UTF-8, not as GBK mojibake
            df.to_csv(self.tmp[name], mode="w" if first else "a", header=first, index=False,
                      encoding="utf-8-sig" if first else "utf-8")

    def write(self, batch: Batch) -> list[tuple[str, str]]:
        batch = _dedupe(batch)
        keep = []
        for rows in batch.rows:
            d = rows["documents"][0]
            if d["sha256"] in self.written:
                # a later line for content already written in this session: rows cannot be taken back from
                # a stream, and the content is the same, so the first rows stand
                continue
            self.written.add(d["sha256"])
            self.replaced_sha.add(d["sha256"])
            if d["path"] is not None:
                self.replaced_paths.add(d["path"])
            keep.append(rows)
        for name, df in frames(merge_rows(keep)).items():
            if not df.empty:
                self._append(name, df)
        return []

    def _old_batches(self, name: str) -> Iterator[Any]:
        path = self.final[name]
        if not path.exists():
            return
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            for rb in pq.ParquetFile(path).iter_batches(batch_size=20000):
                yield rb.to_pandas()
        else:
            import pandas as pd

            yield from pd.read_csv(path, chunksize=20000, dtype=csv_dtypes(name), encoding="utf-8-sig")

    def close(self) -> None:
        # rows of an old document whose path is written again belong to the old content: drop them too
        drop = set(self.replaced_sha)
        for df in self._old_batches("documents"):
            drop.update(df.loc[df["path"].isin(self.replaced_paths), "sha256"])
        for name in TABLES:
            for df in self._old_batches(name):
                df = df[~df["sha256"].isin(drop)]
                if not df.empty:
                    self._append(name, conform(df, name))
            if name not in self.writers:  # an empty table is still a file with the right columns
                self._append(name, frames({})[name])
        for w in self.writers.values():
            if w is not True:
                w.close()
        for name in TABLES:
            os.replace(self.tmp[name], self.final[name])


def csv_dtypes(name: str) -> dict[str, Any]:
    """Columns read from CSV as text whatever they look like (keys, codes, JSON lists, dates)."""
    return {c: str for c, k in TABLES[name] if k in ("key", "str", "text", "list", "rows", "date")}


def conform(df: Any, name: str) -> Any:
    """Old rows read back (from CSV, with guessed dtypes; from Parquet, with Arrow's) get the table's own."""
    import pandas as pd

    kinds = dict(TABLES[name])
    empty = frames({})[name]
    out = pd.DataFrame(index=df.index)
    for col, dtype in empty.dtypes.items():
        s = df[col]
        kind = kinds[col]
        if kind == "date":
            out[col] = s.map(lambda v: to_date(v) if isinstance(v, str) else (None if v is None or v != v else v))
            out[col] = out[col].astype(object)
            continue
        if kind in ("list", "rows"):
            out[col] = s.map(lambda v: json.loads(v) if isinstance(v, str) else (
                None if v is None or (isinstance(v, float) and v != v) else _plain(v))).astype(object)
            continue
        if str(dtype) == "boolean" and s.dtype == object:
            s = s.map({True: True, False: False, "True": True, "False": False}.get)
        out[col] = s.astype(dtype) if str(dtype) != "object" else s.astype(object).where(s.notna(), None)
    return out


def open_sink(target: str) -> Sink:
    """``sqlite:///x.db``, ``postgresql://…`` (any SQLAlchemy URL), ``parquet:DIR`` or ``csv:DIR``."""
    from rectiparse.extras import require

    if target.startswith("parquet:"):
        require("pyarrow")
    elif target.startswith(("postgresql:", "postgres:", "postgresql+psycopg:")):
        require("psycopg")
    if target.startswith(("parquet:", "csv:")):
        fmt, _, directory = target.partition(":")
        if not directory:
            raise ValueError(f"{target!r}: give a folder, e.g. {fmt}:out/{fmt}")
        return FileSink(directory, fmt)
    if "://" not in target:
        raise ValueError(f"{target!r}: expected sqlite:///FILE, postgresql://…, parquet:DIR or csv:DIR")
    return SQLSink(target)


# --------------------------------------------------------------------------- reading JSONL


@dataclass
class ExportReport:
    written: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (file:line, why)


def read_documents(paths: Iterable[str | Path]) -> Iterator[tuple[str, Document | None, str | None]]:
    """Yield (label, document, None) per valid line, (label, None, why) per line that fails the model.

    Read as bytes, line by line: one line that is not UTF-8 or is torn (a kill mid-write) is that line's
    problem, reported with its file:line, never the end of the whole file."""
    for path in paths:
        if str(path) == "-" or _is_whole_json(path):
            yield from _read_whole_or_stdin(str(path))
            continue
        with open(path, "rb") as fh:
            for no, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                label = f"{path}:{no}"
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield label, None, f"not UTF-8 (byte {exc.start} of the line): not a rectiparse JSON line"
                    continue
                yield _validate_text(label, line)


def _is_whole_json(path: str | Path) -> bool:
    """A file from ``rectiparse extract --pretty`` (one indented document) rather than JSONL: its first line is
    an opening brace alone. Read line by line it would give one rejection per line."""
    with open(path, "rb") as fh:
        first = fh.readline(4096).strip().removeprefix(b"\xef\xbb\xbf")
    return first == b"{"


def _validate_text(label: str, text: str) -> tuple[str, Document | None, str | None]:
    from pydantic import ValidationError

    try:
        return label, Document.model_validate_json(text), None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "line"
        return label, None, f"{exc.error_count()} validation error(s), first: {where}: {first['msg']}"


def _read_whole_or_stdin(path: str) -> Iterator[tuple[str, Document | None, str | None]]:
    """Standard input (``-``: JSONL, or one document, pretty or not) or a whole-file JSON document."""
    if path != "-":
        yield _validate_text(path, Path(path).read_text(encoding="utf-8-sig"))
        return
    stream = open(sys.stdin.fileno(), encoding="utf-8-sig", closefd=False)
    first = stream.readline()
    while first and not first.strip():
        first = stream.readline()
    if first.strip() == "{":  # one pretty document
        yield _validate_text("<stdin>", first + stream.read())
        return
    for no, line in enumerate(_chain_first(first, stream), 1):
        if line.strip():
            yield _validate_text(f"<stdin>:{no}", line)


def _chain_first(first: str, rest: Iterable[str]) -> Iterator[str]:
    yield first
    yield from rest


def input_paths(args: list[str]) -> tuple[list[str], list[str]]:
    """``export``'s arguments → files to read: ``-`` stays (standard input), a batch output folder stands for
    its ``documents.jsonl``. Returns (paths, arguments that name nothing readable)."""
    paths, missing = [], []
    for arg in args:
        p = Path(arg)
        if arg == "-":
            paths.append(arg)
        elif p.is_dir() and (p / "documents.jsonl").is_file():
            paths.append(str(p / "documents.jsonl"))
        elif p.is_file():
            paths.append(arg)
        else:
            missing.append(arg)
    return paths, missing


def _superseded(paths: Iterable[str | Path]) -> set[str]:
    """Labels (file:line) of lines that a later line replaces: the same sha256, or the same path (a file whose
    content changed). Every target then keeps the last line, as a database upsert does; a stream to Parquet or
    CSV cannot take rows back, so the earlier lines are left out before anything is written."""
    entries: list[tuple[str, str | None, str | None]] = []
    last_sha: dict[str, str] = {}
    last_path: dict[str, str] = {}
    for path in paths:
        with open(path, "rb") as fh:
            for no, raw in enumerate(fh, 1):
                try:
                    src = json.loads(raw)["source"]
                    sha, where = src.get("sha256"), src.get("path")
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # not a document line: the reading pass reports it
                label = f"{path}:{no}"
                entries.append((label, sha, where))
                if sha:
                    last_sha[sha] = label
                if where is not None:
                    last_path[where] = label
    return {label for label, sha, where in entries
            if (sha and last_sha[sha] != label) or (where is not None and last_path[where] != label)}


def export(paths: Iterable[str | Path], target: str, *, batch_size: int = DEFAULT_BATCH,
           text: bool = True) -> ExportReport:
    """Load JSONL files of documents into ``target``; returns what was written and what was rejected.

    Where a sha256 (or a path) appears on several lines the last line wins, in every target."""
    paths = list(paths)
    report = ExportReport()
    # standard input is read once, and a whole-file JSON holds one document: neither has lines to supersede
    later = _superseded([p for p in paths if str(p) != "-" and not _is_whole_json(p)])
    with open_sink(target) as sink:
        batch = Batch()

        def flush() -> None:
            nonlocal batch
            failed = sink.write(batch)
            report.written += len(batch) - len(failed)
            report.rejected.extend(failed)
            batch = Batch()

        for label, doc, why in read_documents(paths):
            if doc is None:
                report.rejected.append((label, why or "invalid"))
                continue
            if label in later:
                continue
            try:
                batch.add(document_rows(doc, text=text), label)
            except ValueError as exc:
                report.rejected.append((label, str(exc)))
                continue
            if len(batch) >= batch_size:
                flush()
        if len(batch):
            flush()
    return report


# --------------------------------------------------------------------------- CLI


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("jsonl", nargs="+", metavar="INPUT",
                   help="documents.jsonl written by `rectiparse batch`, or its output folder, or JSON written by "
                        "`rectiparse extract` (pretty or not), or - for standard input")
    p.add_argument("--to", dest="target", metavar="TARGET",
                   help="sqlite:///FILE.db (default: FILE.db beside the first JSONL), postgresql://USER@HOST/DB, "
                        "parquet:DIR or csv:DIR")
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH, metavar="N",
                   help=f"documents per transaction (default {DEFAULT_BATCH})")
    p.add_argument("--no-text", action="store_true", help="leave documents.text empty")


def run(args: argparse.Namespace) -> int:
    paths, missing = input_paths(args.jsonl)
    if missing:
        print(f"rectiparse export: error: no such file (or batch output folder): {', '.join(missing)}",
              file=sys.stderr)
        return EXIT_USAGE
    if args.target is None and paths[0] == "-":
        print("rectiparse export: error: reading standard input needs --to TARGET", file=sys.stderr)
        return EXIT_USAGE
    if args.batch_size < 1:
        print("rectiparse export: error: --batch-size must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    target = args.target or f"sqlite:///{Path(paths[0]).with_suffix('.db')}"
    from rectiparse.extras import MissingExtra

    try:
        report = export(paths, target, batch_size=args.batch_size, text=not args.no_text)
    except MissingExtra as exc:
        print(f"rectiparse export: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:
        print(f"rectiparse export: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # cannot connect, permission denied, …
        print(f"rectiparse export: error: {display_target(target)}: {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return EXIT_USAGE
    for label, why in report.rejected:
        print(f"rectiparse export: rejected {label}: {why}", file=sys.stderr)
    from rectiparse.logs import say

    say(f"rectiparse export: {report.written} document(s) written to {display_target(target)}, "
        f"{len(report.rejected)} rejected")
    return EXIT_SOME_FAILED if report.rejected else EXIT_OK
