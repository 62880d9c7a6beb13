"""DOCX loader: Word's paragraphs, in body order, with the list numbers Word draws but does not store.

Why it reads the XML itself instead of ``Paragraph.text`` alone:

* **Automatic numbering.** Government Word files often number 一、/（一）/1. headings with a list style;
  the marker is then not in the paragraph text at all, only in ``numbering.xml`` (``w:numPr`` → ``w:num``
  → ``w:abstractNum`` → the level's ``lvlText`` such as ``%1、`` and ``numFmt`` such as
  ``chineseCounting``). The segmenter needs the marker, so the loader counts the lists the way Word does
  (counters per abstract list, lower levels restarting after a higher one unless ``lvlRestart`` says
  otherwise, ``startOverride`` restarting a level) and prefixes the rendered marker to the paragraph.
* **Body order with tables.** ``w:p`` and ``w:tbl`` are visited in document order (content controls and
  tracked insertions included, deletions left out). A data table becomes a ``LoadedTable`` with merged
  cells filled from the cell they span and is not body text; a one-row or one-column table is layout
  (a red 文件头, a signature block) and is read as paragraphs.
* **Hints.** Heading styles and outline levels → ``style="heading"``, the Title style → ``"title"``;
  every Word paragraph ends a paragraph (``ends_paragraph=True``), a manual line break (``w:br``)
  too; the first-line indent goes into ``Block.indent`` in em. Core-properties title → ``metadata``.

A truncated or corrupt file raises ``LoadError`` naming the file, never a zip or XML traceback.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from rectiparse.models import Block, Loaded, LoadedTable, Source, ValidationIssue

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# --------------------------------------------------------------------------- number formats

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = [chr(0x2460 + i) for i in range(20)]  # ①…⑳
_PAREN = [chr(0x2474 + i) for i in range(20)]  # ⑴…⒇
_FULLSTOP = [chr(0x2488 + i) for i in range(20)]  # ⒈…⒛


def chinese_counting(n: int, digits: str = _CN_DIGITS, ten: str = "十", hundred: str = "百",
                     thousand: str = "千") -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (the way Word's chineseCounting renders)."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    parts: list[str] = []
    units = [(1000, thousand), (100, hundred), (10, ten), (1, "")]
    zero = False
    for value, unit in units:
        d = n // value % 10
        if d == 0:
            if parts:
                zero = True
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        if value == 10 and d == 1 and not parts:
            parts.append(unit)  # 十一, not 一十一
        else:
            parts.append(digits[d] + unit)
    return "".join(parts)


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
            (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: 27 → AA, 28 → BB
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """Render ``n`` in a WordprocessingML ``numFmt``."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "koreanCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_counting(n)
    if fmt == "ideographDigital":
        return "".join(_CN_DIGITS[int(c)] if c != "0" else "〇" for c in str(n))
    if fmt in ("chineseLegalSimplified",):
        return chinese_counting(n, _CN_LEGAL, "拾", "佰", "仟")
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _DIZHI[(n - 1) % 12]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return _PAREN[n - 1] if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return _FULLSTOP[n - 1] if 1 <= n <= 20 else f"{n}."
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(c)) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


# --------------------------------------------------------------------------- numbering state


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False
    suffix: str = "tab"


