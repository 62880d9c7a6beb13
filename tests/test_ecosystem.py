"""Issue 14, "fits its ecosystem": installable with extras that name themselves, --version, -v/-q anywhere,
stdin and batch folders everywhere, databases analysts like (foreign keys, DATE, JSONB, Arrow lists, CSV with a
BOM) whose documented queries return rows, and a wheel that works outside the checkout."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from rectiparse.cli import main
from rectiparse.export import FOREIGN_KEYS, TABLES, export, sqlalchemy_url

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED_002 = SAMPLES / "002_056a472a98951650.txt"
SEED_004 = SAMPLES / "004_dd361c94b27cbe2f.txt"
SCAN = SAMPLES / "pdf" / "002_056a472a98951650_scan.pdf"


def cli(*args: str, stdin: bytes | None = None, hide: str | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter; ``hide`` makes one optional package unimportable (as if not installed)."""
    code = "import sys\n"
    if hide:
        code += f"sys.modules[{hide!r}] = None\n"
    code += "from rectiparse.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, timeout=300,
                          cwd=cwd)


def text(p: subprocess.CompletedProcess[bytes]) -> str:
    return p.stderr.decode("utf-8", "replace")


# --------------------------------------------------------------------------- packaging


def test_version_names_package_model_and_rules() -> None:
    out = cli("--version")
    assert out.returncode == 0
    lines = out.stdout.decode().splitlines()
    assert re.fullmatch(r"rectiparse \d+\.\d+\.\d+.*", lines[0])
    assert lines[1].startswith("model: blockrole ") and "sha256" in lines[1]
    assert lines[2].startswith("rules: sha256 ")


def test_rules_version_changes_with_an_override(tmp_path: Path) -> None:
    from rectiparse.about import rules_version

    (tmp_path / "status.yaml").write_text("codes:\n  completed: [已清零]\n", encoding="utf-8")
    assert rules_version() != rules_version(str(tmp_path))


def test_package_metadata_license_and_typing() -> None:
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert "License :: OSI Approved :: MIT License" in meta["classifiers"]
    assert "Typing :: Typed" in meta["classifiers"] and meta["keywords"]
    assert (ROOT / "src" / "rectiparse" / "py.typed").exists()
    # optional dependencies are optional: pkuseg is only for `train --pkuseg-model`
    assert not any(d.startswith("spacy-pkuseg") for d in meta["dependencies"])
    assert any(d.startswith("spacy-pkuseg") for d in meta["optional-dependencies"]["pkuseg"])
    for extra in ("ocr", "postgres", "parquet", "dask", "pkuseg"):
        assert f"pip install 'rectiparse[{extra}" in (ROOT / "README.md").read_text(encoding="utf-8") or \
            f"| `{extra}` |" in (ROOT / "README.md").read_text(encoding="utf-8"), extra


@pytest.mark.parametrize(
    ("hide", "args", "extra"),
    [
        ("pyarrow", ["export", str(SEED_002), "--to", "parquet:{tmp}/pq"], "parquet"),
        ("pyarrow", ["report", "parquet:{tmp}/pq", "-o", "{tmp}/r.html"], "parquet"),
        ("psycopg", ["export", "{tmp}/one.json", "--to", "postgresql://u@127.0.0.1:1/x"], "postgres"),
        ("distributed", ["batch", str(SEED_002), "-o", "{tmp}/out", "--engine", "dask"], "dask"),
        ("rapidocr_onnxruntime", ["extract", str(SCAN), "-o", "{tmp}/o.json"], "ocr"),
        ("spacy_pkuseg", ["train", "--pkuseg-model", "{tmp}", "--out", "{tmp}/m"], "pkuseg"),
    ],
    ids=["export-parquet", "report-parquet", "export-postgres", "batch-dask", "extract-ocr", "train-pkuseg"],
)
def test_a_missing_extra_is_named_exit_2_no_traceback(hide: str, args: list[str], extra: str, tmp_path: Path) -> None:
    (tmp_path / "one.json").write_bytes(cli("extract", str(SEED_002)).stdout)
    out = cli(*(a.replace("{tmp}", str(tmp_path)) for a in args), hide=hide)
    err = text(out)
    assert out.returncode == 2, err
    assert f"pip install 'rectiparse[{extra}]'" in err
    assert "Traceback" not in err and "ModuleNotFoundError" not in err


def test_batch_reports_a_missing_ocr_extra_per_file(tmp_path: Path) -> None:
    out = cli("batch", str(SCAN), "-o", str(tmp_path / "out"), "-j", "1", hide="rapidocr_onnxruntime")
    assert out.returncode == 1
    [err] = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "pip install 'rectiparse[ocr]'" in err["message"]


