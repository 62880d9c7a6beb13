"""``rectiparse batch``: folders, globs and zip archives → ``documents.jsonl`` + ``errors.jsonl``, resumably.

The promises, and how they are kept:

* **Nothing silently lost.** Every input file (a zip member counts as a file, recorded as
  ``archive.zip!member/path``) ends up either as a line of ``documents.jsonl`` or as a line of ``errors.jsonl``
  (path, error class, message), or — not a bulletin, hidden, a link not followed — as an ``ignored`` manifest
  line. Only regular files are read, with a size cap and a time limit, so no input hangs or exhausts the run. A file whose content was already parsed (in an earlier run, or earlier in this
  run under another path) is *skipped*: its path and sha256 go to ``manifest.jsonl`` instead of a second copy
  of the same document.
* **Resumable.** ``manifest.jsonl`` holds one line per parsed file: sha256, rectiparse version, path. A re-run
  skips content already parsed by the same version; files that failed are retried.
* **Ctrl-C leaves consistent output.** Only the main process writes; SIGINT there sets a flag instead of raising,
  and workers ignore it, so a line is always written whole (every write of the unbuffered binary files is
  checked; a short or failed write — disk full — is cut back off and stops the run with one line). The
  document line goes first, its manifest line second: a kill between the two is repaired on the next start
  (the last document line is checked against the manifest), and a half line left by a hard kill is cut off.
  Workers end with the main process, also when it is killed.
* **Fast.** Workers are processes (``-j``, default all cores) that read the files themselves (no bytes through the
  pipe), load the rules once, and return finished JSON lines in chunks; at most a few chunks per worker are in
  flight, so memory stays flat however large the archive. Output keeps input order, whatever the engine.
* **Scale-out.** ``--engine dask`` sends the same chunks (with the file bytes, so workers need no shared disk) to
  a dask.distributed cluster.

Top-level imports stay light (stdlib + pydantic): the CLI imports this module to build ``--help``.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import signal
import stat
import sys
import threading
import time
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectiparse.loaders import BULLETIN_FORMATS, display_path, path_bytes

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DOCUMENTS, ERRORS, MANIFEST = "documents.jsonl", "errors.jsonl", "manifest.jsonl"
DB_BATCH = 200
DEFAULT_TIMEOUT = 300.0  # seconds per file: OCR of a long scanned PDF takes a minute or two on one core

Result = dict[str, Any]


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Task:
    """One input file: ``path`` is how it is named in the output; ``file`` (+ ``member``) is where to read it."""

    path: str  # printable (display_path): file names that are not UTF-8 show their bytes as \xff
    file: str
    member: str | None = None
    data: bytes | None = None  # shipped bytes (dask engine)
    index: int | None = None  # position in the archive: two members may share a name
    raw: str | None = None  # path_bytes of ``file`` when its name is not UTF-8 (exact, base64)


@dataclass(frozen=True)
class Options:
    ocr: bool = True
    use_model: bool = True
    rules_dir: str | None = None
    text: bool = True
    rows: bool = False  # also return table rows (for --db)
    formats: tuple[str, ...] = BULLETIN_FORMATS  # what to parse; other files are counted as not parsed
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per file; None: no limit
    max_size: int | None = None  # bytes per input, unpacked (None: loaders.MAX_SIZE)


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store GBK names without the UTF-8 flag; zipfile decodes them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _hidden_member(name: str) -> bool:
    """Dot files and macOS resource forks inside an archive. ``..`` is not hidden: it is only a name here (members
    are read, never extracted to disk), so ``../report.txt`` is parsed like any other member."""
    parts = name.replace("\\", "/").split("/")
    return any((p.startswith(".") and p not in (".", "..")) or p == "__MACOSX" for p in parts)


def _not_parsed(path: str, reason: str, message: str, raw: str | None = None) -> Result:
    """An input deliberately left alone (hidden, a link not followed, not a bulletin): counted and recorded in the
    manifest, never silently dropped."""
    rec: Result = {"status": "ignored", "path": path, "sha256": None, "reason": reason, "message": message}
    if raw:
        rec["path_bytes"] = raw
    return rec


def _archive_tasks(path: str, errors: list[Result], ignored: list[Result] | None = None) -> list[Task]:
    shown, raw = display_path(path), path_bytes(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [(k, i) for k, i in enumerate(zf.infolist()) if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        err: Result = {"path": shown, "error": type(exc).__name__, "message": f"cannot open archive: {exc}"}
        if raw:
            err["path_bytes"] = raw
        errors.append(err)
        return []
    tasks = []
    count: Counter[str] = Counter()
    for k, info in infos:
        name = _member_name(info)
        if _hidden_member(name):
            if ignored is not None:
                ignored.append(_not_parsed(f"{shown}!{name}", "hidden", "hidden archive member: not parsed", raw))
            continue
        # every member is its own input, also a second one of the same name (the later one used to win)
        count[name] += 1
        label = f"{shown}!{name}" if count[name] == 1 else f"{shown}!{name}~{count[name]}"
        tasks.append(Task(path=label, file=path, member=info.filename, index=k, raw=raw))
    return tasks


def _is_archive(p: str) -> bool | None:
    """True for a zip archive of files, False for any other file, None for a file named .zip that is no zip (the
    archive reader reports it). Decided by content: a Word file renamed .zip is a bulletin, not an archive of
    XML parts. Only regular files are opened (a FIFO would block here)."""
    named_zip = p.lower().endswith(".zip")
    try:
        if not stat.S_ISREG(os.stat(p).st_mode):
            return False  # the reader reports what it is
        with open(p, "rb") as fh:
            magic = fh.read(4)
    except OSError:
        return None if named_zip else False  # unreadable: reported where it is read
    if magic not in (b"PK\x03\x04", b"PK\x05\x06"):
        return None if named_zip else False
    try:
        with zipfile.ZipFile(p) as zf:
            return not any(n.startswith("word/") for n in zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None if named_zip else False


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def discover(inputs: Iterable[str], exclude: Path | None = None, *, follow_links: bool = False,
             ignored: list[Result] | None = None, walked: set[str] | None = None,
             ) -> tuple[list[Task], list[Result], list[str]]:
    """Expand files, folders (recursively), globs and zip archives into tasks, in a stable order.

    Returns (tasks, errors for unreadable archives and folders, arguments that matched nothing). ``exclude`` (the
    output folder, when it sits inside an input folder) is left out. What is deliberately not parsed — hidden
    files and folders, symbolic links to folders, links that lead outside the input folder (unless
    ``follow_links``) — goes to ``ignored``, so that nothing disappears without a word. ``walked`` collects the
    folders read (so that an earlier "cannot read folder" error leaves errors.jsonl once the folder is readable).
    """
    tasks: list[Task] = []
    errors: list[Result] = []
    unmatched: list[str] = []
    seen: set[str] = set()
    excl = exclude.resolve() if exclude else None
    if ignored is None:
        ignored = []

    def skip(p: str, reason: str, message: str) -> None:
        ignored.append(_not_parsed(display_path(p), reason, message, path_bytes(p)))

    def add_file(p: str) -> None:
        if p in seen:
            return
        seen.add(p)
        archive = _is_archive(p)
        if archive is False:
            tasks.append(Task(path=display_path(p), file=p, raw=path_bytes(p)))
        else:
            tasks.extend(_archive_tasks(p, errors, ignored))

    def unreadable(exc: OSError) -> None:
        err: Result = {"path": display_path(exc.filename or "?"), "error": type(exc).__name__,
                       "message": f"cannot read folder: {exc.strerror or exc}; its files are not parsed"}
        if exc.filename and (raw := path_bytes(exc.filename)):
            err["path_bytes"] = raw
        errors.append(err)

    def walk(top: str) -> None:
        top_real = os.path.realpath(top)
        visited: set[str] = set()
        found = []
        for root, dirs, files in os.walk(top, onerror=unreadable, followlinks=follow_links):
            if excl and Path(root).resolve() == excl:
                dirs[:] = []
                continue
            real = os.path.realpath(root)
            if real in visited:  # a link loop (only with follow_links)
                dirs[:] = []
                continue
            visited.add(real)
            if walked is not None:
                walked.add(display_path(root))
            keep = []
            for d in sorted(dirs):
                full = os.path.join(root, d)
                if d.startswith("."):
                    skip(full, "hidden", "hidden folder: not searched")
                elif os.path.islink(full) and not follow_links:
                    where = ("its target is searched where it is" if _inside(os.path.realpath(full), top_real)
                             else "it leads outside the input folder")
                    skip(full, "link", f"symbolic link to a folder: not followed ({where}; --follow-links to "
                                       "follow links)")
                else:
                    keep.append(d)
            dirs[:] = keep
            for f in files:
                full = os.path.join(root, f)
                if f.startswith("."):
                    skip(full, "hidden", "hidden file: not parsed")
                elif (not follow_links and os.path.islink(full)
                      and not _inside(os.path.realpath(full), top_real)):
                    skip(full, "link", f"symbolic link leading outside the input folder (to "
                                       f"{display_path(os.path.realpath(full))}): not followed (--follow-links "
                                       "to follow links)")
                else:
                    found.append(full)
        for p in sorted(found):
            add_file(p)

    for arg in inputs:
        if os.path.isdir(arg):
            walk(arg)
        elif os.path.lexists(arg):
            add_file(arg)  # named on the command line: read whatever it is (the reader refuses a FIFO)
        else:
            matches = sorted(glob.glob(arg, recursive=True))
            files = [m for m in matches if not os.path.isdir(m)]
            dirs_ = [m for m in matches if os.path.isdir(m)]
            if not files and not dirs_:
                unmatched.append(arg)
            for p in files:
                add_file(p)
            for d in dirs_:
                walk(d)
    return tasks, errors, unmatched


# --------------------------------------------------------------------------- the work (runs in workers)

_STATE: dict[str, Any] = {}
_ZIPS: dict[str, zipfile.ZipFile] = {}


def _read(task: Task, max_size: int | None = None) -> bytes:
    """The bytes of one input: a regular file or an archive member, never more than ``max_size`` (a FIFO, a
    device, a file or member above the cap is a ``LoadError`` naming it)."""
    from rectiparse.loaders import read_file, read_member

    if task.data is not None:
        return task.data
    if task.member is None:
        return read_file(task.file, max_size=max_size)
    zf = _ZIPS.get(task.file)
    if zf is None:
        for old in _ZIPS.values():  # keep one archive open per worker: archives come in runs
            old.close()
        _ZIPS.clear()
        zf = _ZIPS[task.file] = zipfile.ZipFile(task.file)
    info = zf.infolist()[task.index] if task.index is not None else zf.getinfo(task.member)
    return read_member(zf, info, task.path, max_size)


class FileTimeout(BaseException):
    """A file ran past ``--timeout``. A BaseException, like KeyboardInterrupt, so that the loaders' broad
    ``except Exception`` (which turn library errors into "damaged file") cannot swallow it."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise FileTimeout in this thread after ``seconds`` (SIGALRM). Python checks signals between steps, so a
    pure-Python loop or the regex engine stops; only the main thread of a process can take signals, so dask's
    worker threads run without a limit."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise FileTimeout(f"took longer than {seconds:g} s (--timeout): stopped, the batch goes on")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _error(task: Task, exc: BaseException, sha: str | None = None) -> Result:
    from rectiparse.extras import as_missing_extra
    from rectiparse.loaders import LoadError

    message = exc.problem if isinstance(exc, LoadError) else str(exc) or repr(exc)
    if isinstance(exc, OSError) and not isinstance(exc, LoadError):
        message = f"cannot read: {exc.strerror or exc}"
    if (missing := as_missing_extra(exc)) is not None:  # e.g. a scan without the `ocr` extra: say which one
        message = str(missing)
    return {"status": "error", "path": task.path, "sha256": sha, "error": type(exc).__name__,
            "message": message, "path_bytes": task.raw}


