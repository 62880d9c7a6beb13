"""HTML views of rectiparse output: ``show`` (one bulletin, annotated) and ``report`` (charts over an archive).

Both pages are single self-contained files (inline CSS, JS and SVG; no network, no CDN) so they can be mailed,
archived or opened from a file share. The CLI imports the command modules to build ``--help``, so nothing in
this package imports more than the stdlib and pydantic at module level.
"""
