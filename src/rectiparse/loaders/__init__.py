"""Loaders: turn a file as published (text, PDF, HTML, DOCX) into ``Loaded`` blocks.

The format is decided by content first (magic bytes), the file name second, because archives are full of
misnamed files (a PNG called .pdf, an HTML page saved as .txt). Every failure becomes a ``LoadError`` that
names the file and the problem; the CLI turns it into exit code 2, the batch runner into an errors-file line.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path

from rectiparse.models import Loaded

#: Largest input read, in bytes: a file, an archive member, or all the parts of a Word file unpacked. Parsing
#: costs roughly 40 bytes of memory per byte of text, so without a cap one 50 MB text takes 2 GB and a 3 MB zip
#: bomb takes all memory. ``rectiparse batch --max-size`` and the ``max_size=`` arguments change it.
MAX_SIZE = 64 * 2**20

#: Longest text parsed, in characters, whatever the format it came from (a PDF or Word file can unpack to much
#: more text than its size suggests). ``make bench`` measures ~50 bytes of memory per byte of UTF-8 Chinese text,
#: ~140 per character: 2 M characters (6 MB, a hundred times a long bulletin) stay under 400 MB.
MAX_TEXT = 2_000_000

#: Formats a bulletin can come in (``sniff`` may also answer ``zip``, ``json``, ``sqlite``, ``parquet``, ``image``,
#: ``ole`` or ``ooxml``: files that are not bulletins).
BULLETIN_FORMATS = ("txt", "pdf", "html", "docx")
#: Data files that sit beside bulletins (gold files, batch output, exported tables): never parsed as bulletins.
DATA_FORMATS = ("json", "sqlite", "parquet")


class LoadError(Exception):
    """The file cannot be read as a bulletin. ``str()`` names the file and says why."""

    def __init__(self, path: str | Path | None, problem: str):
        self.path = display_path(path) if path is not None else "<input>"
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def display_path(path: str | bytes | os.PathLike[str]) -> str:
    """A path as it can be printed and stored in JSON. Linux file names are bytes and need not be UTF-8: Python
    hands them over with surrogate escapes (``b\\xff.txt`` → ``'b\\udcff.txt'``), which no UTF-8 writer accepts.
    Bytes that are not UTF-8 are shown as ``\\xff``; ``path_bytes`` gives the exact name back."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a str with surrogates that no file system gave
        return str(path).encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def path_bytes(path: str | bytes | os.PathLike[str]) -> str | None:
    """The exact file name (base64 of its bytes) when ``display_path`` cannot show it as it is, else None."""
    try:
        raw = os.fsencode(path)
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode("ascii")
    return None


def _kind(mode: int) -> str:
    for test, what in ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory")):
        if test(mode):
            return what
    return "not a regular file"


def read_file(path: str | bytes | os.PathLike[str], *, max_size: int | None = None) -> bytes:
    """Read a regular file whole, refusing what would hang or exhaust memory.

    A FIFO blocks ``open`` until a writer comes (forever, in an archive folder) and ``/dev/zero`` never ends, so
    the file is opened non-blocking and checked with ``fstat`` on the open descriptor (no race with a swap
    between check and read); anything but a regular file is a ``LoadError``, and so is a file above
    ``max_size`` bytes (default ``MAX_SIZE``) — also when it grows while being read."""
    limit = MAX_SIZE if max_size is None else max_size
    name = display_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise LoadError(name, "is a directory, not a file") from None
    except FileNotFoundError:
        raise LoadError(name, "no such file") from None
    except OSError as exc:
        raise LoadError(name, f"cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise LoadError(name, f"is {_kind(st.st_mode)}, not a regular file: not read")
        if st.st_size > limit:
            raise LoadError(name, f"file is {_mb(st.st_size)}, above the size limit of {_mb(limit)} (--max-size)")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise LoadError(name, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise LoadError(name, f"file grew above the size limit of {_mb(limit)} while being read (--max-size)")
    return data


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def check_zip_size(zf: zipfile.ZipFile, name: str, limit: int | None = None, what: str = "part") -> None:
    """Refuse an archive whose members unpack to more than ``limit`` bytes in all (a decompression bomb).

    Declared sizes are enough: ``zipfile`` never yields more than a member's declared size (a member that
    inflates further fails its CRC check), so the sum bounds the memory any reader of this archive can use."""
    limit = MAX_SIZE if limit is None else limit
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > limit or total > limit:
            raise LoadError(name, f"{what} {info.filename!r} unpacks to {_mb(info.file_size)}; the archive "
                                  f"would exceed the size limit of {_mb(limit)} (--max-size): a decompression bomb?")


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limit: int | None = None) -> bytes:
    """One archive member, streamed with a cap (an archive bomb stops at ``limit`` bytes, not at 3 GB)."""
    limit = MAX_SIZE if limit is None else limit
    if info.file_size > limit:
        raise LoadError(name, f"archive member unpacks to {_mb(info.file_size)}, above the size limit of "
                              f"{_mb(limit)} (--max-size): a decompression bomb?")
    buf = io.BytesIO()
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            buf.write(chunk)
            if buf.tell() > limit:
                raise LoadError(name, f"archive member unpacks to more than {_mb(limit)} (--max-size)")
    return buf.getvalue()


def sniff(data: bytes, name: str = "") -> str:
    """Guess the format from the first bytes, falling back to the extension."""
    head = data[:2048].lstrip()
    lower = head.lower()
    suffix = Path(name).suffix.lower()
    if not head and suffix in (".json", ".jsonl"):
        return "json"  # an empty errors.jsonl of an earlier batch: data, not an empty bulletin
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, suffix)
    if data.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if data.startswith(b"PAR1"):
        return "parquet"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if lower.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lower[:1024] or (
        suffix in (".html", ".htm", ".shtml") and b"<" in head[:200]
    ):
        return "html"
    if suffix == ".pdf":
        return "pdf"
    if _is_json(data):
        return "json"
    return "txt"


