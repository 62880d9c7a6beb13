"""`rectiparse batch`: every input accounted for, re-runs that skip, Ctrl-C that leaves whole lines, writes to a
database while parsing, and a Dask run that gives the local engine's output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from rectiparse.batch import discover
from rectiparse.cli import main
from rectiparse.export import TABLES, sqlalchemy_url

ROOT = Path(__file__).resolve().parents[1]


def lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def make_inputs(root: Path, sample_texts: list[Path]) -> set[str]:
    """A folder tree with good files, a zip (good and bad members, a junk entry) and corrupt files mixed in.
    Returns the names every input must appear under in the output."""
    (root / "sub" / "deeper").mkdir(parents=True)
    for p in sample_texts:
        (root / p.name).write_bytes(p.read_bytes())
    # the same bulletins under other names, made distinct by trailing blank lines
    for k, p in enumerate(sample_texts[:2]):
        (root / "sub" / "deeper" / f"copy{k}.txt").write_bytes(p.read_bytes() + b"\n" * (k + 1))
    (root / "empty.txt").write_bytes(b"")
    (root / "sub" / "picture.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    (root / "sub" / "notazip.zip").write_bytes(b"this is not a zip archive")
    (root / ".hidden.txt").write_text("hidden files are not inputs")
    with zipfile.ZipFile(root / "arc.zip", "w") as zf:
        zf.writestr("inner/a.txt", sample_texts[2].read_bytes() + b"\n\n\n")
        zf.writestr("inner/blank.txt", b"   \n")
        zf.writestr("__MACOSX/._a.txt", b"junk")
    names = {str(root / p.name) for p in sample_texts}
    names |= {str(root / "sub" / "deeper" / f"copy{k}.txt") for k in range(2)}
    names |= {str(root / "empty.txt"), str(root / "sub" / "picture.pdf"), str(root / "sub" / "notazip.zip")}
    names |= {f"{root / 'arc.zip'}!inner/a.txt", f"{root / 'arc.zip'}!inner/blank.txt"}
    return names


def test_discover_folders_globs_zips(tmp_path: Path, sample_texts: list[Path]) -> None:
    want = make_inputs(tmp_path / "in", sample_texts)
    tasks, errors, unmatched = discover([str(tmp_path / "in")])
    assert {t.path for t in tasks} | {e["path"] for e in errors} == want
    assert not unmatched
    tasks, _, unmatched = discover([str(tmp_path / "in" / "*.txt"), str(tmp_path / "nope*")])
    assert len(tasks) == len(sample_texts) + 1 and unmatched == [str(tmp_path / "nope*")]


def test_every_input_is_accounted_for_and_rerun_skips(
    tmp_path: Path, sample_texts: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    want = make_inputs(inp, sample_texts)
    assert main(["batch", str(inp), "-o", str(out), "-j", "2"]) == 1  # some files failed
    docs, errs, manifest = lines(out / "documents.jsonl"), lines(out / "errors.jsonl"), lines(out / "manifest.jsonl")
    done = {d["source"]["path"] for d in docs}
    failed = {e["path"] for e in errs}
    assert done | failed == want and not done & failed  # each input in exactly one of them
    assert len(docs) == len(want) - 4
    assert {e["error"] for e in errs} == {"LoadError", "BadZipFile"}
    assert all(e["message"] for e in errs)
    hidden = [m for m in manifest if m["status"] == "ignored"]  # left out, but listed: nothing dropped silently
    assert {m["path"] for m in hidden} == {str(inp / ".hidden.txt"), f"{inp / 'arc.zip'}!__MACOSX/._a.txt"}
    manifest = [m for m in manifest if m["status"] != "ignored"]
    assert {m["path"] for m in manifest} == done
    assert all(m["sha256"] == d["source"]["sha256"] for m, d in zip(manifest, docs, strict=True))
    assert all(d["text"] for d in docs)
    summary = capsys.readouterr().err
    assert f"{len(docs)} done, 0 skipped, 4 failed" in summary

    # a re-run parses nothing again and repeats nothing
    before = (out / "documents.jsonl").read_bytes()
    assert main(["batch", str(inp), "-o", str(out), "-j", "2"]) == 1
    assert (out / "documents.jsonl").read_bytes() == before
    assert f"0 done, {len(docs)} skipped, 4 failed" in capsys.readouterr().err
    assert len(lines(out / "errors.jsonl")) == 4  # still one line per failing file

    # fix a broken file: only it is parsed, and it leaves the errors file
    (inp / "empty.txt").write_bytes(sample_texts[0].read_bytes() + b"\n\n\n\n\n")
    assert main(["batch", str(inp), "-o", str(out), "-j", "1"]) == 1
    new = lines(out / "documents.jsonl")[len(docs):]
    assert [d["source"]["path"] for d in new] == [str(inp / "empty.txt")]
    assert str(inp / "empty.txt") not in {e["path"] for e in lines(out / "errors.jsonl")}


def test_other_options_or_rules_reparse_instead_of_skipping(
    tmp_path: Path, sample_texts: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The resume key is content + version + what decides the output: options and rules."""
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for p in sample_texts[:3]:
        (inp / p.name).write_bytes(p.read_bytes())
    assert main(["batch", str(inp), "-o", str(out), "-j", "1", "-q"]) == 0
    assert main(["batch", str(inp), "-o", str(out), "-j", "1"]) == 0
    assert "0 done, 3 skipped" in capsys.readouterr().err
    assert main(["batch", str(inp), "-o", str(out), "-j", "1", "--no-text"]) == 0
    assert "3 done, 0 skipped" in capsys.readouterr().err
    assert all("text" not in d for d in lines(out / "documents.jsonl")[3:])
    # edited rules: a new status phrase changes what a document can yield
    rules = tmp_path / "rules"
    rules.mkdir()
    status = (Path(__file__).resolve().parents[1] / "rules" / "status.yaml").read_text(encoding="utf-8")
    (rules / "status.yaml").write_text(status + "\n# edited\n", encoding="utf-8")
    assert main(["batch", str(inp), "-o", str(out), "-j", "1", "--no-text", "--rules", str(rules)]) == 0
    assert "0 done, 3 skipped" in capsys.readouterr().err  # a comment changes no rule
    assert "  completed:\n" in status
    edited = tmp_path / "rules2"  # another folder: rule sets are cached per folder within a process
    edited.mkdir()
    (edited / "status.yaml").write_text(status.replace("  completed:\n", "  completed:\n    - 已清零\n", 1),
                                        encoding="utf-8")
    assert main(["batch", str(inp), "-o", str(out), "-j", "1", "--no-text", "--rules", str(edited)]) == 0
    assert "3 done, 0 skipped" in capsys.readouterr().err
    configs = [m["config"] for m in lines(out / "manifest.jsonl")]
    assert len(configs) == 9 and len(set(configs)) == 3


