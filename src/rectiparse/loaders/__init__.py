"""Loaders: turn a file as published (text, PDF, HTML, DOCX) into ``Loaded`` blocks.

The format is decided by content first (magic bytes), the file name second, because archives are full of
misnamed files (a PNG called .pdf, an HTML page saved as .txt). Every failure becomes a ``LoadError`` that
names the file and the problem; the CLI turns it into exit code 2, the batch runner into an errors-file line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rectiparse.models import Loaded


class LoadError(Exception):
    """The file cannot be read as a bulletin. ``str()`` names the file and says why."""

    def __init__(self, path: str | Path | None, problem: str):
        self.path = str(path) if path is not None else "<input>"
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff(data: bytes, name: str = "") -> str:
    """Guess the format from the first bytes, falling back to the extension."""
    head = data[:2048].lstrip()
    lower = head.lower()
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx" if suffix in ("", ".docx", ".doc", ".zip") or b"word/" in data[:4096] else "zip"
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
    if suffix == ".docx":
        return "docx"
    return "txt"


def load_bytes(data: bytes, name: str = "<input>", *, ocr: bool = True) -> Loaded:
    """Load a bulletin from bytes; ``name`` is used in errors and for the extension hint."""
    if not data or not data.strip():
        raise LoadError(name, "file is empty")
    fmt = sniff(data, name)
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

        loaded = pdf.load(data, name, ocr=ocr)
    elif fmt == "html":
        from rectiparse.loaders import html

        loaded = html.load(data, name)
    elif fmt == "docx":
        from rectiparse.loaders import docx

        loaded = docx.load(data, name)
    else:
        from rectiparse.loaders import txt

        loaded = txt.load(data, name)
    loaded.source.path = name
    loaded.source.sha256 = sha256(data)
    return loaded


def load(path: str | Path, *, ocr: bool = True) -> Loaded:
    """Load a bulletin file. Raises ``LoadError`` for anything unreadable."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        raise LoadError(p, "is a directory, not a file") from None
    except FileNotFoundError:
        raise LoadError(p, "no such file") from None
    except OSError as exc:
        raise LoadError(p, f"cannot read: {exc.strerror or exc}") from None
    return load_bytes(data, str(path), ocr=ocr)