# --------------------------------------------------------------------------- logging


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_before_or_after_the_command_logs_each_stage(where: str) -> None:
    args = ["-v", "extract", str(SEED_002)] if where == "before" else ["extract", str(SEED_002), "-v"]
    out = cli(*args)
    assert out.returncode == 0
    err = text(out)
    for stage in ("load", "normalise", "segment", "extract", "validate"):
        line = next((ln for ln in err.splitlines() if f": {stage}: " in ln), None)
        assert line is not None, (stage, err)
        assert re.search(r"\(\d+\.\d ms\)$", line), line
    assert "15 item(s)" in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_leaves_errors_only(where: str, tmp_path: Path) -> None:
    # seed 004 contradicts its own summary: warnings normally, silence with -q (the exit code still says so)
    loud = cli("extract", str(SEED_004), "-o", str(tmp_path / "a.json"))
    assert loud.returncode == 1 and "summary_mismatch" in text(loud)
    args = ["-q", "extract", str(SEED_004)] if where == "before" else ["extract", str(SEED_004), "-q"]
    quiet = cli(*args, "-o", str(tmp_path / "b.json"))
    assert quiet.returncode == 1 and text(quiet) == ""
    # errors still reach the terminal
    bad = cli("-q", "extract", str(tmp_path / "missing.txt"))
    assert bad.returncode == 2 and "missing.txt" in text(bad)
    # export's closing summary is silenced too; batch -q keeps working after the command as before
    assert text(cli("export", str(tmp_path / "a.json"), "--to", f"sqlite:///{tmp_path / 'a.db'}", "-q")) == ""
    assert text(cli("-q", "batch", str(SEED_002), "-o", str(tmp_path / "out"))) == ""


@pytest.mark.slow
def test_quiet_silences_dask(tmp_path: Path) -> None:
    out = cli("batch", str(SEED_002), "-o", str(tmp_path / "out"), "--engine", "dask", "-j", "1", "-q")
    assert out.returncode == 0, text(out)
    assert text(out) == ""  # no "distributed.scheduler - INFO" lines, no summary


# --------------------------------------------------------------------------- stdin, folders, pretty JSON


@pytest.fixture(scope="module")
def small_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("eco") / "out"
    assert main(["batch", *(str(p) for p in sorted(SAMPLES.glob("*.txt"))), str(SAMPLES / "wild"), "-o", str(out),
                 "-j", "2", "-q"]) == 0
    return out


def test_show_export_report_accept_stdin_and_the_batch_folder(small_batch: Path, tmp_path: Path) -> None:
    jsonl = (small_batch / "documents.jsonl").read_bytes()
    # show: a bulletin or its JSON on stdin; one document of a batch folder chosen with --doc
    assert cli("show", "-", "-o", str(tmp_path / "s1.html"), stdin=SEED_002.read_bytes()).returncode == 0
    assert "产业项目与合同约定投资强度" in (tmp_path / "s1.html").read_text(encoding="utf-8")
    pretty = cli("extract", str(SEED_002), "--pretty").stdout
    assert cli("show", "-", "-o", str(tmp_path / "s2.html"), stdin=pretty).returncode == 0
    many = cli("show", str(small_batch), "-o", str(tmp_path / "s3.html"))
    assert many.returncode == 2 and "--doc" in text(many)  # a JSONL is never parsed as if it were a bulletin
    assert cli("show", str(small_batch), "--doc", "002_056a", "-o", str(tmp_path / "s3.html")).returncode == 0
    assert "邵阳经济技术开发区" in (tmp_path / "s3.html").read_text(encoding="utf-8")
    # export: stdin and the folder give the same database
    n = len(jsonl.splitlines())
    assert cli("export", "-", "--to", f"sqlite:///{tmp_path / 'a.db'}", stdin=jsonl).returncode == 0
    assert cli("export", str(small_batch), "--to", f"sqlite:///{tmp_path / 'b.db'}").returncode == 0
    for db in ("a.db", "b.db"):
        with sa.create_engine(f"sqlite:///{tmp_path / db}").connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one() == n
    assert cli("export", "-").returncode == 2  # no default target for stdin
    # report: stdin and the folder give the same page
    assert cli("report", "-", "-o", str(tmp_path / "r1.html"), stdin=jsonl).returncode == 0
    assert cli("report", str(small_batch), "-o", str(tmp_path / "r2.html")).returncode == 0
    kpi = re.compile(r"<b>([\d,]+)</b><span>documents</span>")
    assert kpi.findall((tmp_path / "r1.html").read_text(encoding="utf-8")) == [f"{n:,}"]
    assert kpi.findall((tmp_path / "r2.html").read_text(encoding="utf-8")) == [f"{n:,}"]