@dataclass
class _Numbering:
    """numbering.xml, and Word's counters while the body is read."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    used_nums: set[str] = field(default_factory=set)
    style_links: dict[str, str] = field(default_factory=dict)  # abstractNum → numbering style it uses
    alias: dict[str, str] = field(default_factory=dict)  # abstractNum → the abstractNum it stands for

    @classmethod
    def read(cls, root: Any | None) -> _Numbering:
        out = cls()
        if root is None:
            return out
        for a in root.iter(f"{W}abstractNum"):
            abs_id = a.get(f"{W}abstractNumId")
            out.abstract[abs_id] = {
                int(lvl.get(f"{W}ilvl", "0")): _read_level(lvl) for lvl in a.iter(f"{W}lvl")
            }
            link = a.find(f"{W}numStyleLink")
            if link is not None and link.get(f"{W}val"):
                out.style_links[abs_id] = link.get(f"{W}val")
        # an abstractNum may point at a style's list (numStyleLink); resolve it through the style's num
        for n in root.iter(f"{W}num"):
            abs_el = n.find(f"{W}abstractNumId")
            if abs_el is None:
                continue
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for ov in n.iter(f"{W}lvlOverride"):
                ilvl = int(ov.get(f"{W}ilvl", "0"))
                so = ov.find(f"{W}startOverride")
                if so is not None:
                    starts[ilvl] = _int(so.get(f"{W}val"), 1)
                lvl = ov.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = _read_level(lvl)
            out.nums[n.get(f"{W}numId")] = (abs_el.get(f"{W}val"), starts, levels)
        return out

    def link_styles(self, styles: dict[str, _Style]) -> None:
        """An abstractNum with ``numStyleLink`` has no levels of its own: it is the list that the
        named numbering style points at (Word's "list styles"); counters are shared with it."""
        for abs_id, style_id in self.style_links.items():
            st = styles.get(style_id)
            num = self.nums.get(st.num[0]) if st and st.num[0] is not None else None
            target = num[0] if num is not None else None
            if target and target != abs_id:
                self.alias[abs_id] = target

    def _abs(self, num_id: str) -> str:
        abs_id = self.nums[num_id][0]
        return self.alias.get(abs_id, abs_id)

    def level(self, num_id: str, ilvl: int) -> _Level | None:
        entry = self.nums.get(num_id)
        if entry is None:
            return None
        _, _, levels = entry
        return levels.get(ilvl) or self.abstract.get(self._abs(num_id), {}).get(ilvl)

    def marker(self, num_id: str, ilvl: int) -> str:
        """Advance the list and return the text Word draws in front of the paragraph."""
        entry = self.nums.get(num_id)
        if entry is None or num_id == "0":
            return ""
        _, starts, _ = entry
        abs_id = self._abs(num_id)
        lvl = self.level(num_id, ilvl)
        if lvl is None:
            return ""
        counts = self.counters.setdefault(abs_id, {})
        if num_id not in self.used_nums:
            self.used_nums.add(num_id)
            for o_lvl, start in starts.items():
                counts[o_lvl] = start - 1
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else lvl.start
        for deeper in [d for d in counts if d > ilvl]:
            dl = self.level(num_id, deeper)
            restart = dl.restart if dl else None
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                del counts[deeper]
        if lvl.fmt == "bullet" or not lvl.text:
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            kl = self.level(num_id, k)
            value = counts.get(k, kl.start if kl else 1)
            fmt = kl.fmt if kl else "decimal"
            if lvl.legal and k < ilvl:
                fmt = "decimal"
            return format_number(value, fmt)

        text = re.sub(r"%([1-9])", sub, lvl.text)
        # what follows the number: a space when Word draws one; a tab only where the marker would
        # otherwise run into the text ("1.1" + "细化"), since "一、" or "1." already end the marker
        if text and (lvl.suffix == "space" or (lvl.suffix == "tab" and text[-1].isascii() and text[-1].isalnum())):
            text += " "
        return text


def _read_level(lvl: Any) -> _Level:
    def val(tag: str) -> str | None:
        el = lvl.find(f"{W}{tag}")
        return el.get(f"{W}val") if el is not None else None

    restart = val("lvlRestart")
    legal = lvl.find(f"{W}isLgl")
    return _Level(
        start=_int(val("start"), 1),
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") or "",
        restart=_int(restart, 0) if restart is not None else None,
        legal=legal is not None and legal.get(f"{W}val", "1") not in ("0", "false"),
        suffix=val("suff") or "tab",
    )


def _int(v: str | None, default: int) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


# --------------------------------------------------------------------------- styles


@dataclass
class _Style:
    name: str = ""
    based_on: str | None = None
    num: tuple[str | None, int | None] = (None, None)
    outline: int | None = None


def _read_styles(root: Any | None) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    if root is None:
        return styles
    for s in root.iter(f"{W}style"):
        sid = s.get(f"{W}styleId")
        name_el = s.find(f"{W}name")
        based = s.find(f"{W}basedOn")
        st = _Style(
            name=(name_el.get(f"{W}val") if name_el is not None else sid or "") or "",
            based_on=based.get(f"{W}val") if based is not None else None,
        )
        ppr = s.find(f"{W}pPr")
        if ppr is not None:
            st.num = _num_pr(ppr)
            ol = ppr.find(f"{W}outlineLvl")
            if ol is not None:
                st.outline = _int(ol.get(f"{W}val"), 9)
        if sid:
            styles[sid] = st
    return styles


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    np_ = ppr.find(f"{W}numPr")
    if np_ is None:
        return (None, None)
    nid = np_.find(f"{W}numId")
    ilvl = np_.find(f"{W}ilvl")
    return (
        nid.get(f"{W}val") if nid is not None else None,
        _int(ilvl.get(f"{W}val"), 0) if ilvl is not None else None,
    )


def _style_chain(styles: dict[str, _Style], sid: str | None) -> list[_Style]:
    out: list[_Style] = []
    seen: set[str] = set()
    while sid and sid in styles and sid not in seen:
        seen.add(sid)
        out.append(styles[sid])
        sid = styles[sid].based_on
    return out


_HEADING_NAME = re.compile(r"^(heading|标题)\s*(\d)$", re.I)


# --------------------------------------------------------------------------- text of a paragraph


def _runs_text(p: Any) -> list[str]:
    """The paragraph's visible text split at manual line breaks (w:br); deletions and field codes out."""
    lines = [""]
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t":
            if _inside(el, p, (f"{W}del", f"{MC}Fallback", f"{W}txbxContent")):
                continue
            lines[-1] += el.text or ""
        elif tag == f"{W}tab":
            if not _inside(el, p, (f"{W}del", f"{MC}Fallback", f"{W}txbxContent", f"{W}pPr")):
                lines[-1] += "\t"
        elif tag in (f"{W}br", f"{W}cr"):
            if el.get(f"{W}type") in (None, "textWrapping") and not _inside(el, p, (f"{MC}Fallback", f"{W}txbxContent")):
                lines.append("")
        elif tag == f"{W}noBreakHyphen":
            lines[-1] += "-"
    return lines


def _inside(el: Any, stop: Any, tags: tuple[str, ...]) -> bool:
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag in tags:
            return True
        node = node.getparent()
    return False


# --------------------------------------------------------------------------- the loader


@dataclass
class _Reader:
    numbering: _Numbering
    styles: dict[str, _Style]
    default_font_pt: float = 10.5
    blocks: list[Block] = field(default_factory=list)
    pieces: list[str] = field(default_factory=list)
    tables: list[LoadedTable] = field(default_factory=list)
    pos: int = 0

    def add(self, text: str, style: str | None, indent: float | None) -> None:
        self.blocks.append(Block(text=text, start=self.pos, ends_paragraph=True, style=style, indent=indent))
        self.pieces.append(text)
        self.pos += len(text) + 1

    def body(self, container: Any) -> None:
        for el in container:
            tag = el.tag
            if tag == f"{W}p":
                self.paragraph(el)
            elif tag == f"{W}tbl":
                self.table(el)
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
                inner = el.find(f"{W}sdtContent") if tag == f"{W}sdt" else el
                if inner is not None:
                    self.body(inner)

    def paragraph_parts(self, p: Any) -> tuple[list[str], str | None, float | None]:
        ppr = p.find(f"{W}pPr")
        sid = None
        num_id, ilvl = None, None
        outline = None
        indent = None
        if ppr is not None:
            ps = ppr.find(f"{W}pStyle")
            sid = ps.get(f"{W}val") if ps is not None else None
            num_id, ilvl = _num_pr(ppr)
            ol = ppr.find(f"{W}outlineLvl")
            if ol is not None:
                outline = _int(ol.get(f"{W}val"), 9)
            ind = ppr.find(f"{W}ind")
            if ind is not None:
                first = ind.get(f"{W}firstLineChars") or ind.get(f"{W}firstLine")
                if ind.get(f"{W}firstLineChars"):
                    indent = _int(first, 0) / 100
                elif first:
                    indent = round(_int(first, 0) / 20 / self.default_font_pt, 2)
        chain = _style_chain(self.styles, sid or "Normal")
        for st in chain:
            if num_id is None and st.num[0] is not None:
                num_id = st.num[0]
                if ilvl is None:
                    ilvl = st.num[1]
            if outline is None and st.outline is not None:
                outline = st.outline
        name = chain[0].name if chain else ""
        style = None
        if name.lower() in ("title", "标题") or name == "Title":
            style = "title"
        elif _HEADING_NAME.match(name) or any(_HEADING_NAME.match(s.name) for s in chain[:2]) or (
            outline is not None and outline < 9
        ):
            style = "heading"
        lines = _runs_text(p)
        if num_id and num_id != "0":
            marker = self.numbering.marker(num_id, ilvl or 0)
            if marker and any(line.strip() for line in lines):
                lines[0] = marker + lines[0].lstrip()
        return lines, style, indent

    def paragraph(self, p: Any) -> None:
        lines, style, indent = self.paragraph_parts(p)
        for i, line in enumerate(lines):
            text = line.strip(" \u3000\xa0\t")
            if text:
                self.add(text, style, indent if i == 0 else None)
        # text boxes anchored here (a red 文件头, a boxed note): their paragraphs follow, read once —
        # the VML fallback copy inside mc:Fallback is skipped
        for box in p.iter(f"{W}txbxContent"):
            if _inside(box, p, (f"{MC}Fallback", f"{W}txbxContent")):
                continue
            for inner in box.findall(f"{W}p"):
                self.paragraph(inner)

    def cell_text(self, tc: Any) -> str:
        out: list[str] = []
        for p in tc.iter(f"{W}p"):
            lines, _, _ = self.paragraph_parts(p)
            out.extend(t.strip() for t in lines if t.strip())
        return "\n".join(out)

    def table(self, tbl: Any) -> None:
        grid = _table_grid(tbl, self.cell_text)
        width = max((len(r) for r in grid), default=0)
        if len(grid) < 2 or width < 2 or all(len({c for c in r if c}) <= 1 for r in grid):
            # layout (文件头, signatures, a box around the text): read it as paragraphs
            for tc in tbl.iter(f"{W}tc"):
                for p in tc.findall(f"{W}p"):
                    self.paragraph(p)
            return
        grid = trim_columns([r + [""] * (width - len(r)) for r in grid])
        header = grid[0]
        heady = sum(1 for c in header if c) >= max(2, 0.6 * len(header)) and all(
            len(c) <= 20 and "。" not in c for c in header
        )
        title = None
        if self.pieces:
            last = self.pieces[-1]
            if len(last) <= 50 and not last.endswith(("。", "；")):
                title = last
        self.tables.append(
            LoadedTable(
                title=title,
                columns=header if heady else [],
                rows=[list(r) for r in (grid[1:] if heady else grid)],
            )
        )


def trim_columns(grid: list[list[str]]) -> list[list[str]]:
    """Drop trailing columns that are empty in every row (ragged rows padded by the writer)."""
    width = len(grid[0]) if grid else 0
    while width > 1 and all(not r[width - 1] for r in grid):
        width -= 1
    return [r[:width] for r in grid]


def _table_grid(tbl: Any, cell_text) -> list[list[str]]:
    """Rows of cell texts; a cell spanning columns (gridSpan) or continuing a vertical merge (vMerge)
    repeats the text of the cell it belongs to."""
    grid: list[list[str]] = []
    for tr in tbl.findall(f"{W}tr"):
        row: list[str] = []
        for tc in tr.findall(f"{W}tc"):
            tcpr = tc.find(f"{W}tcPr")
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = tcpr.find(f"{W}gridSpan")
                if gs is not None:
                    span = max(1, _int(gs.get(f"{W}val"), 1))
                vm = tcpr.find(f"{W}vMerge")
                if vm is not None:
                    vmerge = vm.get(f"{W}val") or "continue"
            col = len(row)
            if vmerge == "continue" and grid and col < len(grid[-1]):
                text = grid[-1][col]
            else:
                text = cell_text(tc)
            row.extend([text] * span)
        grid.append(row)
    return grid


def load(data: bytes, name: str, *, max_size: int | None = None) -> Loaded:
    """Open with python-docx (it resolves the package relationships), then read its XML trees.

    python-docx reads every part into memory, so the parts' unpacked sizes are checked first: a 3 MB file whose
    document.xml inflates to 3 GB is refused by name (``max_size``, default ``loaders.MAX_SIZE``)."""
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from rectiparse.loaders import LoadError, check_zip_size

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip_size(zf, name, max_size, what="Word part")
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        pass  # python-docx below says what is wrong with it
    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError:
        raise LoadError(name, "not a readable Word .docx (damaged or truncated zip archive)") from None
    except ValueError as exc:  # a zip of another kind (.xlsx, .pptx): python-docx names the content type
        raise LoadError(name, f"not a Word .docx: {exc}") from None
    except KeyError:  # no officeDocument relationship: a zip, but no Word document inside
        raise LoadError(name, "not a Word .docx: the package has no main document part") from None
    except Exception as exc:  # zipfile.BadZipFile, zlib.error, EOFError, lxml XMLSyntaxError on a torn part
        raise LoadError(name, f"damaged Word file ({type(exc).__name__}: {exc})") from None
    body = document.element.body
    if body is None:
        raise LoadError(name, "damaged Word file: the document has no body")
    part = document.part
    try:
        numbering_root = part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        numbering_root = None
    try:
        styles_root = part.styles.element  # python-docx adds a default styles part when missing
    except Exception:
        styles_root = None
    styles = _read_styles(styles_root)
    numbering = _Numbering.read(numbering_root)
    numbering.link_styles(styles)
    reader = _Reader(numbering=numbering, styles=styles)
    reader.default_font_pt = _default_font_pt(styles_root)
    reader.body(body)
    if not reader.blocks and not reader.tables:
        raise LoadError(name, "the Word document has no text")
    issues: list[ValidationIssue] = []
    metadata: dict[str, str] = {}
    try:
        title = (document.core_properties.title or "").strip()
    except Exception:  # a malformed core.xml must not lose the body
        title = ""
    if title:
        metadata["title"] = title
    return Loaded(
        source=Source(format="docx", encoding=None, pages=None, ocr=False),
        text="\n".join(reader.pieces),
        blocks=reader.blocks,
        tables=reader.tables,
        issues=issues,
        metadata=metadata,
    )


def _default_font_pt(styles_root: Any | None) -> float:
    """Size of Normal text in pt (half-points in the XML), to turn twips of indent into em."""
    if styles_root is None:
        return 10.5
    for path in (f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz",):
        el = styles_root.find(path)
        size = _int(el.get(f"{W}val"), 21) / 2 if el is not None else 10.5
    for s in styles_root.iter(f"{W}style"):
        if s.get(f"{W}styleId") == "Normal" or (s.get(f"{W}default") == "1" and s.get(f"{W}type") == "paragraph"):
            sz = s.find(f"{W}rPr/{W}sz")
            if sz is not None:
                return _int(sz.get(f"{W}val"), 21) / 2
    return size