def process(tasks: list[Task], opts: Options, done: frozenset[str] | set[str]) -> list[Result]:
    """Parse a chunk of tasks. Never raises for a bad file: each task gives exactly one result."""
    from rectiparse.loaders import DATA_FORMATS, LoadError, sha256, sniff
    from rectiparse.pipeline import parse_bytes

    out: list[dict[str, Any]] = []
    for task in tasks:
        sha = None
        try:
            with _time_limit(opts.timeout):
                data = _read(task, opts.max_size)
                sha = sha256(data)
                if sha in done:
                    out.append({"status": "skipped", "path": task.path, "sha256": sha, "path_bytes": task.raw})
                    continue
                fmt = sniff(data, task.path)
                if fmt in DATA_FORMATS or (fmt in BULLETIN_FORMATS and fmt not in opts.formats):
                    why = (f"{fmt} data, not a bulletin" if fmt in DATA_FORMATS
                           else f"{fmt} is not among --formats {','.join(opts.formats)}")
                    out.append({**_not_parsed(task.path, fmt, f"not parsed: {why}", task.raw), "sha256": sha})
                    continue
                if fmt == "zip" and task.member is not None:
                    raise LoadError(task.path, "a zip archive inside the archive: not unpacked (unpack it and give "
                                               "its folder to rectiparse batch)")
                doc = parse_bytes(data, task.path, ocr=opts.ocr, rules_dir=opts.rules_dir,
                                  use_model=opts.use_model, max_size=opts.max_size)
                line = doc.model_dump_json(exclude=None if opts.text else {"text"})
                codes = Counter(i.code for i in doc.validation.issues if i.severity != "info")
                rows, db_error = None, None
                if opts.rows:
                    from rectiparse.export import document_rows

                    try:
                        rows = document_rows(doc, text=opts.text)
                    except (ValueError, OverflowError) as exc:  # the document is fine; its rows do not fit
                        db_error = f"cannot make table rows: {exc}"
            out.append({"status": "done", "path": task.path, "sha256": sha, "line": line,
                        "codes": dict(codes), "rows": rows, "db_error": db_error, "path_bytes": task.raw})
        except FileTimeout as exc:
            out.append(_error(task, exc, sha))
        except Exception as exc:  # a bug on one file must not cost the others in the chunk
            out.append(_error(task, exc, sha))
    return out