@pytest.mark.parametrize("pretty", [True, False], ids=["pretty", "compact"])
def test_export_takes_one_extract_json(pretty: bool, tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    assert main(["extract", str(SEED_002), "-o", str(one), *(["--pretty"] if pretty else [])]) == 0
    out = cli("export", str(one), "--to", f"sqlite:///{tmp_path / 'one.db'}")
    assert out.returncode == 0, text(out)
    assert "1 document(s) written" in text(out) and "rejected" in text(out) and "rejected " not in text(out)
    with sa.create_engine(f"sqlite:///{tmp_path / 'one.db'}").connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM items")).scalar_one() == 15
    piped = cli("export", "-", "--to", f"csv:{tmp_path / 'csv'}", stdin=one.read_bytes())
    assert piped.returncode == 0, text(piped)


# --------------------------------------------------------------------------- databases


@pytest.fixture(scope="module")
def sample_db(small_batch: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'samples.db'}"
    assert not export([small_batch / "documents.jsonl"], url).rejected
    return url


def _check_sql_types(url: str) -> None:
    engine = sa.create_engine(sqlalchemy_url(url))
    insp = sa.inspect(engine)
    try:
        for table, fks in FOREIGN_KEYS.items():
            declared = {(tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]))
                        for fk in insp.get_foreign_keys(table)}
            assert declared == set(fks), table
        types = {c["name"]: c["type"] for c in insp.get_columns("documents")}
        assert isinstance(types["date"], sa.Date) and isinstance(types["summary_as_of"], sa.Date)
        assert isinstance({c["name"]: c["type"] for c in insp.get_columns("deadlines")}["date"], sa.Date)
        with engine.connect() as conn:
            date = conn.execute(sa.text("SELECT date FROM documents WHERE date IS NOT NULL LIMIT 1")).scalar_one()
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date))
            if engine.dialect.name == "postgresql":
                assert type(types["phones"]).__name__ == "JSONB"
                n = conn.execute(sa.text("SELECT count(*) FROM documents WHERE jsonb_typeof(phones) = 'array'"))
                assert n.scalar_one() > 0
            else:
                n = conn.execute(sa.text("SELECT count(*) FROM documents, json_each(documents.phones)"))
                assert n.scalar_one() > 0
                assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar_one() in (0, 1)
    finally:
        engine.dispose()


def test_sqlite_has_foreign_keys_dates_and_json(sample_db: str) -> None:
    _check_sql_types(sample_db)
    # the foreign keys are enforced when rectiparse writes: an orphan item is refused
    from rectiparse.export import SQLSink

    sink = SQLSink(sample_db)
    try:
        with pytest.raises(sa.exc.IntegrityError), sink.engine.begin() as conn:
            conn.execute(sink.tables["items"].insert(), [{"sha256": "0" * 64, "item_id": "1"}])
    finally:
        sink.close()


