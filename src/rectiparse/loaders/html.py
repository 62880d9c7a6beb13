"""HTML loader: a government article page → the article's paragraphs, its tables and its metadata box.

Why it is built this way (figures in the README / the issue-4 report):

* **Parser: selectolax (Lexbor), measured** (``scripts/bench_html.py``, the five sample pages, five CMS
  families): this loader — decode, parse, article, metadata box, blocks — takes ~3 ms/page with article
  recall 1.00, precision 0.99 and no chrome left; trafilatura 2.3 scores the same on body text
  (recall 1.00, no chrome) at ~5 ms/page, but gives plain text only: no ``<table>`` → ``LoadedTable`` with
  spans filled, no 索引号/文号 box, and ~10 more dependencies (htmldate, justext, courlan, dateparser…).
  Parsing alone is ~0.5 ms with selectolax and ~0.55 ms with lxml — a wash — so selectolax (already a
  dependency, tolerant of the broken markup these CMSs emit) carries a small heuristic layer.
* **Finding the article: text mass, not templates.** Government sites run on many CMSs (大汉版通, TRS
  WCM, Hanweb, 云门户, home-grown); class names such as ``#zoom`` or ``.TRS_Editor`` help on some and lie
  on others. Every text run outside links gets a mass (its CJK characters, plus a bonus for the
  sentence punctuation that navigation, breadcrumbs and footers lack); the article is the *deepest*
  element holding most of the page's mass. What chrome remains inside it (share bars, 打印本页 关闭窗口,
  上一篇/下一篇, related-link lists) is removed by link density and by a short list of line patterns.
* **Paragraphs from the DOM.** ``<p>``, ``<div>``, ``<br>``, list items and headings end a block,
  inline tags do not. Block boundaries, blank ``<br><br>`` lines, indented lines (``&nbsp;&nbsp;``/``　``)
  and lines ending a sentence end a paragraph (``Block.ends_paragraph=True``); a lone ``<br>`` inside a
  running sentence (text pasted from a PDF) is left to the normaliser (``None``); line breaks in the HTML source between CJK
  characters vanish the way a browser renders them. A data ``<table>`` inside the article becomes a
  ``LoadedTable`` and is not body text; a one-row or one-column table is layout and is read as text.
* **Metadata box.** 索引号 / 发布机构 / 发布日期 / 生成日期 / 成文日期 / 文号 … are read wherever the page
  shows them (a table, a ``<ul>``, a line under the headline), normalised into ``Loaded.metadata``
  (``index_number``, ``issuer``, ``publish_date``, ``date``, ``doc_number`` …) and also kept as one
  ``style="metadata"`` block each, so the extractor can point a span at them. The headline (``<meta
  name="ArticleTitle">``, ``<h1>``, a title-classed element, ``<title>`` minus the site name) becomes
  ``metadata["title"]`` and a ``style="title"`` block.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rectiparse.models import Block, Loaded, LoadedTable, Source, ValidationIssue

# --------------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)
_GB_NAMES = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "ms936", "windows-936", "euc-cn",
             "gb18030", "csgb2312", "chinese"}
_WESTERN = {"iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "ascii", "us-ascii"}


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares (``<meta charset>``, http-equiv Content-Type, or an XML declaration)."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "replace").strip().lower() if m else None


def _canonical(enc: str) -> str:
    enc = enc.lower().replace("_", "-") if enc not in _GB_NAMES else enc
    if enc in _GB_NAMES or enc.replace("-", "_") in _GB_NAMES:
        # GB2312 and GBK are subsets of GB18030: decoding with the superset never loses a character
        return "gb18030"
    if enc in ("big5", "big5-hkscs", "cp950"):
        return "big5hkscs"
    if enc in ("utf8", "unicode-1-1-utf-8"):
        return "utf-8"
    return enc


def _mostly_cjk(text: str) -> bool:
    """After a multi-byte decode, do the non-ASCII characters look like Chinese text?"""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    good = sum(1 for c in non_ascii if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
               or c in "“”‘’—…·")
    return good / len(non_ascii) > 0.9


def decode(data: bytes, name: str) -> tuple[str, str, list[ValidationIssue]]:
    """Return (text, encoding, issues). The declared charset wins when the bytes agree with it."""
    from rectiparse.loaders import LoadError

    issues: list[ValidationIssue] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", issues
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", issues
    if b"\x00" in data[:4096]:
        raise LoadError(name, "binary file (NUL bytes), not an HTML page")
    declared = declared_charset(data)
    tried: list[str] = []
    if declared:
        enc = _canonical(declared)
        if enc in _WESTERN:
            tried.append("utf-8")  # a Chinese page labelled Latin-1 is nearly always UTF-8 or GBK
        else:
            tried.append(enc)
    for enc in [*tried, "utf-8", "gb18030"]:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc == "gb18030" and not _mostly_cjk(text):
            continue
        if declared and enc != _canonical(declared) and not (enc == "utf-8" and _canonical(declared) in _WESTERN):
            issues.append(
                ValidationIssue(
                    code="encoding_fallback",
                    severity="warning",
                    message=f"{name}: page declares charset {declared} but its bytes are {enc}",
                )
            )
        return text, enc, issues
    # last resort: statistical detection (the same as the text loader), then a lossy declared decode
    from rectiparse.loaders.txt import decode as detect

    try:
        text, enc, more = detect(data, name)
        return text, enc, issues + more
    except LoadError:
        if not declared:
            raise
    enc = _canonical(declared)
    try:
        text = data.decode(enc, errors="replace")
    except LookupError:
        raise LoadError(name, f"unknown charset {declared!r} and the bytes are not UTF-8 or GBK") from None
    if text.count("\ufffd") > max(10, len(text) // 100):
        raise LoadError(name, f"undecodable page: too many invalid bytes for its declared charset {declared}")
    issues.append(
        ValidationIssue(code="encoding_fallback", severity="warning",
                        message=f"{name}: invalid bytes replaced while decoding as {declared}")
    )
    return text, enc, issues


# --------------------------------------------------------------------------- DOM vocabulary

_DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "svg", "canvas", "template",
              "select", "button", "input", "textarea", "nav", "footer", "aside", "map", "audio", "video")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "li", "ul", "ol", "dl", "dt", "dd",
               "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "center", "table", "tr", "td",
               "th", "tbody", "thead", "tfoot", "caption", "form", "fieldset", "address", "figure",
               "figcaption", "hr", "body", "html", "title"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = re.compile(r"[ \t\r\n\f]+")
_PUNCT = set("，。；：！？、")
_ENDS = set("。！？；：:;!?…”」）)】")
_DOC_WORDS = ("通报", "报告", "方案", "通知", "公告", "意见", "决定", "清单", "情况", "批复", "函", "公示", "说明")

# chrome lines removed from the article (whole line, after trimming)
_CHROME = re.compile(
    r"^(?:"
    r"[【\[]?\s*(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|收藏|保存|加入收藏|纠错)\s*[】\]]?"
    r"(?:\s*[【\[]?\s*(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|收藏|保存|加入收藏|纠错)\s*[】\]]?)*"
    r"|分享到\s*[:：]?.{0,40}"
    r"|(?:上一篇|下一篇|上一条|下一条)\s*[:：].*"
    r"|(?:当前位置|您的位置|您现在的位置|所在位置|当前所在位置)\s*[:：].*"
    r"|[【\[]?\s*字[体号]\s*[:：].{0,20}"
    r"|(?:扫一扫|手机扫一扫|微信扫一扫|扫描二维码).{0,30}"
    r"|(?:责任编辑|编辑|审核|校对|初审|终审)\s*[:：].{0,20}"
    r"|(?:相关阅读|相关链接|相关文章|相关新闻|相关信息|相关附件|热点专题|推荐阅读)\s*[:：]?"
    r"|(?:网站地图|联系我们|版权所有|主办单位|承办单位|技术支持|网站标识码|政府网站标识码).{0,100}"
    r"|.{0,20}ICP备.{0,60}|.{0,20}公网安备.{0,60}"
    r"|\[?\s*[大中小]\s+[大中小]\s+[大中小]\s*\]?"
    r")$"
)

# --------------------------------------------------------------------------- metadata box

# page label → Loaded.metadata key (the order of alternatives matters: longer labels first)
_META_LABELS: dict[str, str] = {
    "索引号": "index_number",
    "信息索引号": "index_number",
    "发布机构": "issuer",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发布单位": "issuer",
    "公开主体": "issuer",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "发文文号": "doc_number",
    "成文日期": "date",
    "成文时间": "date",
    "发布日期": "publish_date",
    "发布时间": "publish_date",
    "公开日期": "publish_date",
    "公开时间": "publish_date",
    "生成日期": "generated_date",
    "组配分类": "category",
    "主题分类": "category",
    "公开方式": "disclosure",
    "公开范围": "disclosure",
    "有效性": "validity",
    "信息来源": "source",
    "来源": "source",
    "作者": "author",
}
# labels that only end the value before them (page furniture sharing the line)
_STOP_LABELS = ("浏览次数", "访问次数", "点击数", "点击量", "阅读次数", "字号", "字体", "【", "分享")
# labels whose pair is not repeated as a text block (they are not the document's own data)
_NO_BLOCK = {"source", "author"}
_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s\u3000\xa0|｜]))("
    + "|".join(sorted(map(re.escape, _META_LABELS), key=len, reverse=True))
    + r")\s*[:：]?\s*"
)
_STOP_RE = re.compile("|".join(map(re.escape, _STOP_LABELS)))
_DATE_RE = re.compile(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


def normalise_date(value: str) -> str | None:
    m = _DATE_RE.search(value)
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if not (1949 < y < 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _valid(key: str, value: str) -> str | None:
    """Check a metadata value has the shape its key needs; return the normalised value or None."""
    value = value.strip(" \u3000\xa0:：|｜")
    if not value or len(value) > 80:
        return None
    if key in ("publish_date", "date", "generated_date"):
        return normalise_date(value)
    if key == "index_number":
        v = value.split()[0]
        return v if re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z/\-_.]{5,}", v) else None
    if key == "doc_number":
        return value if re.search(r"\d", value) and len(value) <= 40 else None
    if key == "issuer":
        return value if re.search(r"[\u4e00-\u9fff]", value) and len(value) <= 40 else None
    return value


def metadata_pairs(line: str) -> list[tuple[str, str, str]]:
    """``(label, raw value, key)`` for each labelled field of a metadata line, in order."""
    if len(line) > 200 or "。" in line:
        return []
    hits = list(_LABEL_RE.finditer(line))
    if not hits or hits[0].start() > 2:  # a metadata line starts with its first label
        return []
    out = []
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(line)
        raw = line[m.end() : end]
        stop = _STOP_RE.search(raw)
        if stop:
            raw = raw[: stop.start()]
        raw = raw.strip(" \u3000\xa0|｜")
        if raw:
            out.append((m.group(1), raw, _META_LABELS[m.group(1)]))
    return out


# --------------------------------------------------------------------------- text from the DOM


def _cjkish(ch: str) -> bool:
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F or ch in "“”‘’—…·"


def collapse(raw: str) -> str:
    """HTML white-space collapsing as a browser renders Chinese: a source line break between CJK
    characters disappears, any other run of white space becomes one space."""

    def repl(m: re.Match[str]) -> str:
        s = m.group()
        if "\n" in s or "\r" in s:
            left = raw[m.start() - 1] if m.start() > 0 else ""
            right = raw[m.end()] if m.end() < len(raw) else ""
            if (left and _cjkish(left)) or (right and _cjkish(right)):
                return ""
        return " "

    if "\n" not in raw and "\r" not in raw:
        return _WS.sub(" ", raw)
    return _WS.sub(repl, raw)


def _clean(s: str) -> str:
    return collapse(s).strip(" \u3000\xa0\u200b\ufeff")


#: Deepest element nesting accepted. Real pages stay under a hundred; the HTML parser takes time quadratic in
#: the depth (100,000 levels: half a minute), and nothing deeper than this is a bulletin.
MAX_DEPTH = 10_000
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
# elements that are never nested (void) or that the parser closes by itself when the next one opens
_NO_DEPTH = {"br", "img", "meta", "input", "hr", "link", "wbr", "area", "base", "col", "embed", "param",
             "source", "track", "p", "li", "td", "th", "tr", "option", "dt", "dd", "!doctype"}


def nesting_depth(text: str) -> int:
    """The deepest element nesting the markup asks for, counted from its tags (before the quadratic parse)."""
    depth = deepest = 0
    for m in _TAG.finditer(text):
        if m.group(3) or m.group(2).lower() in _NO_DEPTH:
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _children(node: Any) -> Iterator[Any]:
    child = node.child
    while child is not None:
        yield child
        child = child.next


def _link_density(node: Any) -> tuple[float, int]:
    total = len(_clean(node.text(deep=True)))
    if not total:
        return 0.0, 0
    links = node.css("a")
    linked = sum(len(_clean(a.text(deep=True))) for a in links)
    return linked / total, len(links)


@dataclass
class _Para:
    text: str
    tag: str
    linked: int = 0  # characters that sat inside <a>
    ident: str = ""  # class and id of the block it came from
    br: bool = False  # ended by a single <br> (not by a block boundary or a blank <br><br>)
    indented: bool = False  # starts with &nbsp;&nbsp; / 　 (how <br>-pages mark a new paragraph)


@dataclass
class _Walker:
    """Turns an element into paragraphs and tables (document order)."""

    paras: list[_Para] = field(default_factory=list)
    tables: list[tuple[int, LoadedTable]] = field(default_factory=list)  # (paragraph index, table)
    buf: list[str] = field(default_factory=list)
    tag: str = "p"
    flatten_tables: bool = False  # metadata scan: one line per table row, cells joined by spaces
    in_link: int = 0
    linked: int = 0
    ident: str = ""

    def flush(self, br: bool = False) -> None:
        raw = "".join(self.buf)
        self.buf = []
        text = _clean(raw) if raw and not raw.isspace() else ""
        if text:
            lead = raw.lstrip(" \t\r\n")
            indented = lead.startswith(("\xa0\xa0", "\u3000", " \xa0", "\xa0 "))
            self.paras.append(_Para(text, self.tag, self.linked, self.ident, br, indented))
        elif br and self.paras:
            self.paras[-1].br = False  # <br><br>: a blank line ends the paragraph for sure
        self.tag = "p"
        self.linked = 0

    def walk(self, node: Any) -> None:
        """Document order, with an explicit stack instead of recursion: a page nested 100,000 elements deep
        (generated or hostile) would overflow Python's stack. Each stack entry is an element's remaining
        children and what to do on leaving it."""
        stack: list[tuple[Iterator[Any], str, str]] = [(_children(node), "", "")]
        while stack:
            child = next(stack[-1][0], None)
            if child is None:
                _, kind, tag = stack.pop()
                if kind == "block":
                    if tag in _HEADINGS:
                        self.tag = tag
                    self.flush()
                elif kind == "inline":
                    self.in_link -= tag == "a"
                    if self.flatten_tables:
                        self.buf.append(" ")
                continue
            tag = child.tag
            if tag == "-text":
                t = child.text(deep=False) or ""
                self.buf.append(t)
                if self.in_link:
                    self.linked += len(t.strip())
            elif tag == "br":
                self.flush(br=True)
            elif tag in ("-comment", "_comment") or tag in _DROP_TAGS or tag == "meta":
                continue
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag in _BLOCK_TAGS:
                self.flush()
                attrs = child.attributes
                self.ident = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
                if tag in _HEADINGS:
                    self.tag = tag
                stack.append((_children(child), "block", tag))
            elif tag == "img":
                continue  # an image's alt text is a logo or a QR code, never article text
            else:
                if self.flatten_tables:
                    self.buf.append(" ")  # <span>发布日期：x</span><span>来源：y</span> are two fields
                self.in_link += tag == "a"
                stack.append((_children(child), "inline", tag))

    def _flat_table(self, node: Any) -> None:
        """Metadata scan: a row of a box table becomes one line ("索引号：x  发布机构：y");
        a row holding a nested table (the layout tables of older CMSs) is walked instead."""
        for tr in _own_rows(node):
            cells = [c for c in _children(tr) if c.tag in ("td", "th")]
            if any(c.css_first("table, div, p, ul") is not None for c in cells):
                for c in cells:
                    self.walk(c)
                    self.flush()
                continue
            self.buf.append("  ".join(t for t in (_text_of(c) for c in cells) if t))
            self.flush()

    def table(self, node: Any) -> None:
        if self.flatten_tables:
            self._flat_table(node)
            return
        rows = _table_rows(node)
        width = max((len(r) for r in rows), default=0)
        if _layout_table(node, rows, width):
            # layout (the page grid of older CMSs, a box around the text): its cells are text
            for tr in _own_rows(node):
                for cell in _children(tr):
                    if cell.tag in ("td", "th"):
                        self.walk(cell)
                        self.flush()
            return
        from rectiparse.loaders.docx import trim_columns

        grid = trim_columns([r + [""] * (width - len(r)) for r in rows])
        header = grid[0]
        heady = sum(1 for c in header if c) >= max(2, 0.6 * len(header)) and all(
            len(c) <= 20 and "。" not in c for c in header
        )
        title = None
        if self.paras:
            last = self.paras[-1].text
            if len(last) <= 50 and not last.endswith(("。", "；")):
                title = last
        table = LoadedTable(
            title=title,
            columns=header if heady else [],
            rows=[list(r) for r in (grid[1:] if heady else grid)],
        )
        self.tables.append((len(self.paras), table))


def _layout_table(node: Any, rows: list[list[str]], width: int) -> bool:
    """A table used for layout rather than data: one row or column, nested tables, or one cell that
    holds most of the prose (the article itself sitting in a grid cell)."""
    if len(rows) < 2 or width < 2:
        return True
    for tr in _own_rows(node):
        for cell in _children(tr):
            if cell.tag in ("td", "th") and cell.css_first("table") is not None:
                return True
    lengths = [len(c) for r in rows for c in r]
    total = sum(lengths)
    return total > 0 and max(lengths) > 300 and max(lengths) > 0.6 * total


def _table_rows(table: Any) -> list[list[str]]:
    """Cell texts of a table's own rows (nested tables belong to their cell); spans are filled."""
    rows = _own_rows(table)
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column → (rows left, text) from rowspans above
    for tr in rows:
        out: list[str] = []
        col = 0
        cells = [c for c in _children(tr) if c.tag in ("td", "th")]
        ci = 0
        while ci < len(cells) or col in pending:
            if col in pending:
                left, text = pending[col]
                out.append(text)
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (left - 1, text)
                col += 1
                continue
            cell = cells[ci]
            ci += 1
            w = _Walker()
            w.walk(cell)
            w.flush()
            text = "\n".join(p.text for p in w.paras)
            span = _int(cell.attributes.get("colspan"))
            down = _int(cell.attributes.get("rowspan"))
            for _ in range(span):
                out.append(text)
                if down > 1:
                    pending[col] = (down - 1, text)
                col += 1
        grid.append(out)
    return grid


