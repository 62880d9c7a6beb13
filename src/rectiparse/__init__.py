"""rectiparse: Chinese government rectification bulletins → structured, validated data.

    >>> import rectiparse
    >>> doc = rectiparse.parse("samples/002_056a472a98951650.txt")
    >>> doc.items[0].status
    'long_term'

``parse`` runs the five stages (load → normalise → segment → extract → validate); each lives in the
module of the same name. Heavy libraries (pdfplumber, spaCy, pandas) are imported only by the stage that
needs them, so the command line starts fast.
"""

from __future__ import annotations

from rectiparse.pipeline import parse, parse_bytes, parse_text

__version__ = "0.1.0"
__all__ = ["__version__", "parse", "parse_bytes", "parse_text"]