def _die_with_parent(parent: int | None = None) -> None:
    """A worker must not outlive ``rectiparse batch``: after a SIGKILL of the parent, pool workers would sit on
    their queues forever holding ~200 MB each. The kernel kills this process when its parent dies
    (PR_SET_PDEATHSIG, Linux); elsewhere, or if the parent died before that was set, a watch thread notices the
    parent changing and exits."""
    parent = parent or os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="rectiparse-parent-watch", daemon=True).start()


def _init_worker(opts: Options, done: frozenset[str], parent: int | None = None) -> None:
    """Once per worker process: end with the parent, ignore Ctrl-C (the main process decides), load rules, warm
    the pipeline up."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STATE["opts"], _STATE["done"] = opts, done
    from rectiparse.pipeline import parse_text
    from rectiparse.rules import load_rules

    load_rules(opts.rules_dir)
    if opts.use_model:
        preload_model(opts.rules_dir)  # a no-op when forked from a parent that loaded it (see run_local)
    try:  # first parse pays for lazy imports and compiled patterns; do it before the clock matters
        parse_text(_WARM_UP, rules_dir=opts.rules_dir)
    except Exception:
        pass


_WARM_UP = "关于整改情况的通报\n一、存在问题\n1.问题一。整改情况：已完成整改。\n"


def preload_model(rules_dir: str | None = None) -> bool:
    """Load the block-role model (spaCy + jieba's dictionary, ~145 MB) now rather than on the first document
    without items. Called in the parent before the worker pool forks, the model's pages are shared by every
    worker instead of each worker loading a private copy mid-run (which is what made ``-j2`` peak at 400 MB on
    mixed archives); ``gc.freeze`` keeps the collector from touching — and so copying — those pages later.
    The loaders' libraries and the compiled rule patterns (one warm-up parse) are shared the same way.
    Returns False when the model cannot be loaded (the pipeline then falls back to the rules on its own)."""
    from rectiparse.segment import model

    if model._LOADED:
        return True
    _import_jieba_without_pkg_resources()
    try:
        model.load_model()
    except Exception:
        return False
    import importlib

    for name in ("rectiparse.loaders.pdf", "rectiparse.loaders.html", "rectiparse.loaders.docx", "pdfplumber",
                 "pypdfium2", "docx", "selectolax.lexbor", "rectiparse.extract", "rectiparse.validate"):
        try:  # the loaders' libraries too (~30 MB): imported once here, shared, instead of once per worker
            importlib.import_module(name)
        except ImportError:
            pass
    try:
        from rectiparse.pipeline import parse_text

        parse_text(_WARM_UP, rules_dir=rules_dir)
    except Exception:
        pass
    import gc

    gc.collect()
    gc.freeze()
    return True


def _import_jieba_without_pkg_resources() -> None:
    """jieba imports ``pkg_resources`` only to open its own dictionary file (11 MB and 0.2 s of setuptools
    scanning every installed distribution) and falls back to a plain ``open`` when it is absent; nothing else on
    the model's path needs it. Hide it for that one import."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes `import pkg_resources` fail
    try:
        import jieba  # noqa: F401
    except ImportError:
        pass
    finally:
        del sys.modules["pkg_resources"]


def _run_chunk(tasks: list[Task]) -> list[Result]:
    out = process(tasks, _STATE["opts"], _STATE["done"])
    _trim()
    return out


def _trim() -> None:
    """Hand the C heap's free pages back to the system after a chunk (glibc keeps them otherwise): a PDF's
    parse leaves megabytes of freed buffers that would count against the worker until it exits."""
    trim: Any = _STATE.get("trim")
    if trim is None:
        try:
            import ctypes

            trim = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            trim = False  # no glibc: remembered, so the lookup is not repeated
        _STATE["trim"] = trim
    if trim:
        trim(0)


# --------------------------------------------------------------------------- engines

Chunk = list[Task]


def _failed_chunk(chunk: Chunk, exc: BaseException) -> list[Result]:
    what = "this file" if len(chunk) == 1 else f"a chunk of {len(chunk)} files including this one"
    why = f"a worker process died (crash, out of memory, killed) while parsing {what}: {type(exc).__name__}: {exc}"
    return [{"status": "error", "path": t.path, "sha256": None, "error": "WorkerLost", "message": why}
            for t in chunk]


def run_local(chunks: Iterable[Chunk], opts: Options, done: frozenset[str], jobs: int,
              stop: Callable[[], bool]) -> Generator[list[Result], None, None]:
    """Results chunk by chunk, in input order. ``-j1`` runs in this process (no start-up cost)."""
    if jobs == 1:
        _init_worker_inproc(opts, done)
        for chunk in chunks:
            if stop():
                return
            yield process(chunk, opts, done)
        return

    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    if opts.use_model and ctx.get_start_method() == "fork":
        preload_model(opts.rules_dir)  # once, shared copy-on-write by every worker (and their replacements)

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(opts, done, os.getpid()))

    # A dead worker breaks the whole pool: every chunk in flight fails with it, the culprit and the innocent alike.
    # Their files become suspects and run again one at a time, each alone in a fresh pool, so that a second break
    # convicts exactly the file that caused it and no innocent neighbour is reported.
    window = jobs * 4
    pool = new_pool()
    pending: deque[tuple[Chunk, bool, Any]] = deque()  # (chunk, ran alone, future)
    suspects: deque[Task] = deque()
    it = iter(chunks)
    try:
        while True:
            while not stop():
                if suspects:
                    if pending:
                        break
                    chunk, solo = [suspects.popleft()], True
                else:
                    nxt = next(it, None) if len(pending) < window else None
                    if nxt is None:
                        break
                    chunk, solo = nxt, False
                pending.append((chunk, solo, _submit(pool, chunk)))
            if not pending:
                return
            if stop():  # drop what has not started; finish what has
                for _, _, fut in pending:
                    fut.cancel()
            chunk, solo, fut = pending.popleft()
            if fut.cancelled():
                continue
            try:
                result = fut.result()
            except Exception as exc:  # BrokenProcessPool: a worker was killed (OOM, segfault)
                if stop():  # shutting down anyway: the files stay unprocessed, the next run does them
                    continue
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                if not solo:
                    suspects.extend(t for c in [chunk, *(c for c, _, _ in pending)] for t in c)
                    pending.clear()
                    continue
                result = _failed_chunk(chunk, exc)  # it ran alone in a fresh pool: this file kills workers
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: Any, chunk: Chunk) -> Any:
    """A pool that broke between two submissions refuses the next one; hand back a failed future instead, so the
    result loop treats it like any other chunk lost with the pool."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    try:
        return pool.submit(_run_chunk, chunk)
    except BrokenProcessPool as exc:
        fut: Future[list[Result]] = Future()
        fut.set_exception(exc)
        return fut


def _init_worker_inproc(opts: Options, done: frozenset[str]) -> None:
    from rectiparse.rules import load_rules

    load_rules(opts.rules_dir)


def run_dask(chunks: Iterable[Chunk], opts: Options, done: frozenset[str], jobs: int,
             stop: Callable[[], bool], scheduler: str | None) -> Generator[list[Result], None, None]:
    """The same chunks on dask.distributed; the client reads the files and ships their bytes."""
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        nworkers = max(1, len(client.scheduler_info().get("workers", {})) or jobs)
        done_ref: Any = client.scatter([done], broadcast=True)[0] if done else frozenset()
        window = nworkers * 4
        pending: deque[tuple[Chunk, Any]] = deque()
        it = iter(chunks)
        while True:
            while not stop() and len(pending) < window:
                chunk = next(it, None)
                if chunk is None:
                    break
                shipped = [_ship(t, opts.max_size) for t in chunk]
                pending.append((chunk, client.submit(process, shipped, opts, done_ref, pure=False)))
            if not pending:
                return
            if stop():
                for _, fut in pending:
                    if fut.status == "pending":
                        fut.cancel()
            chunk, fut = pending.popleft()
            if fut.cancelled():
                continue
            try:
                yield fut.result()
            except Exception as exc:  # KilledWorker and the like
                if stop():  # Ctrl-C reaches a local cluster's workers too: not the files' fault
                    continue
                yield _failed_chunk(chunk, exc)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _ship(task: Task, max_size: int | None = None) -> Task:
    try:
        return Task(task.path, task.file, task.member, _read(task, max_size), task.index, task.raw)
    except Exception:
        return task  # let the worker try, and report what goes wrong in the usual way


def chunked(tasks: list[Task], size: int) -> Iterator[Chunk]:
    for i in range(0, len(tasks), size):
        yield tasks[i:i + size]


# --------------------------------------------------------------------------- output


def _repair_tail(path: Path) -> None:
    """Cut a half line left by a hard kill (power loss, SIGKILL mid-write)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb+") as fh:
        fh.seek(-1, os.SEEK_END)
        if fh.read(1) == b"\n":
            return
        size = fh.seek(0, os.SEEK_END)
        pos = size
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            fh.seek(pos)
            block = fh.read(step)
            nl = block.rfind(b"\n")
            if nl >= 0:
                fh.truncate(pos + nl + 1)
                return
        fh.truncate(0)


