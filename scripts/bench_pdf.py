"""Pages per second of the PDF path, side by side with raw text extraction by pdfplumber and pypdfium2.

Why: the PDF loader reads every character with its position through pdfplumber (pdfminer), which is far
slower than pdfium's C text extraction. This puts the three numbers next to each other in one run, on the
committed born-digital samples (samples/pdf/*.pdf, not the scan), so the cost of layout analysis is visible
and the choice of backend is made by measurement:

* ``rectiparse.parse``  — the whole pipeline: load (text lines, tables, furniture, paragraphs), normalise,
  segment, extract, validate;
* ``rectiparse load``   — the PDF loader alone;
* ``pdfplumber``        — ``page.extract_text()`` on every page, nothing else;
* ``pypdfium2``         — ``textpage.get_text_range()`` on every page, nothing else.

Each figure is the best of ``--repeat`` rounds (default 5) over all sample PDFs, single process. The
paths take turns within each round, so a machine whose speed drifts (a shared VM) slows them alike, and
the last column gives each as a share of raw pypdfium2 text extraction in the same run — the figure that
means something across machines. Targets: ≥ 10 born-digital pages/s end to end (issue 4); end to end
≥ 0.2 of raw pypdfium2 (issue 11; it was 0.14). The OCR path is timed separately on the image-only sample
with ``--ocr``.
Run: ``.venv/bin/python scripts/bench_pdf.py`` (``make bench`` runs it).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SAMPLES = ROOT / "samples" / "pdf"


def pdfplumber_text(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def pdfium_text(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for page in doc:
            page.get_textpage().get_text_range()
        return len(doc)
    finally:
        doc.close()


def loader(data: bytes) -> int:
    from rectiparse.loaders import pdf

    return pdf.load(data, "bench.pdf").source.pages or 0


def pipeline(data: bytes) -> int:
    from rectiparse.pipeline import parse_bytes

    return parse_bytes(data, "bench.pdf").source.pages or 0


def best(fn: Callable[[bytes], int], files: list[bytes], repeat: int) -> tuple[int, float]:
    times = []
    pages = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        pages = sum(fn(d) for d in files)
        times.append(time.perf_counter() - t0)
    return pages, min(times)


def interleaved(fns: list[Callable[[bytes], int]], files: list[bytes], repeat: int,
                clock: Callable[[], float] = time.perf_counter) -> list[tuple[int, float]]:
    """Best time of each function over ``repeat`` rounds in which every function runs once, in turn."""
    times: list[list[float]] = [[] for _ in fns]
    pages = [0] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            t0 = clock()
            pages[k] = sum(fn(d) for d in files)
            times[k].append(clock() - t0)
    return [(p, min(t)) for p, t in zip(pages, times, strict=True)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cpu", action="store_true",
                    help="time by this process's CPU time (steadier on a shared machine than wall-clock time)")
    ap.add_argument("--ocr", action="store_true", help="also time the OCR path on the image-only sample")
    args = ap.parse_args()
    paths = sorted(p for p in SAMPLES.glob("*.pdf") if not p.stem.endswith("_scan"))
    files = [p.read_bytes() for p in paths]
    pipeline(files[0])  # warm up: imports, rules, compiled patterns
    rows = [
        ("rectiparse.parse (end to end)", pipeline),
        ("rectiparse PDF loader only", loader),
        ("pdfplumber extract_text", pdfplumber_text),
        ("pypdfium2 get_text_range", pdfium_text),
    ]
    clock = time.process_time if args.cpu else time.perf_counter
    what = "CPU seconds of this process" if args.cpu else "wall-clock seconds"
    print(f"PDF path on {len(files)} born-digital samples, best of {args.repeat} interleaved rounds, {what}")
    print(f"{'':32s} {'pages':>6s} {'seconds':>8s} {'pages/s':>8s} {'÷ pdfium':>9s}")
    results = interleaved([fn for _, fn in rows], files, args.repeat, clock)
    raw_rate = results[-1][0] / results[-1][1]
    for (label, _), (pages, secs) in zip(rows, results, strict=True):
        print(f"{label:32s} {pages:6d} {secs:8.2f} {pages / secs:8.1f} {pages / secs / raw_rate:9.2f}")
    if args.ocr:
        scan = (SAMPLES / "002_056a472a98951650_scan.pdf").read_bytes()
        pages, secs = best(pipeline, [scan], 1)
        print(f"{'OCR (image-only, end to end)':32s} {pages:6d} {secs:8.2f} {pages / secs:8.2f}")


if __name__ == "__main__":
    main()
