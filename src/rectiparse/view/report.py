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
    environment,
    fmt_money,
    paired_chart,
    stacked_chart,
    status_key,
    status_label,
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
    "figures": ["sha256", "figure_no", "item_id", "value", "unit", "kind", "approx", "role"],
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
    """A database written by ``rectiparse export`` → the tables the report needs (only the columns it uses; a
    column an older export did not write yet, such as ``figures.role``, comes back empty)."""
    import pandas as pd
    import sqlalchemy as sa

    from rectiparse.export import DTYPES, TABLES, sqlalchemy_url

    engine = sa.create_engine(sqlalchemy_url(url))
    types = {name: dict(cols) for name, cols in TABLES.items()}
    out = {}
    try:
        with engine.connect() as conn:
            for name, cols in COLUMNS.items():
                have = {c["name"] for c in sa.inspect(conn).get_columns(name)}
                if not have:
                    raise InputError(f"no table {name!r}: not a database written by rectiparse export")
                present = [c for c in cols if c in have]
                quoted = ", ".join(f'"{c}"' for c in present)
                df = pd.read_sql_query(sa.text(f'SELECT {quoted} FROM "{name}"'), conn)
                for c in cols:
                    if c not in df.columns:
                        df[c] = None
                    kind = DTYPES[types[name][c]]
                    if kind == "boolean" and df[c].dtype != bool:
                        df[c] = df[c].map(lambda v: None if v is None or v != v else bool(v))
                    df[c] = df[c].astype(kind)
                out[name] = df[cols]
    finally:
        engine.dispose()
    return out


def read_files(target: str) -> dict[str, Any]:
    """``parquet:DIR`` or ``csv:DIR`` written by ``rectiparse export`` → the tables the report needs."""
    import pandas as pd

    from rectiparse.export import conform, csv_dtypes

    fmt, _, directory = target.partition(":")
    out = {}
    for name, cols in COLUMNS.items():
        path = Path(directory) / f"{name}.{fmt}"
        if fmt == "parquet":
            import pyarrow.parquet as pq

            have = set(pq.read_schema(path).names)
            df = pd.read_parquet(path, columns=[c for c in cols if c in have])
            for c in cols:
                if c not in df.columns:
                    df[c] = None
            df = df[cols]
        else:
            # CSV comes back as text: export's own conformer restores the table's types (it needs every
            # column, so the file is read whole)
            df = conform(pd.read_csv(path, dtype=csv_dtypes(name), encoding="utf-8-sig"), name)[cols]
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
        with open(p, "rb") as fh:
            magic = fh.read(16)
        if magic.startswith(b"SQLite format 3"):
            raise InputError(f"{p} is an SQLite database: pass it as sqlite:///{p}")
        if magic.startswith(b"PAR1") or p.suffix.lower() == ".parquet":
            raise InputError(f"{p} is a Parquet file: pass the folder `rectiparse export` wrote as parquet:{p.parent}")
        paths.append(p)
    return read_jsonl(paths, warn)


# --------------------------------------------------------------------------- computing


def _short(title: Any, path: Any, n: int = 16) -> str:
    s = title if isinstance(title, str) and title else (Path(path).name if isinstance(path, str) else "?")
    return s if len(s) <= n else s[: n - 1] + "…"


def _none(v: Any) -> Any:
    """pandas missing values (NA, NaN, None) → None."""
    import pandas as pd

    return None if v is None or (not isinstance(v, (str, list)) and pd.isna(v)) else v


def _iso(v: Any) -> str | None:
    """A date cell (``datetime.date`` from a typed table, or ISO text from an older database) → ISO text."""
    v = _none(v)
    return None if v is None else str(v)[:10]


def _year(v: Any) -> int | None:
    iso = _iso(v)
    return int(iso[:4]) if iso and iso[:4].isdigit() else None


MONEY_ROLES = ("spent", "recovered", "planned")