def _last_line(path: Path) -> bytes | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        pos, tail = size, b""
        while pos > 0:
            step = min(65536, pos)
            pos -= step
            fh.seek(pos)
            tail = fh.read(step) + tail
            idx = tail.rfind(b"\n", 0, len(tail) - 1)
            if idx >= 0:
                return tail[idx + 1:]
        return tail


class OutputError(Exception):
    """OUTDIR cannot be written (disk full, quota, file size limit, permission): the batch stops cleanly."""


def _append(fh: Any, data: bytes) -> None:
    """Write one whole line or nothing. An unbuffered write may be short (a full disk takes part of the line)
    or fail; either way the file is cut back to where the line began, so no half line is ever left for the
    next run to mistake for, or cut into, a finished document."""
    start = fh.seek(0, os.SEEK_END)
    view = memoryview(data)
    try:
        while view:
            n = fh.write(view)
            if not n:
                raise OSError(28, "No space left on device")  # ENOSPC: a write that takes nothing
            view = view[n:]
    except OSError as exc:
        try:
            fh.truncate(start)
        except OSError:
            pass
        why = "disk full" if exc.errno in (28, 27, 122) else (exc.strerror or str(exc))  # ENOSPC, EFBIG, EDQUOT
        raise OutputError(f"{fh.name}: {why} ({exc.strerror or exc}): cannot write; free space and run the "
                          "same command again to resume") from None