def _zip_kind(data: bytes, suffix: str = "") -> str:
    """A zip is a Word file when it holds ``word/document.xml``, whatever it is called (a .docx renamed .zip is
    a bulletin; a plain zip renamed .docx is an archive). Reads only the central directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # torn: a Word file by its name or first entries, so that the Word loader says what is wrong
        return "docx" if suffix in ("", ".docx", ".doc") or b"word/" in data[:4096] else "zip"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if "[Content_Types].xml" in names and any(n.startswith(("xl/", "ppt/")) for n in names):
        return "ooxml"
    return "zip"


def _is_json(data: bytes) -> bool:
    """Contract JSON, gold files, JSONL batch output: the first line (or the whole file) parses as a JSON object
    or array. A bulletin never starts with ``{`` or ``[`` followed by valid JSON."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith((b"{", b"[")):
        return False
    first = data.split(b"\n", 1)[0]
    for candidate in (first, data) if len(data) <= 4 * 2**20 else (first,):
        try:
            json.loads(candidate)
            return True
        except ValueError:
            continue
    return False


def check_text_size(text: str, name: str) -> None:
    """Refuse a text longer than ``MAX_TEXT`` characters. The loaders call it as soon as they have decoded the
    text (before building blocks); ``load_bytes`` again on what any loader produced."""
    if len(text) > MAX_TEXT:
        raise LoadError(name, f"text of {len(text):,} characters is above the limit of {MAX_TEXT:,} (parsing "
                              "takes ~140 bytes of memory a character): split the file")


def load_bytes(data: bytes, name: str = "<input>", *, ocr: bool = True, max_size: int | None = None) -> Loaded:
    """Load a bulletin from bytes; ``name`` is used in errors and for the extension hint.

    ``max_size`` caps the input and, for a Word file, its parts unpacked (default ``MAX_SIZE``)."""
    name = display_path(name)
    limit = MAX_SIZE if max_size is None else max_size
    if len(data) > limit:
        size = f"more than {_mb(limit)}" if len(data) == limit + 1 else _mb(len(data))  # a capped read
        raise LoadError(name, f"input is {size}, above the size limit of {_mb(limit)} (--max-size)")
    if not data or not data.strip():
        raise LoadError(name, "file is empty")
    fmt = sniff(data, name)
    if fmt in DATA_FORMATS:
        raise LoadError(name, f"file is {fmt} data (output or gold file?), not a bulletin")
    if fmt == "ooxml":
        raise LoadError(name, "not a Word .docx: an Excel or PowerPoint file")
    if fmt == "image":
        raise LoadError(name, "file is an image, not a PDF, HTML, DOCX or text bulletin")
    if fmt == "ole":
        raise LoadError(
            name,
            "legacy Word 97-2003 (.doc), encrypted Office or other OLE2 file: save it as .docx or PDF "
            "(e.g. `libreoffice --headless --convert-to docx`)",
        )
    if fmt == "zip":
        raise LoadError(name, "file is a zip archive; use `rectiparse batch` to parse archives")
    if fmt == "pdf":
        from rectiparse.loaders import pdf

        try:
            loaded = pdf.load(data, name, ocr=ocr)
        except ModuleNotFoundError as exc:  # an optional extra (OCR) not installed: say which, not a traceback
            extra = "ocr" if (exc.name or "").startswith(("rapidocr", "onnxruntime")) else "all"
            raise LoadError(name, f"needs the optional package {exc.name} to read this PDF (image-only pages are "
                                  f"OCR'd): pip install 'rectiparse[{extra}]', or pass --no-ocr") from None
    elif fmt == "html":
        from rectiparse.loaders import html

        loaded = html.load(data, name)
    elif fmt == "docx":
        from rectiparse.loaders import docx

        loaded = docx.load(data, name, max_size=limit)
    else:
        from rectiparse.loaders import txt

        loaded = txt.load(data, name)
    check_text_size(loaded.text, name)
    loaded.source.path = name
    loaded.source.sha256 = sha256(data)
    return loaded


def load(path: str | Path, *, ocr: bool = True, max_size: int | None = None) -> Loaded:
    """Load a bulletin file. Raises ``LoadError`` for anything unreadable (also a FIFO, a device, a file above
    ``max_size``)."""
    data = read_file(path, max_size=max_size)
    return load_bytes(data, display_path(path), ocr=ocr, max_size=max_size)
