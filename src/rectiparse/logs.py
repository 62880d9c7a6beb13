"""Logging for the command line: ``-v`` / ``-q`` set one level for rectiparse and the libraries it drives.

Why here and not in each command: the flags are accepted before or after the command name, and the levels
must also reach code that is not ours — Dask's scheduler and workers log through their own configuration
(read from ``DASK_LOGGING__*`` when ``distributed`` is first imported, and inherited by the worker processes
of a local cluster), and Python ``warnings`` go through ``logging`` once captured. Stdlib only.

Levels: default WARNING (problems only); ``-v`` INFO (each stage of each document: what it found and how
long it took); ``-vv`` DEBUG; ``-q`` ERROR (progress bars, summaries and warnings off; errors still shown).
"""

from __future__ import annotations

import logging
import os
import sys

FORMAT = "%(name)s: %(levelname)s: %(message)s"
_QUIET = False


def level_for(verbose: int, quiet: bool) -> int:
    if quiet:
        return logging.ERROR
    return {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)


def setup(verbose: int = 0, quiet: bool = False) -> int:
    """Configure the root logger on standard error and the libraries' own switches; returns the level."""
    global _QUIET
    _QUIET = quiet
    level = level_for(verbose, quiet)
    root = logging.getLogger()
    root.handlers.clear()  # a second main() in one process (tests) must not print every line twice
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    # Dask: INFO is its default and prints ~30 lines per local cluster; keep it for -v only
    dask_level = level if verbose else max(level, logging.WARNING)
    os.environ["DASK_LOGGING__DISTRIBUTED"] = logging.getLevelName(dask_level).lower()  # new processes
    logging.getLogger("distributed").setLevel(dask_level)  # this one, if already imported
    # jieba prints "Building prefix dict …" through its own logger at DEBUG/INFO
    logging.getLogger("jieba").setLevel(max(level, logging.WARNING))
    return level


def quiet() -> bool:
    """True under ``-q``: commands print their closing summary only when this is False."""
    return _QUIET


def say(message: str) -> None:
    """A closing summary line on standard error (not a log record: shown by default, silenced by ``-q``)."""
    if not _QUIET:
        print(message, file=sys.stderr)
