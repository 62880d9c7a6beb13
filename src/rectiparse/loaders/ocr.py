"""OCR for PDF pages without a text layer: render with pypdfium2, read with rapidocr-onnxruntime.

Why these two: pdfium renders any page the PDF loader could open, and RapidOCR ships the PP-OCRv4 Chinese
detection and recognition models inside its wheel, so OCR works offline with no model download at run time.
The result is given back as ``pdf.Line`` objects in PDF points, so a scanned page goes through exactly the
same header/footer removal and paragraph rebuilding (indentation, short last lines) as a born-digital one.

The engine is created once per process (loading the models takes about a second) and only when a page
needs it; importing this module is cheap.

No network: onnxruntime sends telemetry unless told not to, and its DNS lookups stall OCR on a machine with
no network (and leak that a file is being read). ``ORT_DISABLE_TELEMETRY=1`` must be in the environment
before onnxruntime is first imported — ``onnxruntime.disable_telemetry_events()`` afterwards did not stop
the lookups in a trial — so it is set here, at import of this module, and again right before the engine is
built. ``tests/test_pdf.py`` runs OCR in a process with no network namespace to prove it.

OCR takes seconds a page, so each page done is reported on standard error ("OCR page 2 (1/3) 2.8 s").
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from functools import lru_cache
from typing import TYPE_CHECKING

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

if TYPE_CHECKING:
    from rectiparse.loaders.pdf import Line

# render resolution: 200 dpi reads 10.5–12 pt Chinese text reliably; more costs time for no gain
DPI = 200
MIN_SCORE = 0.5


@lru_cache(maxsize=1)
def engine():
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"  # before onnxruntime's first import (see the module doc)
    from rapidocr_onnxruntime import RapidOCR

    # no angle classifier: pages are upright (rotated pages come upright from pdfium's /Rotate handling)
    return RapidOCR(use_cls=False, print_verbose=False)


def ocr_pages(data: bytes, numbers: list[int]) -> list[list[Line]]:
    """OCR the given 1-based pages of a PDF; one list of lines per page, in reading order."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        out = []
        for k, n in enumerate(numbers, start=1):
            t0 = time.perf_counter()
            page = doc[n - 1]
            scale = DPI / 72
            image = page.render(scale=scale, grayscale=True).to_numpy()
            if image.ndim == 3:
                image = image[:, :, 0]
            out.append(read_image(image, scale, n))
            print(f"rectiparse: OCR page {n} ({k}/{len(numbers)}) {time.perf_counter() - t0:.1f} s",
                  file=sys.stderr, flush=True)
        return out
    finally:
        doc.close()


def read_image(image, scale: float, page: int) -> list[Line]:
    """Text lines of one page image; boxes on one baseline are merged, coordinates in PDF points."""
    import numpy as np

    from rectiparse.loaders.pdf import Line

    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    result, _ = engine()(image, use_cls=False)
    boxes = []
    for box, text, score in result or []:
        if float(score) < MIN_SCORE or not text.strip():
            continue
        xs = [pt[0] / scale for pt in box]
        ys = [pt[1] / scale for pt in box]
        boxes.append((min(xs), max(xs), min(ys), max(ys), text.strip()))
    boxes.sort(key=lambda b: ((b[2] + b[3]) / 2, b[0]))
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for b in boxes:
        mid = (b[2] + b[3]) / 2
        if rows:
            last = rows[-1]
            top = statistics.median(x[2] for x in last)
            bottom = statistics.median(x[3] for x in last)
            if top <= mid <= bottom:
                last.append(b)
                continue
        rows.append([b])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda b: b[0])
        height = statistics.median(b[3] - b[2] for b in row)
        text = ""
        prev_x1 = None
        for x0, x1, _, _, t in row:
            if text and prev_x1 is not None and x0 - prev_x1 > height and (text[-1].isascii() or t[0].isascii()):
                text += " "
            text += t
            prev_x1 = x1
        # a detection box is taller than the glyphs (it is padded): ~0.9 of its height is the font size
        lines.append(Line(text=text, x0=row[0][0], x1=max(b[1] for b in row), top=min(b[2] for b in row),
                          bottom=max(b[3] for b in row), size=round(height * 0.9, 1), page=page))
    snap_sizes(lines)
    return lines


def snap_sizes(lines: list[Line]) -> None:
    """Unify the jittery sizes OCR boxes give: body lines take the page's median, larger ones their group's.

    A detection box's height varies by ±15% with the glyphs on the line (a line of digits and commas is
    lower than one of full CJK characters); left alone, the paragraph builder would read every jitter as a
    change of font and end the paragraph there.
    """
    if not lines:
        return
    median = statistics.median(ln.size for ln in lines)
    rest = []
    for ln in lines:
        if abs(ln.size - median) <= 0.2 * median:
            ln.size = median
        else:
            rest.append(ln)
    rest.sort(key=lambda ln: ln.size)
    group: list[Line] = []
    tail: list[Line | None] = [*rest, None]
    for nxt in tail:
        if nxt is not None and (not group or nxt.size <= group[0].size * 1.15):
            group.append(nxt)
            continue
        if group:
            size = statistics.median(g.size for g in group)
            for g in group:
                g.size = size
        group = [nxt] if nxt is not None else []
