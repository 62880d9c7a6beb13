"""The fault suite (issue 12): nothing lost, nothing hangs, nothing explodes.

Each test builds the real thing that broke rectiparse — a full disk (RLIMIT_FSIZE), a file name that is not
UTF-8, a FIFO, a link to /dev/zero, a zip bomb streamed from zeros, a killed parent — and checks the promise:
after any interruption and a re-run every input is in documents.jsonl or errors.jsonl exactly once (or listed
as not parsed in the manifest), and bad input or bad usage gives one line naming the file and the problem
(exit 2), never a traceback. Fixtures are named after the bug they reproduce.
"""

from __future__ import annotations

import base64
import json
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rectiparse.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEEDS = sorted(SAMPLES.glob("*.txt"))
CLI = [sys.executable, "-m", "rectiparse.cli"]


def lines(path: Path) -> list[dict]:
    """Every line of a JSONL file, parsed: raises on a half-written line."""
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_bytes().decode("utf-8").splitlines()]


def run(*args: str, timeout: float = 120, preexec_fn: Callable[[], None] | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``rectiparse ARGS`` in a subprocess (a hang fails the test instead of stalling the suite)."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, errors="replace", timeout=timeout,
                          cwd=ROOT, preexec_fn=preexec_fn, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
                                                               **(env or {})})


def one_clear_line(err: str) -> str:
    """The promise for bad input or usage: no traceback, one line."""
    assert "Traceback" not in err, err
    got = [x for x in err.splitlines() if x.strip()]
    assert len(got) == 1, err
    return got[0]


def accounted(out: Path) -> tuple[list[str], list[str], list[str]]:
    """(document paths, error paths, not-parsed paths) of a batch output folder."""
    docs = [d["source"]["path"] for d in lines(out / "documents.jsonl")]
    errs = [e["path"] for e in lines(out / "errors.jsonl")]
    ignored = [m["path"] for m in lines(out / "manifest.jsonl") if m["status"] == "ignored"]
    return docs, errs, ignored