class Output:
    """The three files of OUTDIR. Whole lines only, documents before their manifest entries."""

    def __init__(self, outdir: Path, version: str, *, config: str | None = None, defer_manifest: bool = False):
        self.dir = outdir
        self.version = version
        self.config = config  # fingerprint of the options and rules: other options mean other output
        # with --db a document counts as done only once its rows are in the database: its manifest line waits
        # for the batch to be written (``commit``), so a crash before that re-parses it on the next run
        self.defer = defer_manifest
        self.deferred: list[Result] = []  # with --db: documents waiting for their batch to be in the database
        outdir.mkdir(parents=True, exist_ok=True)
        for name in (DOCUMENTS, ERRORS, MANIFEST):
            _repair_tail(outdir / name)
        self.done: set[str] = set()  # sha256 parsed by this version
        self.known: set[tuple[str, str | None]] = set()  # (path, sha256) already in the manifest
        self.recorded: set[str | None] = set()  # sha256 in the manifest under any version and options
        mpath = outdir / MANIFEST
        if mpath.exists():
            with open(mpath, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        e = json.loads(line)
                    except json.JSONDecodeError:
                        continue
                    if e.get("status") == "ignored":  # not parsed: looked at again on every run
                        self.known.add((e.get("path"), e.get("sha256")))
                        continue
                    self.recorded.add(e.get("sha256"))
                    if e.get("version") == version and e.get("config") == config:
                        self.done.add(e["sha256"])
                        self.known.add((e["path"], e["sha256"]))
        self.previous_errors: dict[str, str] = {}
        epath = outdir / ERRORS
        if epath.exists():
            with open(epath, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        self.previous_errors[json.loads(line)["path"]] = line
                    except (json.JSONDecodeError, KeyError, TypeError):
                        continue
        self.docs = open(outdir / DOCUMENTS, "ab", buffering=0)
        self.errors = open(epath, "ab", buffering=0)
        self.manifest = open(mpath, "ab", buffering=0)
        self._reconcile()

    def _reconcile(self) -> None:
        """A kill between a document line and its manifest line: add the missing manifest line now."""
        last = _last_line(self.dir / DOCUMENTS)
        if not last:
            return
        try:
            src = json.loads(last)["source"]
        except (json.JSONDecodeError, KeyError, TypeError):
            return
        if src.get("sha256") and src["sha256"] not in self.recorded:
            self._manifest(src["sha256"], src.get("path") or "", "done")

    def _manifest(self, sha: str | None, path: str, status: str, **extra: Any) -> None:
        entry = {"sha256": sha, "version": self.version, "config": self.config, "path": path, "status": status}
        entry.update({k: v for k, v in extra.items() if v})
        _append(self.manifest, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
        if status != "ignored":
            self.done.add(sha)  # type: ignore[arg-type]
        self.known.add((path, sha))

    def _document(self, result: Result) -> None:
        """The document line, then its manifest line; if the second cannot be written, the first is taken back,
        so a document is never on disk without being marked done for longer than a hard kill between the two
        writes (which the next start repairs: see ``_reconcile``)."""
        start = self.docs.seek(0, os.SEEK_END)
        _append(self.docs, (result["line"] + "\n").encode("utf-8"))
        try:
            self._manifest(result["sha256"], result["path"], "done", path_bytes=result.get("path_bytes"))
        except OutputError:
            self.docs.truncate(start)
            raise

    def document(self, result: Result) -> bool:
        """Write a parsed document; False when its content is already in the output (counted as skipped).

        With --db the document waits in memory for its batch to be in the database (``commit``): writing it
        earlier meant a kill before the commit left a line that the next run, finding no manifest entry, wrote
        a second time."""
        sha = result["sha256"]
        if sha in self.done:
            self.skipped(result)
            return False
        if self.defer:
            self.done.add(sha)
            self.deferred.append(result)
        else:
            self._document(result)
        return True

    def commit(self, failed: Iterable[str] = ()) -> list[Result]:
        """Write the deferred documents whose batch is in the database, each line followed by its manifest line;
        return those the database refused (written to neither: the caller records them as errors)."""
        refused = set(failed)
        out = []
        while self.deferred:
            result = self.deferred[0]
            if result["path"] in refused:
                self.done.discard(result["sha256"])
                out.append(result)
            else:
                self._document(result)
            self.deferred.pop(0)
        return out

    def skipped(self, result: Result) -> None:
        if (result["path"], result["sha256"]) not in self.known:
            self._manifest(result["sha256"], result["path"], "duplicate", path_bytes=result.get("path_bytes"))

    def ignored(self, result: Result) -> None:
        """An input not parsed on purpose (not a bulletin, hidden, a link not followed): one manifest line."""
        if (result["path"], result.get("sha256")) not in self.known:
            self._manifest(result.get("sha256"), result["path"], "ignored", reason=result.get("reason"),
                           message=result.get("message"), path_bytes=result.get("path_bytes"))

    def error(self, result: Result) -> None:
        rec = {"path": result["path"], "error": result["error"], "message": result["message"]}
        if result.get("sha256"):
            rec["sha256"] = result["sha256"]
        if result.get("path_bytes"):
            rec["path_bytes"] = result["path_bytes"]
        _append(self.errors, (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))

    def close(self, handled: set[str], failed: set[str]) -> None:
        """Rewrite errors.jsonl: one line per path that is still failing (retried files that now parse go).

        Through a temporary file swapped in whole; when that cannot be written (disk full) the appended file
        stays as it is — every line in it whole — and no temporary file is left behind."""
        for fh in (self.docs, self.errors, self.manifest):
            fh.close()
        epath = self.dir / ERRORS
        lines: dict[str, str] = {}
        with open(epath, encoding="utf-8") as efh:
            for eline in efh:
                try:
                    path = json.loads(eline)["path"]
                except (json.JSONDecodeError, KeyError, TypeError):
                    continue
                if path in handled and path not in failed:
                    continue
                lines[path] = eline if eline.endswith("\n") else eline + "\n"
        tmp = epath.with_suffix(".jsonl.tmp")
        try:
            tmp.write_text("".join(lines.values()), encoding="utf-8")
            os.replace(tmp, epath)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError(f"{tmp}: {exc.strerror or exc}: errors.jsonl kept as appended (whole lines, "
                              "perhaps repeated per file)") from None


# --------------------------------------------------------------------------- the command


@dataclass
class Summary:
    total: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    db_failed: int = 0
    codes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    interrupted: bool = False
    not_parsed: Counter[str] = field(default_factory=Counter)  # reason → inputs left alone on purpose

    def render(self) -> str:
        rate = self.done / self.seconds if self.seconds > 0 else 0.0
        lines = [f"rectiparse batch: {self.done} done, {self.skipped} skipped, {self.failed} failed "
                 f"of {self.total} input file(s) in {self.seconds:.1f} s ({rate:.1f} docs/s)"]
        if self.not_parsed:
            lines.append(f"skipped, not parsed: {sum(self.not_parsed.values())} ("
                         + ", ".join(f"{r} {n}" for r, n in sorted(self.not_parsed.items()))
                         + "; listed in manifest.jsonl as ignored)")
        if self.codes:
            lines.append("validation warnings: " + ", ".join(f"{c} {n}" for c, n in self.codes.most_common()))
        if self.db_failed:
            lines.append(f"database: {self.db_failed} document(s) could not be written (see above)")
        if self.interrupted:
            left = self.total - self.done - self.skipped - self.failed - sum(self.not_parsed.values())
            lines.append(f"interrupted: {left} file(s) not processed; run the same command again to resume")
        return "\n".join(lines)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="files, folders (searched recursively), globs ('data/**/*.pdf') and .zip archives")
    p.add_argument("-o", "--output", required=True, metavar="OUTDIR",
                   help="writes OUTDIR/documents.jsonl, errors.jsonl and manifest.jsonl (appended; re-runs resume)")
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores)")
    p.add_argument("--db", metavar="URL",
                   help="also write the tables while parsing: sqlite:///FILE.db or postgresql://USER@HOST/DB")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local process pool (default) or a dask.distributed cluster")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster of -j workers)")
    p.add_argument("--chunk-size", type=int, default=None, metavar="N",
                   help="files per task sent to a worker (default: chosen from the input size)")
    p.add_argument("--no-text", action="store_true", help="leave out each document's full normalised text")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR image-only PDF pages")
    p.add_argument("--no-model", action="store_true", help="rules only: do not use the block-role model")
    p.add_argument("--rules", metavar="DIR", help="folder of rule files laid over the shipped ones")
    p.add_argument("--formats", default=",".join(BULLETIN_FORMATS), metavar="LIST",
                   help="formats to parse, by content (default: %(default)s); other files (JSON gold files, earlier "
                        "output, databases) are counted as skipped, not as errors")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help="time limit per file, after which it is recorded as an error and the batch goes on "
                        "(default: %(default)g; 0: none)")
    p.add_argument("--max-size", type=float, default=None, metavar="MB",
                   help="largest input in MB, archive members and Word parts counted unpacked (default: 64)")
    p.add_argument("--follow-links", action="store_true",
                   help="follow symbolic links to folders and links leading outside the input folders")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")