def compute(t: dict[str, Any], top: int = TOP) -> dict[str, Any]:
    """Everything the page shows, as plain Python values (also handy for tests and other front-ends).

    Whole-archive aggregates are computed with pandas group-bys, never one filter per document, so 10,000
    documents cost seconds, not minutes. Per-document values go to ``doc_rows`` for the paginated table."""

    docs, items, figs = t["documents"], t["items"], t["figures"]
    issues = t.get("validation_issues")
    docs = docs.assign(_date=docs["date"].map(_iso)).sort_values(["_date", "path"], na_position="last",
                                                                  kind="stable")
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

    st = items["status"].map(lambda v: status_key(_none(v)))
    status_per_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for (sha, code), n in items.assign(_st=st).groupby(["sha256", "_st"]).size().items():
        status_per_doc[sha][code] = int(n)
    out["status_per_doc"] = status_per_doc
    out["status_overall"] = Counter({k: int(v) for k, v in st.value_counts().items()})

    # declared vs found, with the validator's rule: problems and suggestions count, else every item
    is_prob = items["kind"].isin(["problem", "suggestion"])
    has_prob = set(items.loc[is_prob, "sha256"])
    sel = items[is_prob | ~items["sha256"].isin(has_prob)].assign(_st=st)
    n_found = sel.groupby("sha256").size().to_dict()
    found_by = sel.groupby(["sha256", "_st"]).size().to_dict()
    meas_found = sel.groupby("sha256")["n_measures"].sum().to_dict()
    compare = []
    for r in docs.itertuples():
        rows = [("problems_total", _none(r.summary_problems_total), int(n_found.get(r.sha256, 0)))]
        rows += [(f, _none(getattr(r, f"summary_{f}")), int(found_by.get((r.sha256, f), 0))) for f in STATUS_FIELDS]
        rows.append(("measures_total", _none(r.summary_measures_total), int(meas_found.get(r.sha256, 0) or 0)))
        for fld, declared, n in rows:
            if declared is not None:
                compare.append({"sha256": r.sha256, "field": fld, "declared": int(declared), "found": n,
                                "mismatch": int(declared) != n})
    out["compare"] = compare
    bad = {c["sha256"] for c in compare if c["mismatch"]}
    out["mismatched_docs"] = [s for s in out["order"] if s in bad]
    agg: dict[str, dict[str, int]] = {}
    for c in compare:
        a = agg.setdefault(c["field"], {"documents": 0, "declared": 0, "found": 0, "mismatched": 0})
        a["documents"] += 1
        a["declared"] += c["declared"]
        a["found"] += c["found"]
        a["mismatched"] += int(c["mismatch"])
    out["declared_totals"] = agg
    diffs = [c for c in compare if c["field"] == "problems_total" and c["mismatch"]]
    out["top_mismatch"] = sorted(diffs, key=lambda c: -abs(c["found"] - c["declared"]))[:top]

    # figures: sums by (kind, unit); money per role and document; people per document
    figs = figs.assign(_v=figs["value"].fillna(0).astype(float), _u=figs["unit"].map(lambda v: _none(v) or ""),
                       _k=figs["kind"].map(lambda v: _none(v) or "other"))
    if "role" not in figs.columns:  # a database written before money roles were recorded
        figs = figs.assign(role=None)
    sums = figs.groupby(["_k", "_u"]).agg(n=("_v", "size"), sum=("_v", "sum"), max=("_v", "max"),
                                          documents=("sha256", "nunique"))
    out["figure_sums"] = sorted(
        ({"kind": k, "unit": u, "n": int(r["n"]), "sum": float(r["sum"]), "max": float(r["max"]),
          "documents": int(r["documents"])} for (k, u), r in sums.iterrows()),
        key=lambda r: (r["kind"] != "money", r["kind"], -r["n"]),
    )
    money = figs[(figs["_k"] == "money") & (figs["_u"] == "元")].assign(
        _r=lambda d: d["role"].map(lambda v: _none(v) or "stated"))
    out["money_totals"] = {r: float(money.loc[money["_r"] == r, "_v"].sum()) for r in (*MONEY_ROLES, "stated")}
    out["money_counts"] = {r: int((money["_r"] == r).sum()) for r in (*MONEY_ROLES, "stated")}
    per = money.groupby(["sha256", "_r"])["_v"].sum()
    money_per_doc: dict[str, dict[str, float]] = defaultdict(dict)
    for (sha, role), v in per.items():
        money_per_doc[sha][role] = float(v)
    out["money_per_doc"] = money_per_doc
    people = figs[(figs["_k"] == "count") & figs["_u"].isin(PEOPLE_UNITS)].groupby("sha256")["_v"].sum()
    out["people_per_doc"] = Counter({k: float(v) for k, v in people.items()})

    cat = items["category"].map(_none)
    path_tail = items["path"].map(lambda p: p.split(" / ")[-1] if isinstance(p, str) and p else "(no heading)")
    out["categories"] = Counter(cat.where(cat.notna(), path_tail).tolist())
    out["by_kind"] = Counter(_none(k) or "problem" for k in items["kind"])

    # per year and per issuer (aggregates first: these stay readable at any archive size)
    doc_year = {r.sha256: _year(r.date) for r in docs.itertuples()}
    doc_issuer = {r.sha256: _none(r.issuer) or "(issuer unknown)" for r in docs.itertuples()}
    years: dict[Any, dict[str, Any]] = {}
    for r in docs.itertuples():
        y = doc_year[r.sha256] or "no date"
        e = years.setdefault(y, {"documents": 0, "items": 0, "status": Counter(), "mismatched": 0,
                                 "money": Counter()})
        e["documents"] += 1
        e["mismatched"] += int(r.sha256 in bad)
        per_doc = status_per_doc.get(r.sha256, Counter())
        e["items"] += sum(per_doc.values())
        e["status"].update(per_doc)
        e["money"].update(money_per_doc.get(r.sha256, Counter()))
    out["per_year"] = dict(sorted(years.items(), key=lambda kv: (isinstance(kv[0], str), kv[0])))
    issuers: dict[str, dict[str, Any]] = {}
    for sha, name in doc_issuer.items():
        e = issuers.setdefault(name, {"documents": 0, "items": 0, "status": Counter(), "mismatched": 0,
                                      "years": set()})
        e["documents"] += 1
        per_doc = status_per_doc.get(sha, Counter())
        e["items"] += sum(per_doc.values())
        e["status"].update(per_doc)
        e["mismatched"] += int(sha in bad)
        if doc_year[sha]:
            e["years"].add(doc_year[sha])
    out["per_issuer"] = issuers
    out["top_issuers"] = sorted(issuers, key=lambda k: (-issuers[k]["items"], -issuers[k]["documents"], k))[:top]

    codes: Counter[tuple[str, str]] = Counter()
    if issues is not None and len(issues):
        for (code, sev), n in issues.groupby(["code", "severity"]).size().items():
            codes[(code, sev)] = int(n)
    out["issue_codes"] = codes

    # one row per document for the paginated, filterable table
    decl = {(c["sha256"], c["field"]): c for c in compare}
    doc_rows = []
    for r in docs.itertuples():
        per_doc = status_per_doc.get(r.sha256, Counter())
        m: dict[str, float] = money_per_doc.get(r.sha256, {})
        tot = decl.get((r.sha256, "problems_total"))
        differing = [f"{c['field']} {c['declared']}≠{c['found']}" for c in compare_of(decl, r.sha256)
                     if c["mismatch"]]
        doc_rows.append([
            _none(r.title) or labels[r.sha256], _none(r.doc_type) or "other", _none(r.issuer) or "",
            _iso(r.date) or "", _none(r.format) or "", *(per_doc.get(status_key(s), 0) for s in STATUS_ORDER),
            sum(per_doc.values()), tot["declared"] if tot else None, tot["found"] if tot else None,
            "; ".join(differing), _int(r.n_errors), _int(r.n_warnings),
            *(round(m.get(role, 0.0)) for role in MONEY_ROLES), _none(r.path) or "", r.sha256[:12],
        ])
    out["doc_rows"] = doc_rows
    out["documents"] = docs
    return out


