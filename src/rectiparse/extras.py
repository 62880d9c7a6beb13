"""Optional dependencies: which ``pip install 'rectiparse[EXTRA]'`` brings which import, and a clear error
when it is missing.

Why a module of its own: the core install stays small (no PostgreSQL driver, no Arrow, no OCR models, no Dask),
so several commands can meet a missing package. Without this table a user gets ``ModuleNotFoundError: No module
named 'pyarrow'`` (or a traceback from deep inside pandas); with it, every such failure says which extra to
install and the command exits 2 like any other unusable input. Stdlib only: the CLI imports it at start-up.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# top-level import name → (extra, what it is for)
EXTRAS: dict[str, tuple[str, str]] = {
    "pyarrow": ("parquet", "Parquet files"),
    "psycopg": ("postgres", "PostgreSQL"),
    "psycopg_binary": ("postgres", "PostgreSQL"),
    "rapidocr_onnxruntime": ("ocr", "OCR of image-only PDF pages"),
    "onnxruntime": ("ocr", "OCR of image-only PDF pages"),
    "dask": ("dask", "the Dask engine (--engine dask)"),
    "distributed": ("dask", "the Dask engine (--engine dask)"),
    "spacy_pkuseg": ("pkuseg", "the pkuseg tokeniser (train --pkuseg-model)"),
}


class MissingExtra(ImportError):
    """An optional package is not installed; the message names the extra that brings it."""

    def __init__(self, module: str, extra: str, what: str):
        self.module, self.extra, self.what = module, extra, what
        super().__init__(
            f"{what}: the optional package {module!r} is not installed; "
            f"install it with: pip install 'rectiparse[{extra}]'",
            name=module,
        )


def as_missing_extra(exc: BaseException) -> MissingExtra | None:
    """The ``MissingExtra`` an import failure stands for, or None when it is not about an optional package."""
    if isinstance(exc, MissingExtra):
        return exc
    if isinstance(exc, ImportError):
        name = (exc.name or "").split(".")[0]
        if name in EXTRAS:
            return MissingExtra(name, *EXTRAS[name])
    return None


def require(module: str) -> ModuleType:
    """Import an optional package, or raise ``MissingExtra`` naming its extra."""
    top = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if (exc.name or "").split(".")[0] != top:  # the package is there but one of *its* imports failed
            raise
        extra, what = EXTRAS[top]
        raise MissingExtra(top, extra, what) from None