def _usage(message: str) -> int:
    print(f"rectiparse batch: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def config_key(opts: Options, rules: Any) -> str:
    """What besides the content and the version decides a document's output line: the parsing options and the
    rules in force. A re-run with other options or edited rules re-parses instead of skipping."""
    import hashlib

    spec = {"ocr": opts.ocr, "model": opts.use_model, "text": opts.text, "rules": rules.model_dump(mode="json", exclude={"source"})}
    blob = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def run(args: argparse.Namespace) -> int:
    from rectiparse import __version__
    from rectiparse.rules import RulesError, load_rules

    jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        return _usage("-j must be at least 1")
    if args.chunk_size is not None and args.chunk_size < 1:
        return _usage("--chunk-size must be at least 1")
    if args.scheduler and args.engine != "dask":
        return _usage("--scheduler needs --engine dask")
    if args.engine == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            return _usage("--engine dask needs the dask extra: pip install 'rectiparse[dask]'")
    formats = tuple(f.strip().lower() for f in args.formats.split(",") if f.strip())
    unknown = [f for f in formats if f not in BULLETIN_FORMATS]
    if not formats or unknown:
        return _usage(f"--formats takes a comma-separated list of {', '.join(BULLETIN_FORMATS)}; got "
                      f"{args.formats!r}")
    if args.timeout < 0:
        return _usage("--timeout must be 0 (no limit) or more")
    if args.max_size is not None and args.max_size <= 0:
        return _usage("--max-size must be more than 0 MB")
    try:
        rules = load_rules(args.rules)
    except RulesError as exc:
        return _usage(f"in rules: {exc}")
    outdir = Path(args.output)
    if outdir.exists() and not outdir.is_dir():
        return _usage(f"{outdir} exists and is not a folder")
    not_parsed: list[Result] = []
    walked: set[str] = set()
    tasks, archive_errors, unmatched = discover(args.inputs, exclude=outdir, follow_links=args.follow_links,
                                                ignored=not_parsed, walked=walked)
    if unmatched:
        return _usage(f"no such file, folder or match: {', '.join(unmatched)}")

    sink = None
    if args.db:
        from rectiparse.export import open_sink

        if args.db.startswith(("parquet:", "csv:")):
            return _usage("--db takes a database URL; for Parquet or CSV run `rectiparse export` afterwards")
        try:
            sink = open_sink(args.db)
        except Exception as exc:
            from rectiparse.export import display_target

            return _usage(f"--db {display_target(args.db)}: {type(exc).__name__}: {exc}")

    opts = Options(ocr=not args.no_ocr, use_model=not args.no_model, rules_dir=args.rules,
                   text=not args.no_text, rows=sink is not None, formats=formats, timeout=args.timeout or None,
                   max_size=int(args.max_size * 2**20) if args.max_size else None)
    # over RLIMIT_FSIZE (ulimit -f) the kernel kills the writer with SIGXFSZ; ignored, the write fails with
    # EFBIG instead, and the batch stops as it does on a full disk: whole lines, a message, no traceback
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        out = Output(outdir, __version__, config=config_key(opts, rules), defer_manifest=sink is not None)
    except (OutputError, OSError) as exc:
        print(f"rectiparse batch: error: {display_path(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    done = frozenset(out.done)
    size = args.chunk_size or max(1, min(16, len(tasks) // (jobs * 8)))
    summary = Summary(total=len(tasks) + len(archive_errors) + len(not_parsed))
    handled: set[str] = set(walked)  # a folder read this time is no longer "cannot read folder"
    failed_paths: set[str] = set()

    stopping = False

    def on_sigint(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        if stopping:  # a second Ctrl-C: the user means it
            raise KeyboardInterrupt
        stopping = True

    old_handler = signal.signal(signal.SIGINT, on_sigint)
    from tqdm import tqdm

    bar = tqdm(total=summary.total, unit="doc", dynamic_ncols=True, file=sys.stderr, smoothing=0.1,
               disable=args.quiet or not sys.stderr.isatty())
    pending_db: Any = None
    if sink is not None:
        from rectiparse.export import Batch

        pending_db = Batch()

    def flush_db() -> None:
        nonlocal pending_db
        if sink is None:
            return
        refused: dict[str, str] = {}
        if len(pending_db):
            for label, why in sink.write(pending_db):
                refused[label] = why
        for result in out.commit(refused):
            summary.done -= 1
            refuse(result, refused.get(result["path"], ""))
        pending_db = type(pending_db)()

    def refuse(result: Result, why: str) -> None:
        """A document the database would not take: an errors line (retried on the next run) instead of a
        document line, so that documents.jsonl and the database hold the same documents."""
        print(f"rectiparse batch: database: {result['path']}: {why}", file=sys.stderr)
        summary.db_failed += 1
        summary.failed += 1
        failed_paths.add(result["path"])
        out.error({**result, "error": "DatabaseError", "message": f"database refused the document: {why}"})

    def record(result: Result) -> None:
        handled.add(result["path"])
        status = result["status"]
        if status == "done" and pending_db is not None and not result.get("rows") and result["sha256"] not in out.done:
            refuse(result, result.get("db_error") or "no table rows")  # e.g. a number too large for a float
        elif status == "done":
            if out.document(result):
                summary.done += 1
                summary.codes.update(result.get("codes") or {})
                if pending_db is not None and result.get("rows"):
                    pending_db.add(result["rows"], result["path"])
                    if len(pending_db) >= DB_BATCH:
                        flush_db()
            else:
                summary.skipped += 1
        elif status == "skipped":
            out.skipped(result)
            summary.skipped += 1
        elif status == "ignored":
            out.ignored(result)
            summary.not_parsed[result.get("reason") or "other"] += 1
        else:
            out.error(result)
            failed_paths.add(result["path"])
            summary.failed += 1
        bar.update(1)

    start = time.perf_counter()
    chunks = chunked(tasks, size)
    stop = lambda: stopping  # noqa: E731
    if args.engine == "dask":
        results = run_dask(chunks, opts, done, jobs, stop, args.scheduler)
    else:
        results = run_local(chunks, opts, done, jobs, stop)
    fatal: str | None = None
    try:
        for err in archive_errors:
            record({"status": "error", **err})
        for ignored in not_parsed:
            record(ignored)
        for chunk_results in results:
            for result in chunk_results:
                record(result)
        flush_db()
    except KeyboardInterrupt:
        stopping = True
    except OutputError as exc:  # disk full: stop handing out work; what is on disk is whole and resumable
        fatal = str(exc)
        stopping = True
    finally:
        summary.seconds = time.perf_counter() - start
        summary.interrupted = stopping
        results.close()  # shuts the pool or the dask client down
        bar.close()
        try:
            out.close(handled, failed_paths)
        except OutputError as exc:
            fatal = fatal or str(exc)
        if sink is not None:
            sink.close()
        signal.signal(signal.SIGINT, old_handler)
    if not args.quiet or summary.failed or summary.interrupted:
        print(summary.render(), file=sys.stderr)
    if fatal:
        print(f"rectiparse batch: error: {fatal}", file=sys.stderr)
        return EXIT_USAGE
    if summary.interrupted:
        return EXIT_INTERRUPTED
    return EXIT_SOME_FAILED if summary.failed or summary.db_failed else EXIT_OK