def compare_of(decl: dict[tuple[str, str], dict[str, Any]], sha: str) -> list[dict[str, Any]]:
    fields = ["problems_total", *STATUS_FIELDS, "measures_total"]
    return [decl[(sha, f)] for f in fields if (sha, f) in decl]


def _int(v: Any) -> int | None:
    v = _none(v)
    return None if v is None else int(v)


# columns of the document table: (header, kind, key) — kind num/text; key names the column for the JS filters
DOC_COLUMNS: list[tuple[str, str, str]] = [
    ("title", "text", "title"), ("type", "text", "type"), ("issuer", "text", "issuer"), ("date", "text", "date"),
    ("format", "text", "format"),
    *((status_label(s), "num", f"st_{status_key(s)}") for s in STATUS_ORDER),
    ("items", "num", "items"), ("declared", "num", "declared"), ("found", "num", "found"),
    ("summary mismatch", "text", "mismatch"), ("errors", "num", "errors"), ("warnings", "num", "warnings"),
    ("spent 元", "num", "spent"), ("recovered 元", "num", "recovered"), ("planned 元", "num", "planned"),
    ("path", "text", "path"), ("sha256", "text", "sha256"),
]


# --------------------------------------------------------------------------- rendering


def render(t: dict[str, Any], *, title: str = "rectiparse archive report", source: str = "",
           top: int = TOP, page_size: int = 50) -> str:
    """The report page: aggregates (charts and small tables) first, then the documents as one paginated,
    filterable table whose rows travel as JSON and are drawn by the browser a page at a time."""
    import json

    from markupsafe import Markup

    c = compute(t, top)
    labels = c["labels"]
    docs = c["documents"]
    series = [(status_key(s), f"{STATUS[s][0]} {s or 'none'}", STATUS[s][1]) for s in STATUS_ORDER]
    overall = c["status_overall"]
    charts: dict[str, Any] = {}
    charts["status"] = bar_chart(
        "chart-status-overall", f"All items by status ({c['n_items']:,})",
        [(f"{STATUS[s][0]} {s or 'none'}", overall[status_key(s)]) for s in STATUS_ORDER if overall[status_key(s)]],
        colours=[STATUS[s][1] for s in STATUS_ORDER if overall[status_key(s)]])
    charts["doc_type"] = bar_chart("chart-doc-type", "Documents by type",
                                   [(DOC_TYPES.get(k, k), v) for k, v in c["by_type"].most_common()])
    charts["year"] = stacked_chart("chart-year", "Items by status, per year of the bulletin",
                                   [(str(y), e["status"]) for y, e in c["per_year"].items()], series,
                                   empty="no dated documents")
    issuers = c["per_issuer"]
    charts["issuer"] = stacked_chart(
        "chart-issuer", f"Items by status, top {min(top, len(issuers))} issuers of {len(issuers):,}",
        [(name, issuers[name]["status"]) for name in c["top_issuers"]], series)
    agg = c["declared_totals"]
    fields = ["problems_total", *STATUS_FIELDS, "measures_total"]
    charts["declared"] = paired_chart(
        "chart-declared", "Declared vs found, summed over the documents that declare each count (red: some "
        "document disagrees)",
        [(f"{status_label(f) if f in STATUS_FIELDS else f} ({agg[f]['documents']} docs)", agg[f]["declared"],
          agg[f]["found"], agg[f]["mismatched"] > 0) for f in fields if f in agg],
        empty="no document declares its totals")
    charts["mismatch"] = paired_chart(
        "chart-mismatch", f"Largest problem-count mismatches (top {top})",
        [(labels[x["sha256"]], x["declared"], x["found"], True) for x in c["top_mismatch"]],
        empty="no document's problem count disagrees")
    money_colours = {"spent": "#f0b400", "recovered": "#2e7d32", "planned": "#90a4ae"}
    money_titles = {"spent": "Money spent (投入, 拨付, 使用 …)", "recovered": "Money recovered (追回, 收回, 退还 …)",
                    "planned": "Money planned (计划, 目标, 力争 …; targets, not spending)"}
    for role in MONEY_ROLES:
        per = sorted(((sha, m[role]) for sha, m in c["money_per_doc"].items() if m.get(role)), key=lambda kv: -kv[1])
        charts[f"money_{role}"] = bar_chart(
            f"chart-money-{role}", f"{money_titles[role]} — top {top} documents, 元",
            [(labels[s], v) for s, v in per[:top]], colours=money_colours[role], fmt=fmt_money,
            empty=f"no money figure reads as {role}")
    charts["people"] = bar_chart(
        "chart-people", f"People stated per document (人 / 人次 / 名 / 位), top {top}",
        [(labels[s], v) for s, v in c["people_per_doc"].most_common(top)], colours="#8e24aa",
        empty="no people counts")
    cats = c["categories"]
    charts["categories"] = bar_chart(
        "chart-categories", f"Items per category (top {min(top, len(cats))} of {len(cats):,})",
        cats.most_common(top), colours="#26a69a")
    charts["kinds"] = bar_chart("chart-kinds", "Items per kind", c["by_kind"].most_common(), colours="#7e57c2")
    codes = c["issue_codes"]
    charts["issues"] = bar_chart("chart-issues", "Validation issues by code",
                                 [(f"{code} ({sev})", n) for (code, sev), n in codes.most_common(top)],
                                 colours="#e57373", empty="no validation issues")
    charts = {k: Markup(v) for k, v in charts.items()}  # built by _common, which escapes every value it prints

    data = {"columns": [{"h": h, "kind": k, "key": key} for h, k, key in DOC_COLUMNS], "rows": c["doc_rows"],
            "pageSize": page_size}
    # inside <script>: no character of the data may read as markup ("</script>", "<!--")
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    n_err = int(docs["n_errors"].fillna(0).sum())
    return environment().get_template("report.html.j2").render(
        title=title, source=source, c=c, charts=charts, fields=fields, agg=agg, status_fields=STATUS_FIELDS,
        doc_types=DOC_TYPES, money_roles=MONEY_ROLES, top=top, n_err=n_err,
        issuers=issuers, top_issuers=c["top_issuers"], status_order=STATUS_ORDER,
        doc_json=Markup(payload), money_totals=c["money_totals"], money_counts=c["money_counts"],
    )


# --------------------------------------------------------------------------- CLI


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="documents.jsonl (or the batch output folder holding it), or what `rectiparse export` "
                        "wrote: a database URL (sqlite:///archive.db, postgresql://…), parquet:DIR or csv:DIR")
    p.add_argument("-o", "--output", metavar="HTML", help="write the page here (default: standard output)")
    p.add_argument("--title", default="rectiparse archive report", help="page heading")


def run(args: argparse.Namespace) -> int:
    from rectiparse.logs import say

    def warn(msg: str) -> None:  # skipped lines, empty input: silenced by -q like every warning
        say(f"rectiparse report: {msg}")

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
        from rectiparse.cli import write_output

        if problem := write_output(args.output, html_text, make_parents=True):
            print(f"rectiparse report: error: {problem}", file=sys.stderr)
            return EXIT_INPUT
    else:
        sys.stdout.write(html_text)
    return EXIT_OK
