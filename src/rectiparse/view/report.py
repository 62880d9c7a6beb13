"""``rectiparse report INPUT -o report.html``: an archive understood through charts and sortable tables.

INPUT is what ``rectiparse batch`` wrote (``documents.jsonl``, or its output folder) or what ``rectiparse export``
wrote (a database: ``sqlite:///archive.db``, ``postgresql://…``, any SQLAlchemy URL; or ``parquet:DIR`` / ``csv:DIR``). Both are read
into the same tables — the export schema of ``docs/sql-schema.md``, built for JSONL by ``export.document_rows`` —
so the report is computed one way whatever the source, and a database never has to load document texts.

Sections: documents by type and issuer; status distribution overall and per document; declared vs found summary
counts (mismatches flagged); money and people figures summed by kind and unit; items per category; the
document list. Charts are inline SVG (see ``_common``), tables sort on a header click.

Top-level imports stay light (stdlib + pydantic): the CLI imports this module to build ``--help``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rectiparse.view._common import (
    STATUS,
    STATUS_ORDER,
    bar_chart,
    esc,
    fmt_money,
    fmt_num,
    page,
    paired_chart,
    stacked_chart,
    status_key,
    status_label,
    table,
)

EXIT_OK, EXIT_INVALID, EXIT_INPUT = 0, 1, 2

# columns read from each table (never documents.text, opinion/actions: a report needs none of them)
COLUMNS: dict[str, list[str]] = {
    "documents": ["sha256", "path", "format", "pages", "ocr", "title", "doc_type", "issuer", "date",
                  "summary_problems_total", "summary_measures_total", "summary_completed",
                  "summary_basically_completed", "summary_in_progress", "summary_long_term",
                  "summary_not_completed", "summary_completion_rate", "n_items", "n_measures", "n_figures",
                  "validation_ok", "n_errors", "n_warnings"],
    "items": ["sha256", "item_id", "item_no", "kind", "path", "category", "status", "status_grade", "n_measures"],
    "figures": ["sha256", "figure_no", "item_id", "value", "unit", "kind", "approx"],
    "validation_issues": ["sha256", "issue_no", "code", "severity", "message"],
}
STATUS_FIELDS = ["completed", "basically_completed", "in_progress", "long_term", "not_completed"]
PEOPLE_UNITS = ("人", "人次", "名", "位", "余人")
DOC_TYPES = {"inspection": "巡视巡察 inspection", "audit": "审计 audit", "plan": "方案 plan", "other": "other"}
TOP = 25


class InputError(Exception):
    """The input cannot be read as an archive (missing file, not JSONL, unreachable database)."""


# --------------------------------------------------------------------------- reading


def read_jsonl(paths: list[Path], warn: Any = None) -> dict[str, Any]:
    """documents.jsonl files → the export tables as DataFrames (a sha256 seen twice counts once: the last)."""
    from rectiparse.export import document_rows, frames, merge_rows, read_documents

    by_sha: dict[str, Any] = {}
    for label, doc, why in read_documents([str(p) for p in paths]):
        if doc is None:
            if warn:
                warn(f"skipped {label}: {why}")
            continue
        try:
            rows = document_rows(doc, text=False)
        except ValueError as exc:  # no sha256: cannot be keyed
            if warn:
                warn(f"skipped {label}: {exc}")
            continue
        by_sha[doc.source.sha256] = rows  # type: ignore[index]
    return frames(merge_rows(by_sha.values()))


def read_sql(url: str) -> dict[str, Any]:
    """A database written by ``rectiparse export`` → the tables the report needs (only the columns it uses)."""
    import pandas as pd
    import sqlalchemy as sa

    from rectiparse.export import TABLES, _sqlalchemy_url

    engine = sa.create_engine(_sqlalchemy_url(url))
    types = {name: dict(cols) for name, cols in TABLES.items()}
    dtype = {"key": "object", "str": "object", "text": "object", "int": "Int64", "float": "float64",
             "bool": "boolean"}
    out = {}
    try:
        with engine.connect() as conn:
            for name, cols in COLUMNS.items():
                quoted = ", ".join(f'"{c}"' for c in cols)
                df = pd.read_sql_query(sa.text(f'SELECT {quoted} FROM "{name}"'), conn)
                for c in cols:
                    kind = dtype[types[name][c]]
                    if kind == "boolean" and df[c].dtype != bool:
                        df[c] = df[c].map(lambda v: None if v is None or v != v else bool(v))
                    df[c] = df[c].astype(kind)
                out[name] = df
    finally:
        engine.dispose()
    return out


def read_files(target: str) -> dict[str, Any]:
    """``parquet:DIR`` or ``csv:DIR`` written by ``rectiparse export`` → the tables the report needs."""
    import pandas as pd

    from rectiparse.export import _conform

    fmt, _, directory = target.partition(":")
    out = {}
    for name, cols in COLUMNS.items():
        path = Path(directory) / f"{name}.{fmt}"
        if fmt == "parquet":
            df = pd.read_parquet(path, columns=cols)
        else:
            # CSV comes back with guessed dtypes: export's own conformer restores the table's (it needs every
            # column, so the file is read whole)
            df = _conform(pd.read_csv(path, dtype={"sha256": str, "item_id": str}), name)[cols]
        out[name] = df
    return out


def load(inputs: list[str], warn: Any = None) -> dict[str, Any]:
    """JSONL files or batch output folders (``-``: standard input), or one database URL, or one ``parquet:DIR``
    / ``csv:DIR``. A missing optional package raises ``MissingExtra`` (the CLI names the extra)."""
    from rectiparse.extras import require

    if len(inputs) == 1 and inputs[0].startswith("parquet:"):
        require("pyarrow")
    if len(inputs) == 1 and inputs[0].startswith(("postgresql:", "postgres:")):
        require("psycopg")
    if len(inputs) == 1 and inputs[0].startswith(("parquet:", "csv:")):
        try:
            return read_files(inputs[0])
        except Exception as exc:  # missing folder or table file, unreadable file
            raise InputError(f"{inputs[0]}: {type(exc).__name__}: {exc}") from exc
    if len(inputs) == 1 and "://" in inputs[0]:
        try:
            return read_sql(inputs[0])
        except Exception as exc:  # unreachable, not an export database, …
            from rectiparse.export import display_target

            raise InputError(f"{display_target(inputs[0])}: {type(exc).__name__}: {exc}") from exc
    paths = []
    for arg in inputs:
        if arg == "-":
            paths.append(Path(arg))
            continue
        p = Path(arg)
        if p.is_dir():
            p = p / "documents.jsonl"
        if not p.is_file():
            raise InputError(f"no such file: {p}")
        paths.append(p)
    return read_jsonl(paths, warn)


# --------------------------------------------------------------------------- computing


def _short(title: Any, path: Any, n: int = 16) -> str:
    s = title if isinstance(title, str) and title else (Path(path).name if isinstance(path, str) else "?")
    return s if len(s) <= n else s[: n - 1] + "…"


def _none(v: Any) -> Any:
    """pandas missing values (NA, NaN, None) → None."""
    import pandas as pd

    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def compute(t: dict[str, Any]) -> dict[str, Any]:
    """Everything the page shows, as plain Python values (also handy for tests and other front-ends)."""
    docs, items, figs = t["documents"], t["items"], t["figures"]
    docs = docs.sort_values(["date", "path"], na_position="last", kind="stable")
    labels = {r.sha256: _short(r.title, r.path) for r in docs.itertuples()}
    # a title shared by several documents (one bulletin in several formats, or reissued) gets the format, then
    # the start of its sha256, appended so chart rows stay distinct
    for extra in (lambda r: _none(r.format) or "?", lambda r: r.sha256[:6]):
        dup = Counter(labels.values())
        for r in docs.itertuples():
            if dup[labels[r.sha256]] > 1:
                labels[r.sha256] += f" ({extra(r)})"

    out: dict[str, Any] = {"labels": labels, "order": list(docs["sha256"])}
    out["n_documents"], out["n_items"] = len(docs), len(items)
    out["n_measures"] = int(docs["n_measures"].fillna(0).sum())
    out["n_figures"] = len(figs)
    out["by_type"] = Counter(_none(v) or "other" for v in docs["doc_type"])
    out["by_issuer"] = Counter(_none(v) or "(issuer unknown)" for v in docs["issuer"])

    status_per_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for sha, st in zip(items["sha256"], items["status"], strict=True):
        status_per_doc[sha][status_key(_none(st))] += 1
    out["status_per_doc"] = status_per_doc
    out["status_overall"] = sum(status_per_doc.values(), Counter())

    # declared vs found, with the validator's rule: problems and suggestions count, else every item
    compare = []
    for r in docs.itertuples():
        mine = items[items["sha256"] == r.sha256]
        probs = mine[mine["kind"].isin(["problem", "suggestion"])]
        if probs.empty:
            probs = mine
        found = Counter(status_key(_none(s)) for s in probs["status"])
        rows = [("problems_total", _none(r.summary_problems_total), len(probs))]
        rows += [(f, _none(getattr(r, f"summary_{f}")), found[f]) for f in STATUS_FIELDS]
        rows.append(("measures_total", _none(r.summary_measures_total), int(probs["n_measures"].fillna(0).sum())))
        for field, declared, n in rows:
            if declared is not None:
                compare.append({"sha256": r.sha256, "field": field, "declared": int(declared), "found": n,
                                "mismatch": int(declared) != n})
    out["compare"] = compare
    out["mismatched_docs"] = sorted({c["sha256"] for c in compare if c["mismatch"]}, key=out["order"].index)

    # figures: sums by (kind, unit); money and people per document
    by_kind: dict[tuple[str, str], list[float]] = defaultdict(list)
    docs_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    money: Counter[str] = Counter()
    people: Counter[str] = Counter()
    for sha, value, unit, kind in zip(figs["sha256"], figs["value"], figs["unit"], figs["kind"], strict=True):
        value, unit, kind = float(_none(value) or 0), _none(unit) or "", _none(kind) or "other"
        by_kind[(kind, unit)].append(value)
        docs_of[(kind, unit)].add(sha)
        if kind == "money" and unit == "元":
            money[sha] += value
        if kind == "count" and unit in PEOPLE_UNITS:
            people[sha] += value
    out["figure_sums"] = sorted(
        ({"kind": k, "unit": u, "n": len(v), "sum": sum(v), "max": max(v), "documents": len(docs_of[(k, u)])}
         for (k, u), v in by_kind.items()),
        key=lambda r: (r["kind"] != "money", r["kind"], -r["n"]),
    )
    out["money_per_doc"], out["people_per_doc"] = money, people

    cats: Counter[str] = Counter()
    for cat, path in zip(items["category"], items["path"], strict=True):
        cat, path = _none(cat), _none(path)
        cats[cat or (path.split(" / ")[-1] if path else "(no heading)")] += 1
    out["categories"] = cats
    out["by_kind"] = Counter(_none(k) or "problem" for k in items["kind"])
    out["documents"] = docs
    return out


# --------------------------------------------------------------------------- rendering


def _kpi(value: object, label: str, bad: bool = False) -> str:
    return f'<div class="kpi{" bad" if bad else ""}"><b>{esc(value)}</b><span>{esc(label)}</span></div>'


def render(t: dict[str, Any], *, title: str = "rectiparse archive report", source: str = "") -> str:
    c = compute(t)
    labels, order = c["labels"], c["order"]
    docs = c["documents"]
    series = [(status_key(s), f"{STATUS[s][0]} {s or 'none'}", STATUS[s][1]) for s in STATUS_ORDER]
    n_err = int(docs["n_errors"].fillna(0).sum())

    parts = [f"<main><h1>{esc(title)}</h1>"]
    if source:
        parts.append(f'<p class="muted">Source: <code>{esc(source)}</code></p>')
    parts.append(
        '<nav class="toc"><a href="#documents">documents</a><a href="#status">statuses</a>'
        '<a href="#declared">declared vs found</a><a href="#figures">figures</a>'
        '<a href="#categories">categories</a><a href="#list">document list</a></nav>'
    )
    parts.append('<div class="kpis">' + "".join([
        _kpi(c["n_documents"], "documents"), _kpi(c["n_items"], "items"), _kpi(c["n_measures"], "measures"),
        _kpi(c["n_figures"], "figures"),
        _kpi(len(c["mismatched_docs"]), "documents with summary mismatch", bool(c["mismatched_docs"])),
        _kpi(n_err, "validation errors", bool(n_err)),
    ]) + "</div>")

    # documents by type and issuer
    parts.append('<section id="documents"><h2>Documents by type and issuer</h2><div class="charts">')
    parts.append(bar_chart("chart-doc-type", "Documents by type",
                           [(DOC_TYPES.get(k, k), v) for k, v in c["by_type"].most_common()]))
    issuers = c["by_issuer"].most_common(TOP)
    parts.append(bar_chart("chart-issuer", f"Documents by issuer{' (top ' + str(TOP) + ')' if len(c['by_issuer']) > TOP else ''}",
                           issuers, colours="#5e7ea8"))
    parts.append("</div></section>")

    # statuses
    overall = c["status_overall"]
    parts.append('<section id="status"><h2>Status distribution</h2><div class="charts">')
    parts.append(bar_chart(
        "chart-status-overall", f"All items by status ({c['n_items']})",
        [(f"{STATUS[s][0]} {s or 'none'}", overall[status_key(s)]) for s in STATUS_ORDER if overall[status_key(s)]],
        colours=[STATUS[s][1] for s in STATUS_ORDER if overall[status_key(s)]],
    ))
    parts.append(stacked_chart("chart-status-docs", "Items by status, per document",
                               [(labels[sha], c["status_per_doc"].get(sha, {})) for sha in order], series))
    parts.append("</div>")
    cols = [("document", "text"), *((status_label(s), "num") for s in STATUS_ORDER), ("items", "num")]
    rows = []
    for sha in order:
        per = c["status_per_doc"].get(sha, Counter())
        rows.append([labels[sha], *(per[status_key(s)] for s in STATUS_ORDER), sum(per.values())])
    parts.append(table("table-status", cols, rows, caption="Items by status per document"))
    parts.append("</section>")

    # declared vs found
    parts.append('<section id="declared"><h2>Declared vs found totals</h2>')
    parts.append('<p class="note">A bulletin\'s summary sentence declares counts (problems, completed, in progress,'
                 " …); these are compared with the items rectiparse found, the same way the validator does"
                 " (<code>summary_mismatch</code>). Rows where they differ are flagged.</p>")
    compare = c["compare"]
    totals = [x for x in compare if x["field"] == "problems_total"]
    chart_rows = [(f"{labels[x['sha256']]}", x["declared"], x["found"], x["mismatch"]) for x in totals]
    # documents with a mismatch elsewhere (e.g. completed) are flagged on their problems row too
    bad_docs = set(c["mismatched_docs"])
    chart_rows = [(lab, d, f, m or x["sha256"] in bad_docs) for (lab, d, f, m), x in zip(chart_rows, totals, strict=True)]
    parts.append('<div class="charts">')
    parts.append(paired_chart("chart-declared", "Problems: declared vs found (red: some count disagrees)",
                              chart_rows, empty="no document declares its totals"))
    status_decl = [x for x in compare if x["field"] in STATUS_FIELDS]
    parts.append(paired_chart(
        "chart-declared-status", "Status counts: declared vs found",
        [(f"{labels[x['sha256']]} · {status_label(x['field'])}", x["declared"], x["found"], x["mismatch"])
         for x in status_decl], empty="no document declares status counts"))
    parts.append("</div>")
    parts.append(table(
        "table-declared",
        [("document", "text"), ("count", "text"), ("declared", "num"), ("found", "num"), ("difference", "num"),
         ("", "flag")],
        [[labels[x["sha256"]], x["field"], x["declared"], x["found"], x["found"] - x["declared"],
          ("✗ mismatch" if x["mismatch"] else "✓", int(x["mismatch"]))] for x in compare],
        row_classes=["mismatch" if x["mismatch"] else "" for x in compare],
        caption="Every declared count",
    ))
    parts.append("</section>")

    # figures
    parts.append('<section id="figures"><h2>Money and people</h2>')
    parts.append('<p class="note">Sums of every figure the bulletins state, by kind and unit (money in 元 after '
                 "万/亿; counts keep their classifier). A bulletin may state a total and its parts, so sums are an "
                 "upper bound of distinct amounts, not an audited total.</p>")
    parts.append('<div class="charts">')
    parts.append(bar_chart(
        "chart-money", "Money stated per document (元)",
        [(labels[s], v) for s, v in sorted(c["money_per_doc"].items(), key=lambda kv: -kv[1])][:TOP],
        colours="#f0b400", fmt=fmt_money, empty="no money figures"))
    parts.append(bar_chart(
        "chart-people", "People stated per document (人 / 人次 / 名 / 位)",
        [(labels[s], v) for s, v in sorted(c["people_per_doc"].items(), key=lambda kv: -kv[1])][:TOP],
        colours="#8e24aa", empty="no people counts"))
    parts.append("</div>")
    sums = c["figure_sums"]
    parts.append(table(
        "table-figures",
        [("kind", "text"), ("unit", "text"), ("figures", "num"), ("sum", "num"), ("largest", "num"),
         ("documents", "num")],
        [[r["kind"], r["unit"], r["n"],
          (esc(fmt_money(r["sum"]) if r["kind"] == "money" and r["unit"] == "元" else fmt_num(r["sum"])), r["sum"]),
          (esc(fmt_money(r["max"]) if r["kind"] == "money" and r["unit"] == "元" else fmt_num(r["max"])), r["max"]),
          r["documents"]] for r in sums],
        caption="Figures summed by kind and unit",
    ))
    parts.append("</section>")

    # categories
    cats = c["categories"]
    parts.append('<section id="categories"><h2>Items per category</h2>')
    parts.append('<p class="note">The group heading an item sits under (its category, else its nearest heading).'
                 "</p><div class=\"charts\">")
    parts.append(bar_chart("chart-categories",
                           f"Items per category{' (top ' + str(TOP) + ')' if len(cats) > TOP else ''}",
                           cats.most_common(TOP), colours="#26a69a"))
    parts.append(bar_chart("chart-kinds", "Items per kind", c["by_kind"].most_common(), colours="#7e57c2"))
    parts.append("</div>")
    parts.append(table("table-categories", [("category", "text"), ("items", "num")], cats.most_common(),
                       caption="All categories"))
    parts.append("</section>")

    # document list
    parts.append('<section id="list"><h2>Documents</h2>')
    drows, dcls = [], []
    for r in docs.itertuples():
        bad = r.sha256 in bad_docs
        drows.append([
            _none(r.title) or "", DOC_TYPES.get(_none(r.doc_type) or "other", r.doc_type), _none(r.issuer) or "",
            _none(r.date) or "", _none(r.format) or "", _none(r.pages), _none(r.n_items), _none(r.n_measures),
            _none(r.n_figures), _none(r.n_errors), _none(r.n_warnings),
            ("✗ mismatch" if bad else "", int(bad)), (f"<code>{esc(_none(r.path) or '')}</code>", _none(r.path) or ""),
        ])
        dcls.append("mismatch" if bad else "")
    parts.append(table(
        "table-documents",
        [("title", "text"), ("type", "text"), ("issuer", "text"), ("date", "text"), ("format", "text"),
         ("pages", "num"), ("items", "num"), ("measures", "num"), ("figures", "num"), ("errors", "num"),
         ("warnings", "num"), ("summary", "flag"), ("path", "text")],
        drows, row_classes=dcls,
    ))
    parts.append('</section><p class="muted">Generated by rectiparse report.</p></main>')
    return page(title, "".join(parts), body_class="report")


# --------------------------------------------------------------------------- CLI


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="documents.jsonl (or the batch output folder holding it), or what `rectiparse export` "
                        "wrote: a database URL (sqlite:///archive.db, postgresql://…), parquet:DIR or csv:DIR")
    p.add_argument("-o", "--output", metavar="HTML", help="write the page here (default: standard output)")
    p.add_argument("--title", default="rectiparse archive report", help="page heading")


def run(args: argparse.Namespace) -> int:
    def warn(msg: str) -> None:
        print(f"rectiparse report: {msg}", file=sys.stderr)

    try:
        tables = load(args.inputs, warn)
    except InputError as exc:
        print(f"rectiparse report: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    if tables["documents"].empty:
        warn("warning: no documents in the input")
    from rectiparse.export import display_target

    source = ", ".join(display_target(i) for i in args.inputs)
    html_text = render(tables, title=args.title, source=source)
    if args.output and args.output != "-":
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html_text, encoding="utf-8")
    else:
        sys.stdout.write(html_text)
    return EXIT_OK
