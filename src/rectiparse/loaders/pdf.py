"""PDF loader: text lines with their geometry → paragraph blocks with page numbers; ruled tables kept apart.

Why it works from geometry rather than from ``extract_text``: a bulletin exported from Word or WPS breaks
every line at the right margin, so the PDF's line breaks say nothing about paragraphs. What does say it is
the layout the author saw — a first line indented by two characters, a last line that stops short of the
margin, extra space above a heading, a change of font size, a centred or right-aligned line. The loader
reads those per page (margins are measured per page, so mirrored margins and landscape annex pages work)
and hands the normaliser whole paragraphs with ``ends_paragraph`` set; a paragraph that runs over a page
break becomes two blocks, the first marked ``ends_paragraph=False``, so each keeps its page.

Lines are built from characters by baseline and font size (``_lines_from_runs``), never from glyph ink
boxes, whose centres move with the glyph's shape (issue 11: the flat 一 of a 楷体 （一）).

Running headers and footers are found by repetition: a line in the top or bottom band whose text (digits
masked) recurs on several pages is page furniture; page numbers ("— 3 —", "- 3 -", "第3页 共8页", "3/8") go
wherever they stand in those bands. Ruled tables come from pdfplumber's table finder; merged cells are
filled from the cell that spans them, a table continued on the next page is joined to its start (repeated
header row dropped, a row broken by the page joined, merges filled down), and the table's characters are
kept out of the body text so the segmenter never sees them twice. Pages with no usable text layer (scans)
and pages whose text layer lies (fonts without a ToUnicode map) go to ``loaders.ocr``.

Two backends read the characters. pypdfium2 (default) reads text per run and tables from its own path
objects, feeding pdfplumber's table finder; pdfplumber (pdfminer) is ~10× slower and kept as the reference
and for pages pdfium cannot measure (fonts neither embedded nor installed, fonts without ascent/descent,
form XObjects with tables). tests/test_pdf.py checks that both give the same blocks and tables on every
PDF fixture. pypdfium2 also opens the file first, because it says precisely why a file cannot be opened
(password, damaged, not a PDF), and renders pages for OCR.
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rectiparse.models import Block, Loaded, LoadedTable, Source, ValidationIssue
from rectiparse.normalise import wrap_space

# a page with fewer non-space characters than this (outside page furniture) has no usable text layer
MIN_PAGE_CHARS = 20
# the top / bottom share of the page where running headers, footers and page numbers stand
BAND = 0.11

_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－~·•\s]*\d{1,4}[—–\-－~·•\s]*"
    r"|第\s*\d+\s*页(?:\s*[,，/、]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?)$",
    re.IGNORECASE,
)
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…])\s+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…])")
_TERMINAL = "。！？!?；;…"
# what a glyph without a Unicode mapping comes out as: private-use code points, U+FFFD, control characters,
# pdfminer's (cid:N), glyph names (g123, uni4E00, /G21) written out as text
_GARBLED = re.compile(
    r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\(cid:\d+\)"
    r"|(?:(?<![A-Za-z])/?(?:(?:g|G|gid|cid|glyph)\d{1,5}|uni[0-9A-F]{4,6})){2,}"
)
# Latin-1 supplement and extended Latin, Greek, spacing modifiers, dingbat-like symbols: what a CJK font's
# glyph ids come out as through a single-byte encoding (no ToUnicode map) — "ÄÅÇiÉÄ ÑÖÜáà"
_MOJIBAKE = re.compile(r"[\u00a1-\u02ff\u0370-\u03ff\u2020-\u2022\u2030-\u203a\u2044\ufb01\ufb02]")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class Line:
    """One text line as laid out on the page (PDF points, origin top-left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int  # 1-based
    table: bool = False  # a stand-in for a table: paragraphs never run across it

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    chars: int = 0
    has_image: bool = False
    garbled: bool = False  # the text layer is mostly unmappable glyphs (no ToUnicode): read it by OCR
    left: float = 0.0
    right: float = 0.0


@dataclass
class _Table:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    rows: list[list[str]]
    # per row and column: the row where the cell covering that place starts (merged cells cover several rows)
    starts: list[list[int]] = field(default_factory=list)

    @property
    def vmerged_last(self) -> list[bool]:
        """Per column: the last row's place is covered by a cell that started in an earlier row."""
        last = len(self.rows) - 1
        return [st < last for st in self.starts[-1]] if self.starts else []


# --------------------------------------------------------------------------- opening


def _open_checked(data: bytes, name: str) -> int:
    """Open with pdfium to get the page count or a precise reason why the file is unreadable."""
    import pypdfium2 as pdfium

    from rectiparse.loaders import LoadError

    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise LoadError(name, "not a PDF file (no %PDF header)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if _pdfminer_pages(data) == 0:  # pdfium refuses an empty page tree ("Success" error)
            raise LoadError(name, "PDF has no pages") from None
        if "password" in msg:
            raise LoadError(name, "PDF is encrypted and needs a password to open") from None
        if "security" in msg or "handler" in msg:
            raise LoadError(name, "PDF uses an unsupported encryption scheme") from None
        raise LoadError(name, "PDF is damaged or truncated and cannot be opened") from None
    try:
        n = len(doc)
    finally:
        doc.close()
    if n == 0:
        raise LoadError(name, "PDF has no pages")
    return n


def _pdfminer_pages(data: bytes) -> int | None:
    """Page count by pdfminer, or None when it cannot read the file either."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except Exception:  # any parse failure: pdfminer cannot read it
        return None


def load(data: bytes, name: str, *, ocr: bool = True, backend: str = "pdfium") -> Loaded:
    """Load a PDF; ``ocr=False`` leaves image-only pages empty (still reported as ``low_text_yield``).

    ``backend`` chooses who reads the characters: "pdfium" (default; pypdfium2's C text layer, ~10× faster)
    or "pdfplumber" (pdfminer). Tables always come from pdfplumber's table finder, run only on pages that
    draw ruling lines. Both backends give the same blocks on the samples (tests/test_pdf.py checks it).
    """
    import pdfplumber

    from rectiparse.loaders import LoadError

    npages = _open_checked(data, name)
    pages: list[_Page] = []
    try:
        if backend == "pdfplumber":
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for i, page in enumerate(pdf.pages, start=1):
                    pages.append(_read_page(page, i))
        else:
            pages = _read_pdfium(data)
    except LoadError:
        raise
    except Exception as exc:  # pdfminer's / pdfium's parse errors have many types; all mean "damaged"
        raise LoadError(name, f"PDF is damaged and its text cannot be read ({type(exc).__name__})") from None

    issues: list[ValidationIssue] = []
    scans = [p for p in pages if p.chars < MIN_PAGE_CHARS and p.has_image and not p.garbled]
    lying = [p for p in pages if p.garbled]
    for p in lying:  # mojibake helps nobody: without OCR the page is empty, like a scan
        p.lines, p.tables = [], []
    low = sorted(scans + lying, key=lambda p: p.number)
    used_ocr = False
    if low and ocr:
        from rectiparse.loaders import ocr as ocr_mod

        # only these pages are rendered and read: a scan inside a born-digital file is OCR'd alone
        for p, lines in zip(low, ocr_mod.ocr_pages(data, [p.number for p in low]), strict=True):
            p.lines = lines
            used_ocr = used_ocr or bool(lines)
    def done(n: int) -> str:
        return "OCR'd" if ocr else f"OCR is switched off, so {'its' if n == 1 else 'their'} text is missing"

    if scans:
        nums = _ranges([p.number for p in scans])
        issues.append(ValidationIssue(
            code="low_text_yield", severity="warning",
            message=f"{name}: {nums} {'has' if len(scans) == 1 else 'have'} no usable text layer "
            f"(none, or too little: scanned); {done(len(scans))}",
        ))
    if lying:
        nums = _ranges([p.number for p in lying])
        issues.append(ValidationIssue(
            code="low_text_yield", severity="error",
            message=f"{name}: the text layer of {nums} is not plausible for a Chinese document (unmapped glyphs: "
            f"a font without a ToUnicode map, control characters, glyph names, Latin mojibake); "
            f"{done(len(lying))}",
        ))

    _drop_furniture(pages)
    tables = _join_tables(pages)
    blocks = _paragraphs(pages)
    text_parts: list[str] = []
    pos = 0
    for b in blocks:
        b.start = pos
        text_parts.append(b.text)
        pos += len(b.text) + 1
    return Loaded(
        source=Source(format="pdf", pages=npages, ocr=used_ocr),
        text="\n".join(text_parts),
        blocks=blocks,
        tables=tables,
        issues=issues,
    )


def _ranges(nums: list[int]) -> str:
    """[1, 2, 3, 5] → "pages 1–3, 5"; [4] → "page 4"."""
    parts: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(str(nums[i]) if i == j else f"{nums[i]}–{nums[j]}")
        i = j + 1
    return ("page " if len(nums) == 1 else "pages ") + ", ".join(parts)


# --------------------------------------------------------------------------- one page


def _find_tables(page, out: _Page) -> list[tuple[float, float, float, float]]:
    """Ruled tables of a pdfplumber page into ``out.tables``; returns their boxes (to keep their text out)."""
    boxes: list[tuple[float, float, float, float]] = []
    for t in page.find_tables():
        if len(t.rows) < 2 or max((len(r.cells) for r in t.rows), default=0) < 2:
            continue  # a framed paragraph, not a table
        rows, starts = _table_rows(t)
        x0, top, x1, bottom = t.bbox
        boxes.append((x0 - 1, top - 1, x1 + 1, bottom + 1))
        out.tables.append(_Table(page=out.number, top=top, bottom=bottom, x0=x0, x1=x1, rows=rows,
                                 starts=starts))
    return boxes


def _finish_page(out: _Page) -> _Page:
    for t in out.tables:
        out.lines.append(Line(text="", x0=t.x0, x1=t.x1, top=t.top, bottom=t.bottom, size=0, page=out.number,
                              table=True))
        out.chars += sum(len(c) for r in t.rows for c in r)
    out.lines.sort(key=lambda ln: (round(ln.top), ln.x0))
    out.garbled = not plausible("".join(ln.text for ln in out.lines) + "".join(
        c for t in out.tables for r in t.rows for c in r))
    return out


def plausible(text: str) -> bool:
    """Can this be a page of a Chinese document, or is the text layer lying?

    A font without a ToUnicode map makes the text layer give glyph ids for characters: control characters,
    ``(cid:N)``, Latin-1 letters and typographic symbols ("ÄÅÇiÉÄ Ñ†"), runs of glyph names. The page looks
    born-digital and would be passed on as mojibake with no warning. A page of fewer than ``MIN_PAGE_CHARS``
    characters is not judged (that is the scan test's business). A page is implausible when garbage marks
    make up a fifth of it, or when it has almost no Chinese (under 10 % of its characters) and either such
    marks or Latin-1/symbol characters make up over 5 % — an English page (an annex in English) has neither.
    """
    solid = "".join(text.split())
    n = len(solid)
    if n < MIN_PAGE_CHARS:
        return True
    cjk = n - len(_CJK_RE.sub("", solid))
    if cjk > 0.8 * n:
        return True  # garbage cannot make up a fifth of it
    bad = sum(len(m) for m in _GARBLED.findall(solid))
    if bad > 0.2 * n:
        return False
    if cjk >= 0.1 * n:
        return True
    return bad + len(_MOJIBAKE.findall(solid)) <= 0.05 * n


def _pdfium_cannot_measure(tp: Any) -> bool:
    """Can pdfium not give this page's characters their true size and place? Then pdfminer must read it.

    Two ways it cannot, both seen by sampling twenty characters (the test costs next to nothing on the pages
    it clears):

    * the font is neither embedded nor installed (a server with no CJK fonts): the tight box of every glyph
      is a flat line at the baseline, and pdfium drops whole lines it takes for duplicates;
    * the font states no ascent or descent (Chromium embeds CJK OpenType fonts as Type 3): pdfium's loose
      box, which should be pen position to advance, falls back to the ink box, so gaps between characters
      measure wider than they are and spaces appear that pdfminer (which reads the widths) does not see.
    """
    import pypdfium2.raw as raw

    h = tp.raw
    n = raw.FPDFText_CountChars(h)
    step = max(1, n // 20)
    flat = inked = total = 0
    rect = raw.FS_RECTF()
    for i in range(0, n, step):
        u = raw.FPDFText_GetUnicode(h, i)
        if u <= 32 or chr(u).isspace():
            continue
        left, bottom, right, top = tp.get_charbox(i)
        raw.FPDFText_GetLooseCharBox(h, i, rect)
        total += 1
        flat += (top - bottom) < 0.5
        inked += abs(rect.left - left) < 1e-3 and abs(rect.right - right) < 1e-3 and abs(rect.top - top) < 1e-3
    return total >= 3 and (flat > 0.8 * total or inked > 0.5 * total)


def _object_kinds(page: Any) -> tuple[int, int, int]:
    """(path, image, form) objects at the top level of the page, counted through the raw API.

    ``Counter(obj.type for obj in page.get_objects())`` wrapped every object in a Python object and descended
    into form XObjects: 17 % of the loader's time. What a form holds is not looked into: a page with forms
    has its tables found by pdfplumber (pdfminer draws forms' paths), and with little text it counts as an
    image (most likely a scanned page wrapped in a form).
    """
    import pypdfium2.raw as raw

    h = page.raw
    get, kind = raw.FPDFPage_GetObject, raw.FPDFPageObj_GetType
    counts = Counter(kind(get(h, i)) for i in range(raw.FPDFPage_CountObjects(h)))
    return (counts.get(raw.FPDF_PAGEOBJ_PATH, 0), counts.get(raw.FPDF_PAGEOBJ_IMAGE, 0),
            counts.get(raw.FPDF_PAGEOBJ_FORM, 0))


def _read_pdfium(data: bytes) -> list[_Page]:
    """Characters from pdfium (fast); pdfplumber is opened only for pages that draw lines (tables)."""
    import pdfplumber
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    plumber = None
    pages: list[_Page] = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            width, height = page.get_size()
            out = _Page(number=i + 1, width=float(width), height=float(height))
            paths, images, forms = _object_kinds(page)
            tp = page.get_textpage()  # one text page serves the font check and the characters
            if _pdfium_cannot_measure(tp):
                # pdfminer reads widths from the file alone, so such pages go through pdfplumber.
                if plumber is None:
                    plumber = pdfplumber.open(io.BytesIO(data))
                pages.append(_read_page(plumber.pages[i], i + 1))
                plumber.pages[i].close()
                tp.close()
                page.close()
                continue
            out.has_image = images > 0 or forms > 0 or paths > 200
            boxes: list[tuple[float, float, float, float]] = []
            if forms:  # paths inside form XObjects: only pdfminer descends into them
                if plumber is None:
                    plumber = pdfplumber.open(io.BytesIO(data))
                ppage = plumber.pages[i]
                if len(ppage.edges) >= 4:
                    boxes = _find_tables(ppage, out)
                ppage.close()
            elif paths >= 4:
                ruled = _RuledPage(page, tp, float(width), float(height))
                if len(ruled.edges) >= 4:
                    boxes = _find_tables(ruled, out)
            try:
                runs = _pdfium_runs(tp, float(height), boxes)
            except _Unmeasurable:
                runs = None
            finally:
                tp.close()
            if runs is None:
                if plumber is None:
                    plumber = pdfplumber.open(io.BytesIO(data))
                pages.append(_read_page(plumber.pages[i], i + 1))
                plumber.pages[i].close()
                page.close()
                continue
            out.lines = _lines_from_runs(runs, out.number)
            out.chars = sum(len(r.text) for r in runs)
            pages.append(_finish_page(out))
            page.close()
    finally:
        if plumber is not None:
            plumber.close()
        doc.close()
    return pages


@dataclass(slots=True)
class _Run:
    """Characters set side by side on one baseline, in one size: a character (pdfplumber) or a stretch of
    pdfium's text between spaces. ``base`` is the baseline's distance from the top of the page."""

    x0: float
    x1: float
    base: float
    size: float
    text: str
    space_before: bool = False  # the file sets a space glyph right before it (typed, not judged from a gap)


# a run whose baseline is within this share of its font size of a line's baseline sits on that line
BASELINE_TOLERANCE = 0.3
# a horizontal gap wider than this (points, or this share of the font size if less) between two runs of one
# line is written as a space. Spaces are decided by geometry alone, in both backends: pdfium reports a real
# space glyph as one it generated (Chromium's PDFs), so "was there a space character" has no common answer.
GAP = 3.0
GAP_EM = 0.15


def _lines_from_runs(runs: list[_Run], number: int, *, gap_em: float = GAP_EM) -> list[Line]:
    """Lines by baseline and font size, not by the glyphs' ink.

    Why: the tight box of a glyph follows its ink, so a flat character such as 一 (or a dash) has a box whose
    centre sits far below that of its neighbours; clustering by box centres or tops put the 一 of a 楷体
    （一） on a line of its own (issue 11). Every glyph of a line shares the baseline whatever its shape, so
    runs are grouped by baseline (within ``BASELINE_TOLERANCE`` of the font size, which keeps a raised
    footnote mark on its line) and ordered left to right; a gap wider than ``GAP`` points (or ``GAP_EM`` of
    the font size, for small print where a space is narrower than that) is a space. A line's top and bottom are derived from baseline and size (em box:
    0.88 above, 0.12 below), so both backends give the same geometry whatever each font's ascent says.
    """
    runs = [r for r in runs if r.text]
    runs.sort(key=lambda r: r.base)
    groups: list[list[_Run]] = []
    anchor = 0.0
    for r in runs:
        if groups and r.base - anchor <= BASELINE_TOLERANCE * max(r.size, groups[-1][0].size, 1.0):
            groups[-1].append(r)
        else:
            groups.append([r])
            anchor = r.base
    lines: list[Line] = []
    for g in groups:
        base = statistics.median(r.base for r in g) if len(g) > 1 else g[0].base
        g.sort(key=lambda r: r.x0)
        parts: list[str] = [g[0].text]
        for prev, r in itertools.pairwise(g):
            if _spaced(prev, r, gap_em):
                parts.append(" ")
            parts.append(r.text)
        text = "".join(parts)
        size = _median_size(g)
        lines.append(Line(text=text, x0=g[0].x0, x1=max(r.x1 for r in g), top=base - 0.88 * size,
                          bottom=base + 0.12 * size, size=size, page=number))
    return lines


def _median_size(runs: list[_Run]) -> float:
    """The median font size of a line's characters (each run weighs as many characters as it has)."""
    first = round(runs[0].size, 1)
    if all(round(r.size, 1) == first for r in runs):
        return first
    sizes = sorted((round(r.size, 1), len(r.text)) for r in runs)
    total = sum(n for _, n in sizes)
    lo, hi = (total - 1) // 2, total // 2  # the middle character(s), as statistics.median takes them
    seen = 0
    pick: list[float] = []
    for size, n in sizes:
        for k in (lo, hi):
            if seen <= k < seen + n:
                pick.append(size)
        seen += n
    return (pick[0] + pick[1]) / 2


def _cjk(ch: str) -> bool:
    return ch in _CJK_CHARS or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\uf900" <= ch <= "\ufaff"


_CJK_CHARS = frozenset("“”‘’—…·")
_NON_CJK = re.compile(r"[^\u3000-\u9fff\uff00-\uffef\uf900-\ufaff“”‘’—…·]")


def _spaced(a: _Run, b: _Run, gap_em: float = GAP_EM) -> bool:
    """Is there a space between run ``a`` and the run ``b`` right of it? A gap wider than ``GAP`` points (or
    ``GAP_EM`` of the font size) is, except between two CJK characters: justified Chinese lines are spread
    by letter spacing, and a space between two Chinese characters means nothing (the normaliser drops it)."""
    if _cjk(a.text[-1]) and _cjk(b.text[0]):
        return False
    # a space the file sets as a glyph is one, however narrow: the backends measure a glyph's right edge
    # differently (pdfium's box takes in the ink of a narrow "I"), a typed space is the same to both
    return b.space_before or b.x0 > a.x1 + min(GAP, gap_em * min(a.size, b.size))


def _inside(boxes: list[tuple[float, float, float, float]], cx: float, cy: float) -> bool:
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


_WORD = re.compile(r"\S+")


class _Unmeasurable(Exception):
    """pdfium cannot say where a character's advance ends on this page (read it with pdfminer instead)."""


def _pdfium_runs(tp: Any, height: float, boxes: list[tuple[float, float, float, float]]) -> list[_Run]:
    """The page's runs from pdfium, reading text once and asking for geometry per run, not per character.

    pdfium's ``get_text_range`` gives the page's characters in one call (with the spaces and line breaks
    it generates where it sees gaps). Each stretch between white space is one run: its start and end come
    from the loose boxes (pen position and advance, the same box pdfminer gives a character) of its first
    and last character, its baseline from the first character's origin. That is five C calls a run instead
    of six a character (the per-character loop was half the loader's time). A page whose text does not map
    one to one onto pdfium's characters (characters outside the BMP) is read per character instead.
    Raises ``_Unmeasurable`` when a run ends in a character whose loose box is its ink box (no advance).
    """
    import ctypes

    import pypdfium2.raw as raw

    n = raw.FPDFText_CountChars(tp.raw)
    if n <= 0:
        return []
    text = tp.get_text_range(0, n)
    if len(text) != n:
        return _pdfium_runs_per_char(tp, height, boxes)
    h = tp.raw
    ox, oy = ctypes.c_double(), ctypes.c_double()
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    loose, tight, origin, fsize, get_matrix = (
        raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharBox, raw.FPDFText_GetCharOrigin, raw.FPDFText_GetFontSize,
        raw.FPDFText_GetMatrix)

    l_, r_, b_, t_ = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    seen: dict[int, tuple[float, float]] = {}

    def span(k: int) -> tuple[float, float]:
        """Left and right of character ``k``'s loose box (pen position, advance), asked for once."""
        if k not in seen:
            loose(h, k, rect)
            seen[k] = (rect.left, rect.right)
        return seen[k]

    def end(k: int) -> float:
        """The right of character ``k``, ending a run: checked to be an advance, not the ink box."""
        loose(h, k, rect)
        tight(h, k, l_, r_, b_, t_)
        if abs(rect.right - r_.value) < 1e-3 and abs(rect.top - t_.value) < 1e-3 and rect.top - rect.bottom > 0.5:
            # the loose box is the ink box: the font states no ascent/descent, so pdfium has no advance width
            raise _Unmeasurable
        return rect.right

    generated = raw.FPDFText_IsGenerated
    runs: list[_Run] = []
    for m in _WORD.finditer(text):
        i, j = m.start(), m.end()
        typed_space = i > 0 and text[i - 1] == " " and generated(h, i - 1) == 0
        get_matrix(h, i, matrix)
        if abs(matrix.b) > 1e-3 or abs(matrix.c) > 1e-3 or matrix.a <= 0:
            continue  # rotated or mirrored text: a stamp, a watermark
        origin(h, i, ox, oy)
        base = height - oy.value
        # the font size as set, times the scale of the character's matrix (Chromium sets 16 at 0.55)
        size = fsize(h, i) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        word = m.group()
        # pdfium writes a space where it judges one; a narrower gap it leaves out may still be one by the
        # rule both backends share (``_spaced``): measure the pairs that rule does not exempt (not CJK–CJK)
        cuts = [i]
        gap = min(GAP, GAP_EM * size)
        seen.clear()
        for q in _NON_CJK.finditer(word):
            for k in (i + q.start(), i + q.start() + 1):
                if i < k < j and k != cuts[-1] and span(k)[0] > span(k - 1)[1] + gap:
                    cuts.append(k)
        cuts.append(j)
        for a, b in itertools.pairwise(cuts):
            x0, x1 = span(a)[0], end(b - 1)
            if boxes and _inside(boxes, (x0 + x1) / 2, base - 2):
                continue
            runs.append(_Run(x0=x0, x1=x1, base=base, size=size, text=word[a - i : b - i],
                             space_before=typed_space and a == i))
    return runs


class _RuledPage:
    """Just enough of a pdfplumber ``Page`` for its table finder — ruling edges and characters — read by pdfium.

    Why: pdfplumber gets edges by running pdfminer's content-stream interpreter over the page, which cost a
    ruled page 0.2–0.3 s, more than all other pages of a bulletin together (62 % of the PDF benchmark). pdfium
    has already parsed the page: its path objects give the same edges (each subpath's consecutive points,
    as pdfminer splits paths at every moveto and pdfplumber turns lines, rectangles and curves into edges),
    and its characters the cell text. pdfplumber's ``TableFinder`` and ``Table.extract`` then run unchanged,
    so cells are found and filled by the same code as on the pdfplumber path (both backends' tables are
    compared in tests/test_pdf.py).
    """

    def __init__(self, page: Any, tp: Any, width: float, height: float) -> None:
        self.bbox = (0.0, 0.0, width, height)
        self._page, self._tp, self._height = page, tp, height
        self.edges = self._edges()

    def _edges(self) -> list[dict[str, Any]]:
        import ctypes

        import pypdfium2.raw as raw

        h, height = self._page.raw, self._height
        x, y = ctypes.c_float(), ctypes.c_float()
        m = raw.FS_MATRIX()
        edges: list[dict[str, Any]] = []

        def add(sub: list[tuple[float, float]], kind: str) -> None:
            for (ax, ay), (bx, by) in itertools.pairwise(sub):
                orient: str | None
                if kind == "line":  # pdfplumber: a line is horizontal or else vertical
                    orient = "h" if ay == by else "v"
                else:
                    orient = "v" if ax == bx else "h" if ay == by else None
                if orient is None:
                    continue
                top, bottom = min(ay, by), max(ay, by)
                edges.append({"object_type": f"{kind}_edge" if kind != "line" else "line", "x0": min(ax, bx),
                              "x1": max(ax, bx), "top": top, "bottom": bottom, "doctop": top,
                              "width": abs(ax - bx), "height": bottom - top, "orientation": orient})

        for i in range(raw.FPDFPage_CountObjects(h)):
            obj = raw.FPDFPage_GetObject(h, i)
            if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
                continue
            raw.FPDFPageObj_GetMatrix(obj, m)
            subs: list[tuple[list[tuple[float, float]], bool]] = []
            for k in range(raw.FPDFPath_CountSegments(obj)):
                seg = raw.FPDFPath_GetPathSegment(obj, k)
                raw.FPDFPathSegment_GetPoint(seg, x, y)
                px, py = m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f
                pt = (round(px, 3), round(height - py, 3))
                if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO or not subs:
                    subs.append(([pt], False))
                else:
                    subs[-1][0].append(pt)
                if raw.FPDFPathSegment_GetClose(seg):
                    subs[-1] = (subs[-1][0], True)
            for pts, closed in subs:
                if closed and pts[0] != pts[-1]:
                    pts.append(pts[0])
                if len(pts) == 2:
                    add(pts, "line")
                elif len(pts) == 5 and closed and _is_rect(pts):
                    add(pts, "rect")
                elif len(pts) > 1:
                    add(pts, "curve")
        return edges

    @functools.cached_property
    def chars(self) -> list[dict[str, Any]]:
        """Every character with pdfminer's keys (text, box, upright, size); spaces pdfium made up are left out."""
        import ctypes

        import pypdfium2.raw as raw

        h = self._tp.raw
        ox, oy = ctypes.c_double(), ctypes.c_double()
        rect = raw.FS_RECTF()
        m = raw.FS_MATRIX()
        out: list[dict[str, Any]] = []
        for i in range(raw.FPDFText_CountChars(h)):
            u = raw.FPDFText_GetUnicode(h, i)
            if not u or 0xD800 <= u <= 0xDFFF or raw.FPDFText_IsGenerated(h, i):
                continue
            raw.FPDFText_GetLooseCharBox(h, i, rect)
            raw.FPDFText_GetCharOrigin(h, i, ox, oy)
            raw.FPDFText_GetMatrix(h, i, m)
            size = raw.FPDFText_GetFontSize(h, i) * abs(m.a * m.d - m.b * m.c) ** 0.5  # as in _pdfium_runs
            base = self._height - oy.value
            top = base - 0.88 * size
            out.append({"object_type": "char", "text": chr(u), "x0": rect.left, "x1": rect.right, "top": top,
                        "bottom": base + 0.12 * size, "doctop": top, "upright": True, "size": size,
                        "base": base})
        return out

    def find_tables(self) -> list[Any]:
        from pdfplumber.table import TableFinder

        return TableFinder(self).tables  # type: ignore[arg-type]


def _is_rect(pts: list[tuple[float, float]]) -> bool:
    """Four axis-parallel sides (what pdfminer makes an LTRect of)."""
    return all(a[0] == b[0] or a[1] == b[1] for a, b in itertools.pairwise(pts))


def _pdfium_runs_per_char(tp: Any, height: float, boxes: list[tuple[float, float, float, float]]) -> list[_Run]:
    """One run per character (the slow path, for pages with characters outside the BMP)."""
    import ctypes

    import pypdfium2.raw as raw

    h = tp.raw
    ox, oy = ctypes.c_double(), ctypes.c_double()
    runs: list[_Run] = []
    typed_space = False
    for i in range(raw.FPDFText_CountChars(h)):
        u = raw.FPDFText_GetUnicode(h, i) or 0xFFFD  # 0: a glyph with no Unicode mapping
        if 0xD800 <= u <= 0xDFFF or abs(raw.FPDFText_GetCharAngle(h, i)) > 0.01:
            continue
        ch = chr(u)
        if ch.isspace():
            typed_space = ch == " " and raw.FPDFText_IsGenerated(h, i) == 0
            continue
        left, _bottom, right, _top = tp.get_charbox(i, loose=True)
        raw.FPDFText_GetCharOrigin(h, i, ox, oy)
        base = height - oy.value
        if boxes and _inside(boxes, (left + right) / 2, base - 2):
            continue
        runs.append(_Run(x0=float(left), x1=float(right), base=base, size=raw.FPDFText_GetFontSize(h, i), text=ch,
                         space_before=typed_space))
        typed_space = False
    return runs


def _read_page(page, number: int) -> _Page:
    """One page entirely through pdfplumber (the ``backend="pdfplumber"`` path): one run per character."""
    out = _Page(number=number, width=float(page.width), height=float(page.height))
    # a scan is an image; text converted to outlines is a mass of curves: neither has a text layer
    out.has_image = bool(page.images) or len(page.curves) > 200
    boxes = _find_tables(page, out) if len(page.edges) >= 4 else []
    runs: list[_Run] = []
    typed_space = False
    for c in page.chars:
        if not c.get("upright", True):
            continue
        text = c["text"]
        if text.isspace():
            typed_space = text == " "
            continue
        base = float(c["top"]) + float(c["y1"]) - float(c["matrix"][5])
        if boxes and _inside(boxes, (c["x0"] + c["x1"]) / 2, base - 2):
            continue
        runs.append(_Run(x0=float(c["x0"]), x1=float(c["x1"]), base=base, size=float(c["size"]), text=text,
                         space_before=typed_space))
        typed_space = False
    out.lines = _lines_from_runs(runs, number)
    out.chars = sum(len(r.text) for r in runs)
    return _finish_page(out)


def clean_cell(text: str | None) -> str:
    """Cell text on one line: wrapped lines rejoined, spaces between CJK characters dropped."""
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = ""
    for p in parts:
        if wrap_space(out, p):
            out += " "
        out += p
    return _CJK_GAP.sub("", out)


def _cell_text(chars: list[dict[str, Any]]) -> str:
    """A cell's characters as lines (by baseline, as body text is read), one per line of the cell."""
    runs = []
    for c in chars:
        text = c["text"]
        if not text or text.isspace():
            continue
        size = float(c["size"])
        # pdfium's characters carry their baseline; pdfminer's give it as the origin of their matrix
        base = c["base"] if "base" in c else float(c["top"]) + float(c["y1"]) - float(c["matrix"][5])
        runs.append(_Run(x0=float(c["x0"]), x1=float(c["x1"]), base=base, size=size, text=text))
    # a table's small print is set with the 1/5-em gap LibreOffice puts between Chinese and digits: in a
    # cell that is no space (as pdfplumber's 3-point tolerance had it), so only gaps over 3 points count
    return "\n".join(ln.text for ln in _lines_from_runs(runs, 0, gap_em=1.0))


def _extract(t: Any) -> list[list[str | None]]:
    """pdfplumber's ``Table.extract()``, without testing every character of the page against every row.

    Same rule (a character belongs to the row, then the cell, whose box holds its centre, left/top edges
    inclusive); characters are sorted by their vertical centre once and each row takes its slice by
    bisection (the per-row scan was a tenth of the loader's time on a ruled page). A cell's text is built
    by ``_cell_text``, the same for both backends.
    """
    chars = sorted(((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, k, c) for k, c in enumerate(t.page.chars))
    mids = [c[0] for c in chars]
    out: list[list[str | None]] = []
    for row in t.rows:
        x0, top, x1, bottom = row.bbox
        lo, hi = bisect.bisect_left(mids, top), bisect.bisect_left(mids, bottom)
        row_chars = sorted((c for c in chars[lo:hi] if x0 <= c[1] < x1), key=lambda c: c[2])
        arr: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                arr.append(None)
                continue
            inside = [c[3] for c in row_chars if cell[0] <= c[1] < cell[2] and cell[1] <= c[0] < cell[3]]
            arr.append(_cell_text(inside))
        out.append(arr)
    return out


def _table_rows(t) -> tuple[list[list[str]], list[list[int]]]:
    """Rows with every merged position filled from the cell whose box covers it, and for every position the
    row its covering cell starts in (what joining a table across pages needs to know about merges)."""
    raw = _extract(t)
    owners: list[tuple[tuple[float, float, float, float], str, int]] = []
    for r, row in enumerate(t.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None and r < len(raw) and c < len(raw[r]):
                owners.append((bbox, clean_cell(raw[r][c]), r))
    ncols = max(len(r.cells) for r in t.rows)
    col_x: list[float | None] = []
    for c in range(ncols):
        xs = [(row.cells[c][0] + row.cells[c][2]) / 2 for row in t.rows if c < len(row.cells) and row.cells[c]]
        col_x.append(statistics.median(xs) if xs else None)
    rows: list[list[str]] = []
    starts: list[list[int]] = []
    for r, row in enumerate(t.rows):
        y = (row.bbox[1] + row.bbox[3]) / 2
        out_row: list[str] = []
        out_starts: list[int] = []
        for c in range(ncols):
            bbox = row.cells[c] if c < len(row.cells) else None
            if bbox is not None:
                out_row.append(clean_cell(raw[r][c]))
                out_starts.append(r)
                continue
            x = col_x[c]
            hit = next(
                (
                    (v, start) for b, v, start in owners
                    if x is not None and b[0] - 0.5 <= x <= b[2] + 0.5 and b[1] - 0.5 <= y <= b[3] + 0.5
                ),
                None,
            )
            out_row.append(hit[0] if hit else "")
            out_starts.append(hit[1] if hit else r)
        rows.append(out_row)
        starts.append(out_starts)
    return rows, starts


# --------------------------------------------------------------------------- page furniture


def _signature(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_furniture(pages: list[_Page]) -> None:
    """Remove running headers/footers (repeated in the top/bottom band) and page numbers."""
    seen: dict[tuple[str, str, int], set[int]] = defaultdict(set)

    def band(p: _Page, ln: Line) -> str | None:
        if ln.bottom <= p.height * BAND:
            return "top"
        if ln.top >= p.height * (1 - BAND):
            return "bottom"
        return None

    for p in pages:
        for ln in p.lines:
            b = band(p, ln)
            if b and not ln.table:
                seen[(b, _signature(ln.text), round(ln.size))].add(p.number)
    need = 2 if len(pages) <= 4 else max(2, int(len(pages) * 0.3))
    repeated = {k for k, v in seen.items() if len(v) >= need}
    for p in pages:
        kept = []
        for ln in p.lines:
            b = band(p, ln)
            if b and not ln.table:
                if (b, _signature(ln.text), round(ln.size)) in repeated or _PAGE_NUMBER.match(ln.text.strip()):
                    continue
            kept.append(ln)
        p.lines = kept


# --------------------------------------------------------------------------- tables across pages


def _join_tables(pages: list[_Page]) -> list[LoadedTable]:
    """Tables in page order; one that ends a page and resumes at the top of the next is joined.

    Word and LibreOffice let a row break across a page, repeat the header row on every page, and draw a
    cell merged down over a page break as a fresh, empty cell on the new page. So where a table resumes:
    the repeated header row is dropped; a first row whose first cell (序号) is empty is the rest of the row
    above, and its cells are joined to that row's; and a cell at the top that continues a merge from the
    page before takes the merged value, down every row it covers there (``_continue``).
    """
    out: list[LoadedTable] = []
    last: _Table | None = None  # the previous table, when it ended its page
    for p in pages:
        for t in p.tables:
            body_above = [ln for ln in p.lines if not ln.table and ln.bottom <= t.top]
            header = t.rows[0]
            cont = (
                last is not None
                and out
                and last.page == p.number - 1
                and not body_above
                and len(header) == len(out[-1].columns)
            )
            if cont and last is not None:
                drop = 1 if _same_row(header, out[-1].columns) else 0
                out[-1].rows.extend(list(r) for r in _continue(out[-1].rows, last, t.rows[drop:], t.starts[drop:]))
            else:
                out.append(LoadedTable(page=p.number, title=_title_above(p, t), columns=header,
                                       rows=[list(r) for r in t.rows[1:]]))
            below = [ln for ln in p.lines if not ln.table and ln.top >= t.bottom]
            last = t if not below else None
        if not p.tables:
            if any(not ln.table for ln in p.lines):
                last = None
    return out


def _continue(done: list[list[str | None]], last: _Table, rows: list[list[str]],
              starts: list[list[int]]) -> list[list[str]]:
    """The rows of a table's next page, made to continue ``done`` (the rows so far; its last row may grow).

    A first row with an empty first cell is the rest of a row broken by the page, unless the first column is
    merged down over the break (the merge was open at the end of the page before, or the cell spans several
    rows here) and the row fills every cell it has to itself, at least two: then it is a new row of that
    merged group (the rest of a broken row leaves the cells whose text ended on the page before empty).
    A column whose cell at the top is empty and continues a merge (it spans several rows here, or the merge
    was open at the end of the page before) takes the value of the row above, in every row that cell covers.
    """
    rows = [list(r) for r in rows]
    if not rows or not done:
        return rows
    prev = done[-1]
    first = rows[0]
    ncol = len(first)
    was_merged = last.vmerged_last + [False] * (ncol - len(last.vmerged_last))
    top = starts[0]
    own = [c for c in range(1, ncol) if all(st[c] != top[c] for st in starts[1:])]  # cells only this row has
    merging = was_merged[0] or sum(st[0] == top[0] for st in starts) > 1  # the first column is merged here
    new_row = merging and len(own) >= 2 and all(first[c] for c in own)
    split = bool(any(first)) and not first[0] and not new_row
    if split:
        for c in range(ncol):
            prev[c] = _join_cell(prev[c] or "", first[c])
    for c in range(ncol):
        covered = [k for k in range(len(rows)) if starts[k][c] == top[c]]
        if first[c] and not split:
            continue
        if split and len(covered) == 1:
            continue  # the joined cell was this row's own
        if not split and not (was_merged[c] or len(covered) > 1):
            continue  # an empty cell of its own, not a merge that goes on
        for k in covered:
            if not rows[k][c]:
                rows[k][c] = prev[c] or ""
    return rows[1:] if split else rows


def _join_cell(a: str, b: str) -> str:
    """A cell's text from before and after a page break, as ``clean_cell`` would have joined its lines."""
    if not a or not b:
        return a or b
    return clean_cell(a + "\n" + b)


def _same_row(a: list[str], b: list[str]) -> bool:
    return [re.sub(r"\s+", "", x or "") for x in a] == [re.sub(r"\s+", "", x or "") for x in b]


def _title_above(p: _Page, t: _Table) -> str | None:
    above = [ln for ln in p.lines if not ln.table and ln.bottom <= t.top + 0.5]
    if not above:
        return None
    ln = above[-1]
    if t.top - ln.bottom > 4 * max(ln.size, 1) or len(ln.text) > 60 or ln.text.rstrip()[-1:] in _TERMINAL:
        return None
    return _CJK_GAP.sub("", ln.text.strip())


# --------------------------------------------------------------------------- paragraphs


def _margins(pages: list[_Page]) -> None:
    """Left and right edge of the text column per page (the commonest line starts and ends)."""
    shape = Counter((round(p.width), round(p.height)) for p in pages).most_common(1)[0][0]
    body = [ln for p in pages for ln in p.lines if not ln.table and (round(p.width), round(p.height)) == shape]
    doc_left = _edge([ln.x0 for ln in body], low=True)
    doc_right = _edge([ln.x1 for ln in body], low=False)
    for p in pages:
        lines = [ln for ln in p.lines if not ln.table]
        if len(lines) >= 4:
            p.left = _edge([ln.x0 for ln in lines], low=True, fallback=doc_left)
            p.right = _edge([ln.x1 for ln in lines], low=False, fallback=doc_right)
        elif (round(p.width), round(p.height)) == shape and body:
            p.left, p.right = doc_left, doc_right
        else:  # a page of another shape (a landscape annex) with little text: its lines and tables
            p.left = min((ln.x0 for ln in p.lines), default=p.width * 0.1)
            p.right = max((ln.x1 for ln in p.lines), default=p.width * 0.9)
        if p.right - p.left < 50:  # nonsense (a page of centred lines): use the page itself
            p.left, p.right = min(p.left, p.width * 0.1), max(p.right, p.width * 0.9)


def _edge(xs: list[float], *, low: bool, fallback: float | None = None, tol: float = 2.5) -> float:
    """The outermost x shared by at least two lines (and 10% of them): the column edge, not an outlier."""
    if not xs:
        return fallback if fallback is not None else 0.0
    need = max(2, int(len(xs) * 0.1))
    ordered = sorted(xs, reverse=not low)
    for x in ordered:
        if sum(1 for y in xs if abs(y - x) <= tol) >= need:
            return x
    return fallback if fallback is not None else ordered[len(ordered) // 2]


def _paragraphs(pages: list[_Page]) -> list[Block]:
    _margins(pages)
    byno = {p.number: p for p in pages}
    body = [ln for p in pages for ln in p.lines]
    sizes: Counter[float] = Counter()
    pitches: list[float] = []
    prev: Line | None = None
    for ln in body:
        if ln.table:
            prev = None
            continue
        sizes[ln.size] += len(ln.text)
        if prev is not None and prev.page == ln.page and abs(prev.size - ln.size) < 0.5 and ln.top > prev.top:
            pitches.append((ln.top - prev.top) / max(ln.size, 1))
        prev = ln
    body_size = sizes.most_common(1)[0][0] if sizes else 12.0
    pitch = statistics.median(pitches) if pitches else 1.6

    def centred(ln: Line) -> bool:
        p = byno[ln.page]
        mid = (p.left + p.right) / 2
        return ln.x0 - p.left > ln.size and abs(ln.centre - mid) < 1.5 * ln.size

    def full(ln: Line) -> bool:
        return byno[ln.page].right - ln.x1 <= 1.5 * ln.size

    def indent(ln: Line) -> float:
        return (ln.x0 - byno[ln.page].left) / max(ln.size, 1)

    # does this document mark paragraphs by first-line indentation? (then a line that stops a little
    # short of a ragged right margin, without closing punctuation, is not yet the end of its paragraph)
    def ratio(ln: Line) -> float:
        p = byno[ln.page]
        return (ln.x1 - p.left) / max(p.right - p.left, 1)

    after_short = [b.x0 - byno[b.page].left > 0.8 * b.size for a, b in itertools.pairwise(body)
                   if not a.table and not b.table and a.page == b.page and ratio(a) < 0.7]
    indent_style = len(after_short) >= 3 and sum(after_short) >= 0.6 * len(after_short)

    def breaks(a: Line, b: Line) -> bool:
        """Does a paragraph end between line ``a`` and the next line ``b``?"""
        if abs(a.size - b.size) > max(0.6, 0.08 * b.size):
            return True
        if a.page == b.page and b.top - a.top > (pitch * 1.3 + 0.15) * max(a.size, b.size):
            return True
        big = b.size >= body_size * 1.15
        if centred(b):  # a title over two or three lines stays one paragraph
            return not (big and (centred(a) or full(a)))
        if indent(b) > 0.8:
            return True
        if indent(a) > 4 and not centred(a):  # right-aligned signature or date
            return True
        if full(a):
            return False
        return not (indent_style and ratio(a) >= 0.75 and a.text[-1:] not in _TERMINAL + "：:")

    blocks: list[Block] = []
    cur: list[Line] = []

    def flush(ends: bool) -> None:
        if not cur:
            return
        text = ""
        for ln in cur:
            if wrap_space(text, ln.text):
                text += " "
            text += ln.text
        p = byno[cur[0].page]
        width = max(p.right - p.left, 1)
        blocks.append(
            Block(
                text=text,
                start=0,
                page=cur[0].page,
                ends_paragraph=ends,
                indent=round(indent(cur[0]), 2),
                width_ratio=round(min(1.5, max(0.0, (cur[-1].x1 - p.left) / width)), 3),
                font_size=statistics.median(ln.size for ln in cur),
            )
        )
        cur.clear()

    prev = None
    for ln in body:
        if ln.table:
            flush(True)
            prev = None
            continue
        if prev is not None:
            if breaks(prev, ln):
                flush(True)
            elif prev.page != ln.page:
                flush(False)  # the paragraph runs on over the page break
        cur.append(ln)
        prev = ln
    flush(True)
    return blocks