def _own_rows(table: Any) -> list[Any]:
    rows: list[Any] = []
    stack = [_children(table)]  # iterative, like every walk here: nesting depth must not matter
    while stack:
        c = next(stack[-1], None)
        if c is None:
            stack.pop()
        elif c.tag == "tr":
            rows.append(c)
        elif c.tag in ("thead", "tbody", "tfoot"):
            stack.append(_children(c))
    return rows


def _int(v: str | None) -> int:
    try:
        return max(1, min(int(v or 1), 50))
    except ValueError:
        return 1


# --------------------------------------------------------------------------- the article node


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_PUNCT = re.compile(r"[，。；：！？、,;]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _mass(text: str) -> float:
    """Prose weight of a text run: CJK characters, plus sentence punctuation that chrome lacks."""
    cjk = len(_CJK_CHAR.findall(text))
    if cjk < 8:
        return 0.0
    return cjk + 8 * len(_SENTENCE_PUNCT.findall(text))


def _article_node(body: Any) -> Any:
    """The deepest element that holds most of the page's prose mass (text outside links)."""
    masses: dict[int, float] = {}
    nodes: dict[int, Any] = {}
    depth: dict[int, int] = {}

    # post-order sum of prose mass, iteratively (a deeply nested page must not overflow the stack);
    # a frame is [node, depth, inside a link, remaining children, mass so far]
    stack: list[list[Any]] = [[body, 0, False, _children(body), 0.0]]
    while stack:
        frame = stack[-1]
        node, d, in_link, children = frame[0], frame[1], frame[2], frame[3]
        c = next(children, None)
        if c is None:
            stack.pop()
            key = node.mem_id
            masses[key], nodes[key], depth[key] = frame[4], node, d
            if stack:
                stack[-1][4] += frame[4]
        elif c.tag == "-text":
            if not in_link:
                frame[4] += _mass(c.text(deep=False) or "")
        elif c.tag and not c.tag.startswith(("-", "_")) and c.tag not in _DROP_TAGS:
            stack.append([c, d + 1, in_link or c.tag == "a", _children(c), 0.0])

    grand = masses[body.mem_id]
    if grand <= 0:
        return body
    best = body
    best_depth = -1
    for key, m in masses.items():
        if m >= 0.75 * grand and depth[key] > best_depth and nodes[key].tag not in ("p", "span", "font", "b", "strong"):
            best, best_depth = nodes[key], depth[key]
    return best


# --------------------------------------------------------------------------- title


def _text_of(node: Any) -> str:
    return _clean(node.text(deep=True))


def _title_candidates(paras: list[_Para], page_title: str) -> list[tuple[float, int, str]]:
    """Short, non-link lines of the page scored as a headline: ``(score, -position, text)``."""
    out: list[tuple[float, int, str]] = []
    seen: set[str] = set()
    site_parts = [p.strip() for p in re.split(r"\s*[-_|｜—－]+\s*", page_title) if p.strip()]
    for pos, p in enumerate(paras):
        text = p.text
        if not (5 <= len(text) <= 120) or text in seen:
            continue
        if text.startswith(("上一篇", "下一篇", "相关", "当前位置", "您现在的位置")):
            continue
        if "。" in text[:-1] or _LABEL_RE.match(text) or p.linked >= 0.5 * len(text):
            continue
        seen.add(text)
        score = 0.0
        if page_title and (text in page_title or (site_parts and site_parts[0] == text)):
            score += 4
        if text.endswith(_DOC_WORDS) or re.search(r"(通报|报告|方案|通知)》?$", text):
            score += 2
        if "关于" in text:
            score += 1
        if p.tag in ("h1", "h2"):
            score += 1
        if "title" in p.ident or "bt" in p.ident.split():
            score += 1
        if score >= 2:
            out.append((score, -pos, text))
    return out


def _choose_title(paras: list[_Para], meta: dict[str, str], page_title: str) -> str | None:
    if meta.get("ArticleTitle"):
        return meta["ArticleTitle"]
    cands = _title_candidates(paras, page_title)
    if cands:
        return max(cands)[2]  # best score, earliest on the page
    if page_title:
        return re.split(r"\s*[-_|｜—－]+\s*", page_title)[0] or page_title
    return None


# --------------------------------------------------------------------------- the loader


def _same(a: str, b: str) -> bool:
    return abs(len(a) - len(b)) < 8 and "".join(a.split()) == "".join(b.split())


def load(data: bytes, name: str) -> Loaded:
    from selectolax.lexbor import LexborHTMLParser

    from rectiparse.loaders import LoadError, check_text_size

    text, encoding, issues = decode(data, name)
    check_text_size(text, name)
    if len(_CONTROL.findall(text, 0, 4096)) > 16 or "<" not in text:
        raise LoadError(name, "not an HTML page (binary or no markup)")
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise LoadError(name, f"HTML nested about {depth:,} elements deep (the limit is {MAX_DEPTH:,}): "
                              "not a bulletin page")
    try:
        tree = LexborHTMLParser(text)
    except Exception as exc:  # selectolax raises plain exceptions on pathological input
        raise LoadError(name, f"cannot parse the HTML: {exc}") from None

    # <meta name=…> the CMSs fill in (ArticleTitle, PubDate, ContentSource are the national standard)
    head_meta: dict[str, str] = {}
    for m in tree.css("meta[name]"):
        key = (m.attributes.get("name") or "").strip()
        val = _clean(m.attributes.get("content") or "")
        if key and val:
            head_meta[key] = val
    title_node = tree.css_first("title")
    page_title = _clean(title_node.text()) if title_node is not None else ""

    for sel in _DROP_TAGS:
        for n in tree.css(sel):
            n.decompose()
    for n in tree.css("[style], [hidden]"):
        if n.attributes.get("hidden") is not None or _HIDDEN.search(n.attributes.get("style") or ""):
            n.decompose()
    body = tree.body or tree.root
    if body is None:
        raise LoadError(name, "the HTML page has no body")

    # metadata box: every labelled line anywhere on the page
    scan = _Walker(flatten_tables=True)
    scan.walk(body)
    scan.flush()
    title = _choose_title(scan.paras, head_meta, page_title)
    metadata: dict[str, str] = {}
    meta_blocks: list[str] = []
    meta_lines: set[str] = set()
    seen_pairs: set[tuple[str, str]] = set()
    for p in scan.paras:
        pairs = metadata_pairs(p.text)
        good = [(label, raw, key, _valid(key, raw)) for label, raw, key in pairs]
        good = [g for g in good if g[3]]
        if not good:
            continue
        meta_lines.add(p.text)
        for label, raw, key, value in good:
            metadata.setdefault(key, value)  # type: ignore[arg-type]
            if key not in _NO_BLOCK and (label, raw) not in seen_pairs:
                seen_pairs.add((label, raw))
                meta_blocks.append(f"{label}：{raw}")
    if "publish_date" not in metadata:
        for key in ("PubDate", "pubdate", "publishdate", "firstpublishedtime"):
            d = normalise_date(head_meta.get(key, ""))
            if d:
                metadata["publish_date"] = d
                break
    if "publish_date" not in metadata and "generated_date" in metadata:
        metadata["publish_date"] = metadata["generated_date"]
    if "source" not in metadata and head_meta.get("ContentSource"):
        metadata["source"] = head_meta["ContentSource"]
    if title:
        metadata["title"] = title

    # the article
    article = _article_node(body)
    w = _Walker()
    w.walk(article)
    w.flush()
    # related-link lists and share bars inside the article: drop paragraphs that are all link text
    keep_paras: list[tuple[int, _Para]] = []
    for i, p in enumerate(w.paras):
        if _CHROME.match(p.text) or p.text in meta_lines:
            continue
        keep_paras.append((i, p))
    keep_paras = _drop_link_lists(article, keep_paras)

    if not w.tables and not any(_mass(p.text) for _, p in keep_paras):
        raise LoadError(name, "no article text found in the HTML page (only navigation or an empty body)")

    blocks: list[Block] = []
    pieces: list[str] = []
    pos = 0

    def add(t: str, style: str | None, ends: bool | None = True) -> None:
        nonlocal pos
        blocks.append(Block(text=t, start=pos, ends_paragraph=ends, style=style))
        pieces.append(t)
        pos += len(t) + 1

    for t in meta_blocks:
        add(t, "metadata")
    title_in_body = title is not None and any(_same(p.text, title) for _, p in keep_paras[:6])
    if title and not title_in_body:
        add(title, "title")
    table_at: dict[int, list[LoadedTable]] = {idx: [] for idx, _ in w.tables}
    for idx, found in w.tables:
        table_at[idx].append(found)
    tables: list[LoadedTable] = []
    for k_para, (para_idx, para) in enumerate(keep_paras):
        for j in [k for k in list(table_at) if k <= para_idx]:
            tables.extend(table_at.pop(j))
        style = None
        if title and _same(para.text, title) and title_in_body:
            style = "title"
            title_in_body = False  # only the first occurrence
        elif para.tag in _HEADINGS:
            style = "heading"
        # A single <br> inside running text is often a pasted line wrap (text copied from a PDF):
        # unless the line ends a sentence or the next line is indented, let the normaliser decide.
        nxt = keep_paras[k_para + 1][1] if k_para + 1 < len(keep_paras) else None
        soft = para.br and nxt is not None and not nxt.indented and para.text[-1] not in _ENDS
        add(para.text, style, None if soft else True)
    for rest in table_at.values():
        tables.extend(rest)

    return Loaded(
        source=Source(format="html", encoding=encoding, pages=None, ocr=False),
        text="\n".join(pieces),
        blocks=blocks,
        tables=tables,
        issues=issues,
        metadata=metadata,
    )


def _drop_link_lists(article: Any, paras: list[tuple[int, _Para]]) -> list[tuple[int, _Para]]:
    """Remove paragraphs that come from link lists inside the article (相关阅读, 上一篇/下一篇 boxes)."""
    link_texts: set[str] = set()
    for node in article.css("ul, ol, dl, div, table"):
        density, n = _link_density(node)
        if n >= 2 and density >= 0.6:
            for a in node.css("li, a, dd, dt, td, p, span"):
                t = _text_of(a)
                if t:
                    link_texts.add(t)
            link_texts.add(_text_of(node))
    if not link_texts:
        return paras
    return [(i, p) for i, p in paras if p.text not in link_texts and not _date_suffixed_link(p.text, link_texts)]


def _date_suffixed_link(text: str, link_texts: set[str]) -> bool:
    """A related-list line is often ``<a>title</a><span>2023-01-11</span>``: the link plus a date."""
    m = re.match(r"^(.*?)\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$", text)
    return bool(m and m.group(1) in link_texts)