def bulletins(folder: Path, n: int) -> list[Path]:
    """n distinct bulletins (the seeds, each copy made unique by a trailer line)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(n):
        p = folder / f"{k:03d}.txt"
        p.write_bytes(SEEDS[k % len(SEEDS)].read_bytes() + f"\n附件{k}\n".encode())
        out.append(p)
    return out


PEAK = """
import resource
try:  # VmHWM: this program's own peak (ru_maxrss keeps the forking parent's peak across exec on Linux)
    print(next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:")) // 1024)
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def peak_rss_mb(code: str, timeout: float = 120) -> tuple[int, str]:
    """Run python code in a fresh process; (its peak RSS in MB, its standard error)."""
    probe = code + PEAK
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    assert "Traceback" not in r.stderr, r.stderr
    out = r.stdout.split()
    return int(out[-1]), r.stderr


# --------------------------------------------------------------------------- 1. disk full


@pytest.fixture
def a_disk_that_fills_up(tmp_path: Path) -> tuple[Path, Path, int]:
    """40 bulletins, and a file size limit (ulimit -f) that lets about five documents into documents.jsonl."""
    inp = tmp_path / "in"
    bulletins(inp, 40)
    return inp, tmp_path / "out", 400_000


def test_disk_full_stops_cleanly_and_a_rerun_loses_nothing(a_disk_that_fills_up: tuple[Path, Path, int]) -> None:
    inp, out, limit = a_disk_that_fills_up

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = run("batch", str(inp), "-o", str(out), "-j", "1", "-q", preexec_fn=small_disk)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "disk full" in r.stderr
    docs, errs, _ = accounted(out)  # every line on disk is whole (lines() raises on a torn one)
    assert 0 < len(docs) < 40 and not errs
    assert [m["path"] for m in lines(out / "manifest.jsonl")] == docs  # done means fully on disk
    assert not list(out.glob("*.tmp"))

    r = run("batch", str(inp), "-o", str(out), "-j", "1", "-q")
    assert r.returncode == 0, r.stderr
    docs, errs, _ = accounted(out)
    assert sorted(docs) == sorted(str(p) for p in inp.iterdir()) and len(docs) == len(set(docs)) == 40


# --------------------------------------------------------------------------- 2. file names that are not UTF-8


@pytest.fixture
def a_file_name_that_is_not_utf8(tmp_path: Path) -> tuple[Path, bytes]:
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/\xff\xfe-bulletin.txt"
    with open(raw, "wb") as fh:
        fh.write(SEEDS[0].read_bytes())
    (folder / "ok.txt").write_bytes(SEEDS[1].read_bytes())
    return folder, raw


def test_a_file_name_that_is_not_utf8(a_file_name_that_is_not_utf8: tuple[Path, bytes], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder, raw = a_file_name_that_is_not_utf8
    shown = raw.decode("utf-8", "backslashreplace")
    out = tmp_path / "out"
    for _ in range(2):  # the re-run used to crash again on the same name
        assert main(["batch", str(folder), "-o", str(out), "-j", "1", "-q"]) == 0
    docs, errs, _ = accounted(out)
    assert sorted(docs) == sorted([shown, str(folder / "ok.txt")]) and not errs
    entry = next(m for m in lines(out / "manifest.jsonl") if m["path"] == shown)
    assert base64.b64decode(entry["path_bytes"]) == raw  # the exact name, losslessly

    name = os.fsdecode(raw)
    assert main(["extract", name, "--no-text"]) == 0
    assert json.loads(capsys.readouterr().out)["source"]["path"] == shown
    assert main(["show", name, "-o", str(tmp_path / "view.html")]) == 0
    assert (tmp_path / "view.html").stat().st_size > 1000


# --------------------------------------------------------------------------- 3. not regular files, time limit


@pytest.fixture
def a_fifo_and_a_link_to_dev_zero(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(SEEDS[0].read_bytes())
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    return folder


def test_a_fifo_and_dev_zero_neither_hang_nor_eat_memory(a_fifo_and_a_link_to_dev_zero: Path,
                                                         tmp_path: Path) -> None:
    folder = a_fifo_and_a_link_to_dev_zero
    r = run("batch", str(folder), "-o", str(tmp_path / "out"), "-j", "1", "-q", timeout=60)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    docs, _, ignored = accounted(tmp_path / "out")
    assert docs == [str(folder / "good.txt")]
    (fifo,) = lines(tmp_path / "out" / "errors.jsonl")
    assert fifo["path"] == str(folder / "pipe.txt") and "named pipe" in fifo["message"]
    assert ignored == [str(folder / "zero.txt")]  # a link leading outside the input folder: not followed

    # followed on request, or named on the command line: read regular files only
    r = run("batch", str(folder), "-o", str(tmp_path / "out2"), "-j", "1", "-q", "--follow-links", timeout=60)
    errs2 = {e["path"]: e["message"] for e in lines(tmp_path / "out2" / "errors.jsonl")}
    assert "character device" in errs2[str(folder / "zero.txt")], r.stderr
    for victim, what in (("pipe.txt", "named pipe"), ("zero.txt", "character device")):
        r = run("extract", str(folder / victim), timeout=60)
        assert r.returncode == 2 and what in one_clear_line(r.stderr) and victim in r.stderr


@pytest.fixture
def a_file_that_parses_forever(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser stuck on one file (here: sleeping), as a pathological input would keep it busy."""
    import rectiparse.pipeline as pipeline

    real = pipeline.parse_bytes

    def stuck_on_slow(data: bytes, name: str = "<input>", **kw: object) -> object:
        if name.endswith("slow.txt"):
            time.sleep(60)
        return real(data, name, **kw)

    monkeypatch.setattr(pipeline, "parse_bytes", stuck_on_slow)


def test_timeout_records_the_file_as_an_error_and_goes_on(a_file_that_parses_forever: None, tmp_path: Path) -> None:
    inp = tmp_path / "in"
    bulletins(inp, 2)
    (inp / "slow.txt").write_bytes(SEEDS[2].read_bytes())
    start = time.monotonic()
    assert main(["batch", str(inp), "-o", str(tmp_path / "out"), "-j", "1", "-q", "--timeout", "0.5"]) == 1
    assert time.monotonic() - start < 30
    docs, errs, _ = accounted(tmp_path / "out")
    assert len(docs) == 2 and errs == [str(inp / "slow.txt")]
    (err,) = lines(tmp_path / "out" / "errors.jsonl")
    assert err["error"] == "FileTimeout" and "--timeout" in err["message"]


# --------------------------------------------------------------------------- 4. decompression bombs

BOMB_MB = 256  # unpacked; the cap in the tests is 16 MB, so memory must stay far below this


def _stream(zf: zipfile.ZipFile, name: str, mb: int, head: bytes = b"", tail: bytes = b"",
            fill: bytes = b"\0") -> None:
    """A member of ``mb`` MB written in 1 MB pieces: the bomb is built without holding it in memory."""
    with zf.open(name, "w", force_zip64=True) as fh:
        fh.write(head)
        piece = fill * (1 << 20)
        for _ in range(mb):
            fh.write(piece)
        fh.write(tail)


@pytest.fixture
def a_zip_bomb(tmp_path: Path) -> Path:
    """A zip of about 250 KB whose member unpacks to 256 MB of zeros, beside a good member."""
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("good.txt", SEEDS[0].read_bytes())
        _stream(zf, "reports/bomb.txt", BOMB_MB)
    return path


@pytest.fixture
def a_docx_bomb(tmp_path: Path) -> Path:
    """A real Word file whose document.xml unpacks to 256 MB (white space inside the XML)."""
    src = zipfile.ZipFile(SAMPLES / "docx" / f"{SEEDS[0].stem}.docx")
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                cut = body.rindex(b"</w:body>")
                _stream(zf, info.filename, BOMB_MB, body[:cut], body[cut:], fill=b" ")
            else:
                zf.writestr(info, body)
    return path


def test_zip_bomb_member_is_refused_by_name_in_small_memory(a_zip_bomb: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rss, _ = peak_rss_mb(f"import sys\nfrom rectiparse.cli import main\n"
                         f"print(main(['batch', {str(a_zip_bomb)!r}, '-o', {str(out)!r}, '-j', '1', '-q', "
                         f"'--max-size', '16']))")
    assert rss < BOMB_MB // 2, f"peak RSS {rss} MB: the bomb was unpacked"
    docs, errs, _ = accounted(out)
    assert docs == [f"{a_zip_bomb}!good.txt"] and errs == [f"{a_zip_bomb}!reports/bomb.txt"]
    (e,) = lines(out / "errors.jsonl")
    assert "256.0 MB" in e["message"] and "16.0 MB" in e["message"] and "--max-size" in e["message"]


def test_docx_part_bomb_is_refused_by_name_in_small_memory(a_docx_bomb: Path) -> None:
    rss, err = peak_rss_mb(f"import sys\nfrom rectiparse.cli import main\n"
                           f"print(main(['extract', {str(a_docx_bomb)!r}, '--no-text']))")
    assert rss < BOMB_MB // 2, f"peak RSS {rss} MB: the Word parts were unpacked"
    line = one_clear_line(err)
    assert "word/document.xml" in line and str(a_docx_bomb) in line and "--max-size" in line


# --------------------------------------------------------------------------- 5. archives, --formats


@pytest.fixture
def an_archive_with_twins_dotdot_nested_and_a_renamed_docx(tmp_path: Path) -> tuple[Path, Path]:
    docx = (SAMPLES / "docx" / f"{SEEDS[1].stem}.docx").read_bytes()
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("x.txt", SEEDS[3].read_bytes())
    arc = tmp_path / "arc.zip"
    with zipfile.ZipFile(arc, "w") as zf, pytest.warns(UserWarning, match="Duplicate name"):
        zf.writestr("a.txt", SEEDS[0].read_bytes())
        zf.writestr("a.txt", SEEDS[2].read_bytes())  # same name, other content
        zf.writestr("../up.txt", SEEDS[4].read_bytes())
        zf.writestr("nested.zip", inner.read_bytes())
        zf.writestr("word-file.zip", docx)  # a .docx under a .zip name, inside the archive
        zf.writestr("gold.json", b'{"items": []}\n')
    renamed = tmp_path / "bulletin.zip"  # a .docx named .zip, given on the command line
    renamed.write_bytes((SAMPLES / "docx" / f"{SEEDS[2].stem}.docx").read_bytes())
    return arc, renamed


def test_every_archive_member_is_accounted_for_by_content(
    an_archive_with_twins_dotdot_nested_and_a_renamed_docx: tuple[Path, Path], tmp_path: Path
) -> None:
    arc, renamed = an_archive_with_twins_dotdot_nested_and_a_renamed_docx
    out = tmp_path / "out"
    assert main(["batch", str(arc), str(renamed), "-o", str(out), "-j", "1", "-q"]) == 1
    docs, errs, ignored = accounted(out)
    got = {d["source"]["path"]: d for d in lines(out / "documents.jsonl")}
    assert set(docs) == {f"{arc}!a.txt", f"{arc}!a.txt~2", f"{arc}!../up.txt", f"{arc}!word-file.zip",
                         str(renamed)}
    assert got[f"{arc}!a.txt"]["source"]["sha256"] != got[f"{arc}!a.txt~2"]["source"]["sha256"]
    assert got[str(renamed)]["source"]["format"] == got[f"{arc}!word-file.zip"]["source"]["format"] == "docx"
    assert errs == [f"{arc}!nested.zip"]
    assert "zip archive inside the archive" in lines(out / "errors.jsonl")[0]["message"]
    assert ignored == [f"{arc}!gold.json"]


def test_batch_takes_bulletins_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``batch samples -o out`` must not turn samples/gold/*.json into documents; they are counted, not errors."""
    out = tmp_path / "out"
    gold = sorted((SAMPLES / "gold").glob("*.json"))
    assert gold
    assert main(["batch", str(SAMPLES / "gold"), *map(str, SEEDS), "-o", str(out), "-j", "1"]) == 0
    docs, errs, ignored = accounted(out)
    assert sorted(docs) == sorted(map(str, SEEDS)) and not errs
    assert sorted(ignored) == sorted(map(str, gold))
    assert f"skipped, not parsed: {len(gold)} (json {len(gold)}" in capsys.readouterr().err
    # earlier output is not input either, and --formats chooses
    again = tmp_path / "again"
    assert main(["batch", str(out), str(SEEDS[0]), str(SAMPLES / "html"), "-o", str(again), "-j", "1", "-q",
                 "--formats", "txt"]) == 0
    docs, errs, ignored = accounted(again)
    assert docs == [str(SEEDS[0])] and not errs
    assert {m["reason"] for m in lines(again / "manifest.jsonl") if m["status"] == "ignored"} == {"json", "html"}
    assert main(["batch", str(SEEDS[0]), "-o", str(tmp_path / "x"), "--formats", "txt,xls"]) == 2


# --------------------------------------------------------------------------- 6. decoding


@pytest.mark.parametrize(("name", "data", "encoding"), [
    ("bom_then_bad_byte", b"\xef\xbb\xbf" + SEEDS[0].read_bytes() + b"\xff", "utf-8-sig"),
    ("utf16_odd_length", b"\xff\xfe" + SEEDS[0].read_text(encoding="utf-8").encode("utf-16-le") + b"\x00",
     "utf-16"),
    ("utf16le_without_bom", SEEDS[0].read_text(encoding="utf-8").encode("utf-16-le"), "utf-16-le"),
    ("utf16be_without_bom", SEEDS[0].read_text(encoding="utf-8").encode("utf-16-be"), "utf-16-be"),
])
def test_broken_or_bomless_encodings_decode_with_encoding_fallback(
    name: str, data: bytes, encoding: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    assert main(["extract", str(path), "--no-text"]) in (0, 1)
    doc = json.loads(capsys.readouterr().out)
    assert doc["source"]["encoding"] == encoding
    assert "encoding_fallback" in {i["code"] for i in doc["validation"]["issues"]}
    assert len(doc["items"]) >= 10  # the seed's items, not a handful of mojibake


def test_a_bom_over_bytes_of_another_encoding_is_one_clear_error(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gbk_with_utf8_bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SEEDS[0].read_text(encoding="utf-8").encode("gb18030"))
    assert main(["extract", str(path)]) == 2
    line = one_clear_line(capsys.readouterr().err)
    assert str(path) in line and "byte order mark" in line


# --------------------------------------------------------------------------- 7. deep HTML


def _nested(depth: int) -> bytes:
    body = "<p>关于巡视整改进展情况的通报</p><p>一、存在问题</p><p>1.问题一。整改情况：已完成整改。</p>"
    return f"<html><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>".encode()


def test_html_nested_a_thousand_levels_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.html"
    path.write_bytes(_nested(1000))
    assert main(["extract", str(path), "--no-text"]) in (0, 1)
    assert json.loads(capsys.readouterr().out)["items"]


def test_html_nested_beyond_reason_fails_fast_and_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "abyss.html"
    path.write_bytes(_nested(100_000))
    start = time.monotonic()
    assert main(["extract", str(path)]) == 2
    assert time.monotonic() - start < 10
    line = one_clear_line(capsys.readouterr().err)
    assert str(path) in line and "nested" in line


# --------------------------------------------------------------------------- 8, 9. export and report


@pytest.fixture(scope="module")
def five_documents(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The five seeds as documents.jsonl lines (parsed once for the module)."""
    out = tmp_path_factory.mktemp("five")
    assert main(["batch", *map(str, SEEDS), "-o", str(out / "o"), "-j", "1", "-q", "--no-text"]) == 0
    return (out / "o" / "documents.jsonl").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def jsonl_with_a_torn_a_non_utf8_and_a_huge_number_line(five_documents: list[str], tmp_path: Path) -> Path:
    huge = json.loads(five_documents[1])
    assert huge["figures"]
    huge["figures"][0]["value"] = int("1" + "2" * 400)  # 400 digits before 万元
    huge["source"]["sha256"] = "f" * 64
    huge["source"]["path"] = "huge.txt"
    path = tmp_path / "documents.jsonl"
    body = [line.encode() for line in five_documents[:3]]
    body.append(five_documents[3][:500].encode())  # torn by a hard kill
    body.append(b'{"schema_version": "1.0", "source": {"path": "\xff\xfe"}}')  # not UTF-8
    body.append(json.dumps(huge, ensure_ascii=False).encode())
    body += [line.encode() for line in five_documents[3:]]
    path.write_bytes(b"\n".join(body) + b"\n")
    return path


def test_one_bad_line_costs_only_itself(jsonl_with_a_torn_a_non_utf8_and_a_huge_number_line: Path,
                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = jsonl_with_a_torn_a_non_utf8_and_a_huge_number_line
    for target in (f"sqlite:///{tmp_path / 'x.db'}", f"parquet:{tmp_path / 'pq'}", f"csv:{tmp_path / 'csv'}"):
        assert main(["export", str(src), "--to", target]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert "5 document(s) written" in err and "3 rejected" in err, err
        for no in (4, 5, 6):
            assert f"{src}:{no}" in err
        assert "not UTF-8" in err and "does not fit a float" in err
    assert main(["report", str(src), "-o", str(tmp_path / "r.html")]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("skipped") == 3


@pytest.fixture
def jsonl_where_a_sha256_repeats(five_documents: list[str], tmp_path: Path) -> Path:
    first = json.loads(five_documents[0])
    second = json.loads(five_documents[0])
    first["document"]["title"], second["document"]["title"] = "FIRST", "LAST"
    path = tmp_path / "documents.jsonl"
    path.write_text("\n".join([json.dumps(first, ensure_ascii=False), five_documents[1],
                               json.dumps(second, ensure_ascii=False)]) + "\n", encoding="utf-8")
    return path


def test_the_last_line_wins_in_every_target(jsonl_where_a_sha256_repeats: Path, tmp_path: Path) -> None:
    import pandas as pd
    import sqlalchemy as sa

    src = jsonl_where_a_sha256_repeats
    for target in (f"sqlite:///{tmp_path / 'x.db'}", f"parquet:{tmp_path / 'pq'}", f"csv:{tmp_path / 'csv'}"):
        # one document per write: the repeat falls in another batch, where streams used to keep the first
        assert main(["export", str(src), "--to", target, "--batch-size", "1"]) == 0
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        titles = {"sqlite": sorted(conn.execute(sa.text("SELECT title FROM documents")).scalars())}
    engine.dispose()
    titles["parquet"] = sorted(pd.read_parquet(tmp_path / "pq" / "documents.parquet")["title"])
    titles["csv"] = sorted(pd.read_csv(tmp_path / "csv" / "documents.csv")["title"])
    want = sorted(["LAST", json.loads(src.read_text(encoding="utf-8").splitlines()[1])["document"]["title"]])
    assert titles == {"sqlite": want, "parquet": want, "csv": want}


# --------------------------------------------------------------------------- 10. killed parent, --db


def _children(pid: int) -> set[int]:
    try:
        return {int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended (the container's init may be slow to reap it)


@pytest.fixture
def a_batch_killed_with_its_workers_running(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], set[int]]]:
    if not Path("/proc/self/task").exists():
        pytest.skip("needs Linux /proc")
    inp = tmp_path / "in"
    bulletins(inp, 60)
    proc = subprocess.Popen([*CLI, "batch", str(inp), "-o", str(tmp_path / "out"), "-j", "2", "--chunk-size", "1",
                             "-q"], cwd=ROOT, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2 and (tmp_path / "out" / "documents.jsonl").exists():
            break
        time.sleep(0.05)
    try:
        yield proc, workers
    finally:
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        proc.kill()
        proc.wait()


def test_workers_end_with_a_killed_parent(
    a_batch_killed_with_its_workers_running: tuple[subprocess.Popen[bytes], set[int]]
) -> None:
    proc, workers = a_batch_killed_with_its_workers_running
    if proc.poll() is not None:
        pytest.skip("the batch finished before its workers could be seen; machine too fast for this test")
    assert len(workers) >= 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    assert not [p for p in workers if _alive(p)], "workers outlived their killed parent"
    # and a re-run accounts for every input exactly once
    out = Path(proc.args[proc.args.index("-o") + 1])
    inp = Path(proc.args[proc.args.index("batch") + 1])
    assert main(["batch", str(inp), "-o", str(out), "-j", "2", "-q"]) == 0
    docs, errs, _ = accounted(out)
    assert sorted(docs) == sorted(str(p) for p in inp.iterdir()) and len(docs) == len(set(docs)) and not errs


def test_hard_kill_with_db_then_rerun_duplicates_nothing(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    files = bulletins(inp, 40)
    url = f"sqlite:///{tmp_path / 'live.db'}"
    # batches of 4 documents (instead of 200) so that the kill lands between database commits
    code = ("import sys, rectiparse.batch as b\nb.DB_BATCH = 4\nfrom rectiparse.cli import main\n"
            f"sys.exit(main(['batch', {str(inp)!r}, '-o', {str(out)!r}, '-j', '1', '-q', '--db', {url!r}]))")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.DEVNULL)
    docs = out / "documents.jsonl"  # killed with some documents parsed since the last commit
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and (
            not docs.exists() or docs.read_bytes().count(b"\n") < 10):
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if proc.returncode == 0:
        pytest.skip("the batch finished before the kill; machine too fast for this test")
    assert main(["batch", str(inp), "-o", str(out), "-j", "1", "-q", "--db", url]) == 0
    docs, _, _ = accounted(out)
    assert sorted(docs) == sorted(map(str, files)) and len(docs) == len(set(docs))
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM documents")).scalar_one() == len(files)
    engine.dispose()


# --------------------------------------------------------------------------- 11. folders and links


def _without_dac_override() -> None:
    """As root, permission bits do not apply; drop the capabilities that bypass them for the child (uid stays 0,
    so the interpreter under /root stays readable)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP: applies from the next exec
            raise OSError(ctypes.get_errno(), "PR_CAPBSET_DROP")


@pytest.fixture
def an_unreadable_folder_and_links(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "in"
    bulletins(root / "open", 1)
    (root / "locked").mkdir()
    (root / "locked" / "000.txt").write_bytes(SEEDS[3].read_bytes())
    (root / "passwd.txt").symlink_to("/etc/passwd")
    (root / "outside").symlink_to(ROOT / "samples" / "gold")
    (root / "inside").symlink_to(root / "open")
    (root / "locked").chmod(0)
    yield root
    (root / "locked").chmod(0o755)


def test_unreadable_folders_and_links_are_reported_not_dropped(an_unreadable_folder_and_links: Path,
                                                               tmp_path: Path) -> None:
    root = an_unreadable_folder_and_links
    out = tmp_path / "out"
    if os.geteuid() == 0:
        r = run("batch", str(root), "-o", str(out), "-j", "1", "-q", preexec_fn=_without_dac_override)
    else:
        r = run("batch", str(root), "-o", str(out), "-j", "1", "-q")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    docs, errs, ignored = accounted(out)
    assert docs == [str(root / "open" / "000.txt")]
    (err,) = lines(out / "errors.jsonl")
    assert err["path"] == str(root / "locked") and "cannot read folder" in err["message"]
    assert sorted(ignored) == sorted(str(root / n) for n in ("passwd.txt", "outside", "inside"))
    assert all(d["source"]["path"] != str(root / "passwd.txt") for d in lines(out / "documents.jsonl"))

    # readable again: its file is parsed and the folder leaves errors.jsonl
    (root / "locked").chmod(0o755)
    assert main(["batch", str(root), "-o", str(out), "-j", "1", "-q"]) == 0
    docs, errs, _ = accounted(out)
    assert str(root / "locked" / "000.txt") in docs and not errs

    # on request, links are followed (the gold JSON found there is then counted as not a bulletin)
    assert main(["batch", str(root), "-o", str(tmp_path / "out2"), "-j", "1", "-q", "--follow-links"]) == 0
    docs, errs, ignored = accounted(tmp_path / "out2")
    assert str(root / "passwd.txt") in docs and not errs
    assert any(p.startswith(str(root / "outside")) for p in ignored)


# --------------------------------------------------------------------------- 12. usage mistakes


@pytest.fixture
def usage_mistakes(tmp_path: Path) -> dict[str, list[str]]:
    (tmp_path / "a-folder").mkdir()
    import sqlite3

    db = tmp_path / "archive.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    (tmp_path / "data.parquet").write_bytes(b"PAR1" + bytes(64) + b"PAR1")
    seed = str(SEEDS[0])
    return {
        "extract -o DIR": ["extract", seed, "-o", str(tmp_path / "a-folder")],
        "schema -o missing/dir": ["schema", "-o", str(tmp_path / "missing" / "dir" / "x.json")],
        "report of a .db": ["report", str(db), "-o", str(tmp_path / "r.html")],
        "report of a .parquet": ["report", str(tmp_path / "data.parquet"), "-o", str(tmp_path / "r.html")],
        "--rules missing": ["extract", seed, "--rules", str(tmp_path / "no-rules")],
        "--rules a file": ["extract", seed, "--rules", seed],
        "batch --rules missing": ["batch", seed, "-o", str(tmp_path / "o"), "--rules", str(tmp_path / "nope")],
        "eval --pred missing": ["eval", "--gold", str(ROOT / "samples" / "gold"), "--pred", str(tmp_path / "np")],
        "show -o DIR": ["show", seed, "-o", str(tmp_path / "a-folder")],
    }


@pytest.mark.parametrize("mistake", ["extract -o DIR", "schema -o missing/dir", "report of a .db",
                                     "report of a .parquet", "--rules missing", "--rules a file",
                                     "batch --rules missing", "eval --pred missing", "show -o DIR"])
def test_usage_mistakes_give_one_line_and_exit_2(mistake: str, usage_mistakes: dict[str, list[str]],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(usage_mistakes[mistake]) == 2
    one_clear_line(capsys.readouterr().err)


def test_dask_engine_without_its_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # what `import distributed` sees when not installed
    assert main(["batch", str(SEEDS[0]), "-o", str(tmp_path / "o"), "--engine", "dask"]) == 2
    assert "rectiparse[dask]" in one_clear_line(capsys.readouterr().err)


def test_ocr_without_its_package() -> None:
    scan = SAMPLES / "pdf" / "002_056a472a98951650_scan.pdf"
    code = ("import sys\nsys.modules['rapidocr_onnxruntime'] = None\nfrom rectiparse.cli import main\n"
            f"sys.exit(main(['extract', {str(scan)!r}]))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 2
    line = one_clear_line(r.stderr)
    assert str(scan) in line and "rectiparse[ocr]" in line and "--no-ocr" in line


# --------------------------------------------------------------------------- 13. memory per input byte


@pytest.fixture
def a_text_too_large_to_parse(tmp_path: Path) -> Path:
    """Bulletin text 10 % above the text limit (2.2 M characters, ~6 MB): below the default size cap."""
    from rectiparse.loaders import MAX_TEXT

    path = tmp_path / "huge.txt"
    seed = SEEDS[0].read_text(encoding="utf-8")
    with open(path, "w", encoding="utf-8") as fh:
        for _ in range(MAX_TEXT * 11 // 10 // len(seed) + 1):
            fh.write(seed)
    return path


def test_a_text_too_large_to_parse_is_refused_before_memory_grows(a_text_too_large_to_parse: Path,
                                                                  tmp_path: Path) -> None:
    rss, err = peak_rss_mb("import sys\nfrom rectiparse.cli import main\n"
                           f"print(main(['extract', {str(a_text_too_large_to_parse)!r}]))")
    assert rss < 200, f"peak RSS {rss} MB"  # parsing it would take ~400 MB
    line = one_clear_line(err)
    assert str(a_text_too_large_to_parse) in line and "characters is above the limit" in line
    # and --max-size refuses a file by its size before reading it
    out = tmp_path / "out"
    assert main(["batch", str(a_text_too_large_to_parse), "-o", str(out), "-q", "--max-size", "1"]) == 1
    (e,) = lines(out / "errors.jsonl")
    assert "above the size limit of 1.0 MB" in e["message"]