def test_a_database_from_an_older_export_is_refused_with_a_reason(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with sa.create_engine(f"sqlite:///{db}").begin() as conn:  # the figures table as it was before `role`
        conn.execute(sa.text("CREATE TABLE figures (sha256 VARCHAR(64), figure_no BIGINT, value FLOAT)"))
    (tmp_path / "one.json").write_bytes(cli("extract", str(SEED_002)).stdout)
    out = cli("export", str(tmp_path / "one.json"), "--to", f"sqlite:///{db}")
    assert out.returncode == 2
    assert "older rectiparse" in text(out) and "role" in text(out) and "Traceback" not in text(out)


@pytest.mark.postgres
def test_postgres_has_foreign_keys_dates_and_jsonb(pg_url: str, small_batch: Path) -> None:
    assert not export([small_batch / "documents.jsonl"], pg_url).rejected
    _check_sql_types(pg_url)


def _example_queries(dialect: str) -> list[str]:
    doc = (ROOT / "docs" / "sql-schema.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", doc, flags=re.S)
    out = []
    for b in blocks:
        first = b.splitlines()[0]
        if first.startswith("-- SQLite") and dialect != "sqlite":
            continue
        if first.startswith("-- PostgreSQL") and dialect != "postgresql":
            continue
        out.append(b)
    return out


def _run_examples(url: str, dialect: str) -> None:
    queries = _example_queries(dialect)
    assert len(queries) >= 6
    engine = sa.create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            for q in queries:
                rows = conn.execute(sa.text(q)).fetchall()
                assert rows, f"no rows from:\n{q}"
    finally:
        engine.dispose()


def test_documented_queries_return_rows_on_sqlite(sample_db: str) -> None:
    _run_examples(sample_db, "sqlite")


@pytest.mark.postgres
def test_documented_queries_return_rows_on_postgres(pg_url: str, small_batch: Path) -> None:
    assert not export([small_batch / "documents.jsonl"], pg_url).rejected
    _run_examples(pg_url, "postgresql")


def test_parquet_has_list_and_date_types(small_batch: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    export([small_batch / "documents.jsonl"], f"parquet:{tmp_path / 'pq'}")
    docs = pq.read_table(tmp_path / "pq" / "documents.parquet")
    assert docs.schema.field("phones").type == pa.list_(pa.string())
    assert docs.schema.field("date").type == pa.date32()
    tables = pq.read_schema(tmp_path / "pq" / "doc_tables.parquet")
    assert tables.field("rows").type == pa.list_(pa.list_(pa.string()))
    assert any(p for p in docs.column("phones").to_pylist() if p)
    # a second export (upsert: old rows read back and rewritten) keeps the types
    export([small_batch / "documents.jsonl"], f"parquet:{tmp_path / 'pq'}")
    again = pq.read_table(tmp_path / "pq" / "documents.parquet")
    assert again.schema == docs.schema and again.num_rows == docs.num_rows


def test_csv_starts_with_a_bom_and_survives_an_upsert(small_batch: Path, tmp_path: Path) -> None:
    for _ in range(2):  # the second run reads the old rows back (through the BOM) and rewrites them
        export([small_batch / "documents.jsonl"], f"csv:{tmp_path / 'csv'}")
    for name in TABLES:
        raw = (tmp_path / "csv" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfsha256,"), name
        assert raw.count(b"\xef\xbb\xbf") == 1, name
    with open(tmp_path / "csv" / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    n = len((small_batch / "documents.jsonl").read_text(encoding="utf-8").splitlines())
    assert len(rows) == n
    phones = [json.loads(r["phones"]) for r in rows if r["phones"]]
    assert phones and all(isinstance(p, list) for p in phones)


@pytest.mark.parametrize(
    ("before", "field", "doc_type", "role"),
    [("投入资金", None, None, "spent"), ("共追回资金", None, None, "recovered"),
     ("力争到2025年完成投资", None, None, "planned"), ("违规资金共计", None, None, "stated"),
     ("下步", "next_steps", None, "planned"), ("新建项目", None, "plan", "planned"),
     ("投入资金。共追回", None, None, "recovered"), ("计划投入；已拨付", None, None, "spent")],
)
def test_money_role(before: str, field: str | None, doc_type: str | None, role: str) -> None:
    from rectiparse.money import money_role

    assert money_role(before, field, doc_type) == role


# --------------------------------------------------------------------------- memory


def test_batch_workers_start_with_the_model_loaded(tmp_path: Path) -> None:
    """The model is loaded in the parent before the pool forks: a worker never loads its own copy."""
    from concurrent.futures import ProcessPoolExecutor

    from rectiparse import batch

    code = (
        "import multiprocessing as mp, sys\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from rectiparse import batch\n"
        "from rectiparse.segment import model\n"
        "def probe(_):\n"
        "    return len(model._LOADED)\n"
        "if __name__ == '__main__':\n"
        "    opts = batch.Options()\n"
        "    chunks = iter([])\n"
        "    list(batch.run_local(chunks, opts, frozenset(), 2, lambda: False))\n"
        "    assert model._LOADED, 'parent did not preload'\n"
        "    with ProcessPoolExecutor(2, mp_context=mp.get_context('fork')) as pool:\n"
        "        print(list(pool.map(probe, range(2))))\n"
    )
    script = tmp_path / "probe.py"
    script.write_text(code, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[1, 1]"
    assert ProcessPoolExecutor and batch.preload_model  # the names the probe relies on


# --------------------------------------------------------------------------- the installed wheel


def _link_dependencies(venv: Path, exclude: set[str]) -> None:
    """Make this environment's installed distributions (except rectiparse and ``exclude``) visible in ``venv``
    by symlinking their files: an offline stand-in for downloading them, so that ``pip install --no-index`` of
    the wheel resolves every requirement against real installed packages — and fails if one is missing."""
    import importlib.metadata as md
    import sysconfig

    target = Path(subprocess.run([str(venv / "bin" / "python"), "-c",
                                  "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 capture_output=True, text=True, check=True).stdout.strip())
    here = Path(sysconfig.get_paths()["purelib"])
    for dist in md.distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name in exclude or name == "rectiparse" or Path(str(dist._path)).parent != here:  # type: ignore[attr-defined]
            continue
        tops = {Path(str(f)).parts[0] for f in dist.files or [] if not str(f).startswith("..")}
        for top in tops:
            src = here / top
            if src.exists() and not (target / top).exists() and not top.endswith(".pth"):
                (target / top).symlink_to(src)


@pytest.mark.slow
def test_the_wheel_installs_with_one_extra_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    """Issue 14's "done when": build the wheel offline, install it with the ``parquet`` extra into a fresh
    virtual environment (no other extra, no spacy-pkuseg), then run extract, batch, export, report, show and
    train from a folder that is not the checkout."""
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
                            str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0 and "hatchling" in build.stderr + build.stdout:
        pytest.skip("hatchling not installed for an offline build")
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("rectiparse-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("rectiparse/py.typed", "rectiparse/train_data/blockrole.cfg",
                   "rectiparse/view/templates/report.html.j2", "rectiparse/view/templates/base.html.j2",
                   "rectiparse/view/templates/show.html.j2", "rectiparse/view/templates/show_text.html.j2",
                   "rectiparse/view/report.js",
                   "rectiparse/segment/model_data/blockrole/meta.json"):
        assert needed in names, needed
    assert any(n.endswith("licenses/LICENSE") or n.endswith("/LICENSE") for n in names)
    assert any(n.startswith("rectiparse/train_data/roles/") for n in names)
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Classifier: License :: OSI Approved :: MIT License" in meta
    assert "Requires-Dist: spacy-pkuseg" in meta and "extra == 'pkuseg'" in meta

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    _link_dependencies(venv, exclude={"psycopg", "psycopg-binary", "dask", "distributed", "rapidocr-onnxruntime",
                                      "onnxruntime", "spacy-pkuseg", "pip"})
    # pip itself from this environment, run by the new interpreter against the new environment
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    env = {**os.environ, "PYTHONPATH": str(Path(__import__("pip").__file__).parents[1]),
           "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    inst = subprocess.run([*pip, "install", "--no-index", f"{wheel}[parquet]"], capture_output=True, text=True,
                          env=env, cwd=tmp_path)
    assert inst.returncode == 0, inst.stdout[-2000:] + inst.stderr[-2000:]

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RECTIPARSE_RULES", "RECTIPARSE_MODEL")}
    exe = str(venv / "bin" / "rectiparse")

    def run(*args: str, ok: tuple[int, ...] = (0,)) -> str:
        p = subprocess.run([exe, *args], capture_output=True, text=True, cwd=work, env=env, timeout=300)
        assert p.returncode in ok, (args, p.returncode, p.stderr[-3000:])
        return p.stdout + p.stderr

    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import rectiparse; print(rectiparse.__file__)"],
                           capture_output=True, text=True, cwd=work, env=env).stdout
    assert str(venv) in where and str(ROOT) not in where
    assert "model: blockrole" in run("--version")
    run("extract", str(SEED_002), "-o", "one.json", "--pretty")
    assert len(json.loads((work / "one.json").read_text(encoding="utf-8"))["items"]) == 15
    run("batch", *(str(p) for p in sorted(SAMPLES.glob("*.txt"))), str(SAMPLES / "html"), "-o", "out", "-j", "2")
    run("export", "out", "--to", "sqlite:///archive.db")
    run("export", "out", "--to", "parquet:pq")
    run("export", "one.json", "--to", "csv:csv")
    run("report", "out", "-o", "report.html")
    run("report", "sqlite:///archive.db", "-o", "report-db.html")
    assert (work / "report.html").stat().st_size > 10_000
    run("show", str(SEED_004), "-o", "show.html", ok=(1,))
    # the extras that were not installed name themselves
    assert "pip install 'rectiparse[postgres]'" in run("export", "out", "--to", "postgresql://u@127.0.0.1:1/x",
                                                       ok=(2,))
    assert "pip install 'rectiparse[dask]'" in run("batch", str(SEED_002), "-o", "o2", "--engine", "dask", ok=(2,))
    # train reproduces the model from the config and role files inside the wheel
    out = run("train", "--out", str(work / "model"))
    assert "trained on" in out and (work / "model" / "meta.json").exists()
