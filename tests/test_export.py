"""Exports: row counts that match the documents, idempotent upserts, replacement of changed files, rejection of
invalid documents — against a real SQLite file, a real PostgreSQL server, and Parquet / CSV folders."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from rectiparse import parse
from rectiparse.cli import main
from rectiparse.export import TABLES, document_rows, export, sqlalchemy_url
from rectiparse.loaders import sha256
from rectiparse.models import Deadline, Document, Figure, Item, Measure, Source, Units


def synthetic(path: str, tag: str = "", n_items: int = 3) -> Document:
    """A document with every kind of row, independent of how well the parser does today."""
    text = f"通报{tag}" + "问题" * 50
    items = []
    for i in range(1, n_items + 1):
        fig = Figure(text=f"{i}万元", value=i * 10000, unit="元", kind="money", span=(i, i + 2))
        items.append(Item(
            id=str(i), number=str(i), title=f"问题{i}{tag}", span=(i * 5, i * 5 + 4), status="completed",
            units=Units(lead=["区住建局"], co=["区财政局", "街道办"]),
            deadlines=[Deadline(text="2024年底前", date="2024-12-31")],
            figures=[fig],
            measures=[Measure(ordinal=k, marker=f"{k}.", text=f"措施{k}", span=(k, k + 2),
                              units=Units(lead=["区水务局"]), figures=[]) for k in (1, 2)],
        ))
    figures = [it.figures[0] for it in items] + [
        Figure(text="98%", value=98, unit="%", kind="percent", span=(200, 203))
    ]
    return Document(source=Source(path=path, sha256=sha256((path + tag).encode())), items=items,
                    figures=figures, text=text)


def write_jsonl(path: Path, docs: list[Document | str]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write((d if isinstance(d, str) else d.model_dump_json()) + "\n")
    return path


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    finally:
        engine.dispose()


def expected_counts(docs: list[Document]) -> dict[str, int]:
    total = {t: 0 for t in TABLES}
    for d in docs:
        for t, rows in document_rows(d).items():
            total[t] += len(rows)
    return total


def test_rows_follow_the_document() -> None:
    doc = synthetic("a.txt")
    rows = document_rows(doc)
    assert len(rows["documents"]) == 1
    assert len(rows["items"]) == len(doc.items) == 3
    assert len(rows["measures"]) == sum(len(i.measures) for i in doc.items) == 6
    # item figures are the document's figures: each once, attributed to its item
    assert len(rows["figures"]) == len(doc.figures) == 4
    assert sorted(r["item_id"] or "" for r in rows["figures"]) == ["", "1", "2", "3"]
    # per item: 1 lead + 2 co; per measure: 1 lead
    assert len(rows["units"]) == 3 * 3 + 6
    assert len(rows["deadlines"]) == 3
    assert rows["documents"][0]["n_figures"] == 4


def test_repeated_item_ids_stay_unique_keys() -> None:
    doc = synthetic("a.txt")
    for it in doc.items:
        it.id = "1"
    ids = [r["item_id"] for r in document_rows(doc)["items"]]
    assert ids == ["1", "1~2", "1~3"]


def _roundtrip(url: str, tmp_path: Path, sample_texts: list[Path]) -> None:
    docs = [parse(p) for p in sample_texts] + [synthetic("syn.txt")]
    jsonl = write_jsonl(tmp_path / "docs.jsonl", docs)
    report = export([jsonl], url)
    assert report.written == len(docs) and not report.rejected
    want = expected_counts(docs)
    assert want["items"] == sum(len(d.items) for d in docs)
    assert counts(url) == want

    # idempotent: the same archive again adds nothing
    export([jsonl], url)
    assert counts(url) == want

    # a changed file (same path, new content) replaces its rows: old sha256 gone, new rows in
    changed = synthetic("syn.txt", tag="v2", n_items=5)
    export([write_jsonl(tmp_path / "changed.jsonl", [changed])], url)
    after = counts(url)
    assert after["documents"] == want["documents"]
    assert after["items"] == want["items"] - 3 + 5
    engine = sa.create_engine(sqlalchemy_url(url))
    with engine.connect() as conn:
        shas = set(conn.execute(sa.text("SELECT sha256 FROM documents WHERE path = 'syn.txt'")).scalars())
        stale = conn.execute(sa.text("SELECT count(*) FROM items WHERE sha256 = :s"),
                             {"s": docs[-1].source.sha256}).scalar_one()
    engine.dispose()
    assert shas == {changed.source.sha256}
    assert stale == 0


def test_sqlite_roundtrip_upsert_and_replace(tmp_path: Path, sample_texts: list[Path]) -> None:
    _roundtrip(f"sqlite:///{tmp_path / 'x.db'}", tmp_path, sample_texts)


@pytest.mark.postgres
def test_postgres_roundtrip_upsert_and_replace(pg_url: str, tmp_path: Path, sample_texts: list[Path]) -> None:
    _roundtrip(pg_url, tmp_path, sample_texts)


@pytest.mark.postgres
def test_postgres_bad_document_is_never_half_written(pg_url: str, tmp_path: Path) -> None:
    """A document the database refuses (an item id longer than the key column) rolls back alone; the other
    documents of the same batch are written, and no table holds a row of the refused one."""
    good, bad = synthetic("good.txt"), synthetic("bad.txt")
    bad.items[-1].id = "x" * 300
    report = export([write_jsonl(tmp_path / "d.jsonl", [good, bad])], pg_url)
    assert report.written == 1
    assert [label.rsplit(":", 1)[1] for label, _ in report.rejected] == ["2"]
    engine = sa.create_engine(sqlalchemy_url(pg_url))
    with engine.connect() as conn:
        for t in TABLES:
            n = conn.execute(sa.text(f"SELECT count(*) FROM {t} WHERE sha256 = :s"),
                             {"s": bad.source.sha256}).scalar_one()
            assert n == 0, t
    engine.dispose()
    assert counts(pg_url)["items"] == len(good.items)


def test_invalid_lines_are_reported_not_inserted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = synthetic("good.txt")
    broken = json.loads(synthetic("broken.txt").model_dump_json())
    del broken["items"][1]["title"]  # fails the model
    jsonl = write_jsonl(tmp_path / "d.jsonl", [good, json.dumps(broken), "{not json", good.model_dump_json()])
    db = tmp_path / "x.db"
    assert main(["export", str(jsonl), "--to", f"sqlite:///{db}"]) == 1
    err = capsys.readouterr().err
    assert "d.jsonl:2" in err and "d.jsonl:3" in err and "items.1.title" in err
    c = counts(f"sqlite:///{db}")
    assert c["documents"] == 1 and c["items"] == len(good.items)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_file_targets_upsert(fmt: str, tmp_path: Path) -> None:
    docs = [synthetic("a.txt"), synthetic("b.txt")]
    jsonl = write_jsonl(tmp_path / "d.jsonl", docs)
    target = f"{fmt}:{tmp_path / 'out'}"
    export([jsonl], target)
    export([jsonl], target)  # idempotent

    def read(t: str) -> pd.DataFrame:
        p = tmp_path / "out" / f"{t}.{fmt}"
        return pd.read_parquet(p) if fmt == "parquet" else pd.read_csv(p)

    assert len(read("documents")) == 2 and len(read("items")) == 6 and len(read("figures")) == 8
    assert len(read("measures")) == 12
    export([write_jsonl(tmp_path / "c.jsonl", [synthetic("a.txt", tag="v2", n_items=1)])], target)
    items = read("items")
    assert len(items) == 3 + 1
    assert set(read("documents")["path"]) == {"a.txt", "b.txt"}
    # every table exists with its columns, even when empty
    assert list(read("doc_tables").columns) == [c for c, _ in TABLES["doc_tables"]]


def test_export_cli_usage_errors(tmp_path: Path) -> None:
    jsonl = write_jsonl(tmp_path / "d.jsonl", [synthetic("a.txt")])
    assert main(["export", str(tmp_path / "missing.jsonl"), "--to", "csv:x"]) == 2
    assert main(["export", str(jsonl), "--to", "nonsense"]) == 2
    # default target: a SQLite file beside the JSONL
    assert main(["export", str(jsonl)]) == 0
    assert counts(f"sqlite:///{tmp_path / 'd.db'}")["items"] == 3


def test_sql_schema_doc_lists_every_column() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "sql-schema.md").read_text(encoding="utf-8")
    for table, cols in TABLES.items():
        assert f"## `{table}`" in doc, table
        for col, _ in cols:
            assert f"| `{col}` |" in doc, f"{table}.{col}"