def test_same_content_twice_is_one_document(tmp_path: Path, sample_texts: list[Path]) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for name in ("a.txt", "b.txt"):
        (inp / name).write_bytes(sample_texts[0].read_bytes())
    assert main(["batch", str(inp), "-o", str(out), "-j", "1", "-q"]) == 0
    assert len(lines(out / "documents.jsonl")) == 1
    assert [m["status"] for m in lines(out / "manifest.jsonl")] == ["done", "duplicate"]


def test_bad_usage(tmp_path: Path, sample_texts: list[Path]) -> None:
    assert main(["batch", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 2
    assert main(["batch", str(sample_texts[0]), "-o", str(tmp_path / "o"), "-j", "0"]) == 2
    assert main(["batch", str(sample_texts[0]), "-o", str(tmp_path / "o"), "--scheduler", "tcp://x:1"]) == 2
    assert main(["batch", str(sample_texts[0]), "-o", str(tmp_path / "o"), "--db", "parquet:x"]) == 2
    assert main(["batch", str(sample_texts[0])]) == 2  # -o is required
    assert not (tmp_path / "o").exists()


def _db_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(sqlalchemy_url(url))
    with engine.connect() as conn:
        got = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    engine.dispose()
    return got


def _batch_db(url: str, tmp_path: Path, sample_texts: list[Path]) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inp, sample_texts)
    assert main(["batch", str(inp), "-o", str(out), "-j", "2", "--db", url, "-q"]) == 1
    docs = lines(out / "documents.jsonl")
    got = _db_counts(url)
    assert got["documents"] == len(docs)
    assert got["items"] == sum(len(d["items"]) for d in docs)
    assert got["measures"] == sum(len(i["measures"]) for d in docs for i in d["items"])
    assert got["validation_issues"] == sum(len(d["validation"]["issues"]) for d in docs)
    # the same numbers as exporting the JSONL afterwards, into a fresh SQLite file
    ref = f"sqlite:///{tmp_path / 'ref.db'}"
    assert main(["export", str(out / "documents.jsonl"), "--to", ref]) == 0
    assert _db_counts(ref) == got
    # a forced re-parse (fresh output folder) into the same database adds no rows
    assert main(["batch", str(inp), "-o", str(tmp_path / "out2"), "-j", "1", "--db", url, "-q"]) == 1
    assert _db_counts(url) == got


def test_batch_writes_sqlite_while_parsing(tmp_path: Path, sample_texts: list[Path]) -> None:
    _batch_db(f"sqlite:///{tmp_path / 'live.db'}", tmp_path, sample_texts)


@pytest.mark.postgres
def test_batch_writes_postgres_while_parsing(pg_url: str, tmp_path: Path, sample_texts: list[Path]) -> None:
    _batch_db(pg_url, tmp_path, sample_texts)


def test_ctrl_c_leaves_whole_lines_and_resumes(tmp_path: Path, sample_texts: list[Path]) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    n = 200
    for k in range(n):
        src = sample_texts[k % len(sample_texts)]
        (inp / f"{k:04d}.txt").write_bytes(src.read_bytes() + b"\n" * (k // len(sample_texts) + 1))
    cmd = [sys.executable, "-m", "rectiparse.cli", "batch", str(inp), "-o", str(out), "-j", "2",
           "--chunk-size", "2"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, cwd=ROOT)
    docs = out / "documents.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not docs.exists() or docs.stat().st_size < 200_000):
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    first = lines(docs)  # raises on a half-written line
    if proc.returncode == 0:
        pytest.skip("the batch finished before Ctrl-C arrived; machine too fast for this test")
    assert proc.returncode == 130, err.decode()
    assert b"interrupted" in err
    assert 0 < len(first) < n
    manifest = lines(out / "manifest.jsonl")
    assert [m["sha256"] for m in manifest] == [d["source"]["sha256"] for d in first]

    # resume: the rest is parsed, nothing twice, nothing lost
    assert main(["batch", str(inp), "-o", str(out), "-j", "2", "-q"]) == 0
    final = lines(docs)
    paths = [d["source"]["path"] for d in final]
    assert len(paths) == len(set(paths)) == n
    assert final[: len(first)] == first


def test_half_line_from_a_hard_kill_is_repaired(tmp_path: Path, sample_texts: list[Path]) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for k, p in enumerate(sample_texts[:3]):
        (inp / f"{k}.txt").write_bytes(p.read_bytes())
    assert main(["batch", str(inp), "-o", str(out), "-j", "1", "-q"]) == 0
    docs = out / "documents.jsonl"
    whole = docs.read_bytes()
    # simulate: killed while writing line 3 (half a line, no manifest entry) …
    cut = whole.rstrip(b"\n").rfind(b"\n") + 1
    docs.write_bytes(whole[: cut + 100])
    m = out / "manifest.jsonl"
    m.write_text("".join(m.read_text().splitlines(keepends=True)[:2]))
    assert main(["batch", str(inp), "-o", str(out), "-j", "1", "-q"]) == 0
    assert docs.read_bytes() == whole
    # … and killed between a document line and its manifest line: the next start adds the manifest line
    m.write_text("".join(m.read_text().splitlines(keepends=True)[:2]))
    assert main(["batch", str(inp), "-o", str(out), "-j", "1", "-q"]) == 0
    assert docs.read_bytes() == whole and len(lines(m)) == 3


def test_dask_engine_matches_local(tmp_path: Path, sample_texts: list[Path]) -> None:
    pytest.importorskip("distributed")
    inp = tmp_path / "in"
    make_inputs(inp, sample_texts)
    assert main(["batch", str(inp), "-o", str(tmp_path / "local"), "-j", "2", "-q"]) == 1
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code = main(["batch", str(inp), "-o", str(tmp_path / "dask"), "-q", "--engine", "dask",
                     "--scheduler", cluster.scheduler_address, "--chunk-size", "2"])
    assert code == 1
    for name in ("documents.jsonl", "errors.jsonl", "manifest.jsonl"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


def test_a_file_that_kills_its_worker_is_isolated(
    tmp_path: Path, sample_texts: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies (segfault, OOM kill) takes its whole pool down: the files in flight are retried one by
    one in a new pool, and only the file that kills a worker on its own is reported."""
    import multiprocessing

    from rectiparse import batch

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the simulated crash is inherited by forked workers only")
    real = batch.process

    def dies_on_crash_txt(tasks, opts, done):  # type: ignore[no-untyped-def]
        if any(t.path.endswith("crash.txt") for t in tasks):
            os._exit(3)  # what a segfault looks like from outside
        return real(tasks, opts, done)

    monkeypatch.setattr(batch, "process", dies_on_crash_txt)
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    for k in range(12):
        (inp / f"{k:02d}.txt").write_bytes(sample_texts[k % 5].read_bytes() + b"\n" * (k + 1))
    (inp / "05crash.txt").write_bytes(sample_texts[0].read_bytes() + b"\n" * 40)
    assert main(["batch", str(inp), "-o", str(out), "-j", "2", "--chunk-size", "4", "-q"]) == 1
    errs = lines(out / "errors.jsonl")
    assert [e["path"] for e in errs] == [str(inp / "05crash.txt")]
    assert errs[0]["error"] == "WorkerLost" and "died" in errs[0]["message"]
    assert len(lines(out / "documents.jsonl")) == 12
