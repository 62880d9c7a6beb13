"""Normalise: ``Loaded`` blocks → one clean string (``Text``) with a map back to the source.

What it does, and why each step is here rather than in a loader:

* removes noise that any format can carry (advertising lines, paywall markers inside words, markdown
  ``**``, web-page chrome) — each removal becomes a ``noise_removed`` info issue whose zero-length span
  marks where it stood, so nothing disappears unseen;
* removes the spaces that PDF or paste extraction puts between CJK characters ("建 设" → "建设");
* rejoins paragraphs broken across lines, blank lines and pages (the loader's layout hints win when it
  has them, otherwise punctuation, brackets and line lengths decide);
* pairs ASCII double quotes in CJK text into “…” (a length-preserving repair of PDF extraction).

Everything else is kept exactly as written. ``Text.folded`` is the same string with punctuation variants
unified (full-width → half-width brackets, colons, commas, digits), one character for one character, so
patterns match either form and their spans are valid in both.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectiparse.models import Block, Loaded, LoadedTable, Span, ValidationIssue
from rectiparse.rules import Rules, alternation, compiled, load_rules, per_rules

# --------------------------------------------------------------------------- character classes

FOLD_PAIRS: dict[str, str] = {
    "（": "(", "）": ")", "［": "[", "］": "]", "【": "[", "】": "]", "〔": "[", "〕": "]",
    "｛": "{", "｝": "}", "：": ":", "，": ",", "；": ";", "！": "!", "？": "?", "．": ".",
    "“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "『": '"', "』": '"',
    "－": "-", "—": "-", "–": "-", "―": "-", "～": "~", "〜": "~", "％": "%", "＋": "+", "／": "/", "＜": "<",
    "＞": ">", "　": " ", "\u00a0": " ", "\t": " ", "＂": '"', "＇": "'", "﹒": ".", "∶": ":",
}
FOLD_PAIRS.update({chr(0xFF10 + i): str(i) for i in range(10)})
FOLD_PAIRS.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
FOLD_PAIRS.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
"""The one punctuation-folding table: what each variant character becomes, one character for one, so offsets
in a folded string are offsets in the original. Every folder in the package is this table or a subset of it."""
FOLD = str.maketrans(FOLD_PAIRS)

# The characters that matter inside numbers, dates and ranges (full-width digits, ％ ． － dashes ～ 〜 ／ and
# wide spaces). Figures and dates fold only these: they must keep what the full fold unifies — Chinese quotes
# mark slogans (“两个维护”), tabs separate table cells, ，and （ end a clause differently from , and (.
NUMERIC_CHARS = "".join(chr(0xFF10 + i) for i in range(10)) + "％．－—–―～〜／　\u00a0"


def char_folder(pairs: dict[str, str]) -> Callable[[str], str]:
    """A one-for-one character mapping as a function. ``str.translate`` looks every character up in a dict
    (about 0.1 µs each, in C but unspecialised); a regex that visits only the characters to replace is 3–10×
    faster on Chinese text, where they are a small minority."""
    assert all(len(k) == 1 and len(v) == 1 for k, v in pairs.items()), "offsets must survive folding"
    pattern = re.compile("[" + "".join(re.escape(c) for c in pairs) + "]")
    get = pairs.__getitem__

    def fold(s: str) -> str:
        return pattern.sub(lambda m: get(m.group()), s)

    return fold


def folder(chars: str) -> Callable[[str], str]:
    """A folder for the characters ``chars`` only, each folded as ``FOLD_PAIRS`` says (the one table)."""
    missing = [c for c in chars if c not in FOLD_PAIRS]
    assert not missing, f"not in the fold table: {missing}"
    return char_folder({c: FOLD_PAIRS[c] for c in chars})


_fold = char_folder(FOLD_PAIRS)
fold_numeric = folder(NUMERIC_CHARS)

_TERMINAL = set("。！？!?；;…")
_SPACE_CHAR = re.compile("[ \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff]")
_SPACES = set(" \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff")
_OPENERS = {"“": "”", "（": "）", "(": ")", "《": "》", "〔": "〕", "【": "】", "‘": "’", "「": "」"}
_CONTINUATION_START = set("，,、。；;：:）)》”’」〕】.%％的")
_HEADING_ENDS = ("问题", "情况", "整改", "方面", "建议", "行动", "任务", "措施")
_DOC_WORDS = ("通报", "报告", "方案", "通知", "公告", "意见", "决定", "清单", "情况", "函", "批复")


_META_LINE = compiled(
    r"^\s*(?:索引号|组配分类|发布机构|生成日期|发布日期|成文日期|公开方式|文号|主题分类|信息来源|主题词|体裁分类)"
)


def wrap_space(left: str, right: str) -> bool:
    """Does a line wrap between ``left`` and ``right`` stand for a space? Between two Latin words it does; next to
    a CJK character it does not, nor inside a number: a hard wrap through 2020 or 1200 (a fixed-width text, a PDF
    line full to the margin) is one number, and "202 0年" would read as two."""
    tail, head = _ASCII_TAIL.search(left), _ASCII_HEAD.match(right)
    if tail is None or head is None:
        return False
    return not (tail.group().isdigit() and head.group()[0].isdigit())  # "DuDu_e980" + "12月" keeps its space


_ASCII_TAIL = re.compile(r"[A-Za-z0-9]+$")
_ASCII_HEAD = re.compile(r"[A-Za-z0-9]+")


def fold(s: str) -> str:
    """Unify punctuation variants one-for-one (the length never changes)."""
    return _fold(s)


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FFFF
    )


def is_cjk_punct(ch: str) -> bool:
    o = ord(ch)
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFF65 or ch in "“”‘’—…·"


def _cjkish(ch: str) -> bool:
    return is_cjk(ch) or is_cjk_punct(ch)


# --------------------------------------------------------------------------- the Text value


@dataclass
class Text:
    """The normalised text every span points into, with its way back to the loaded source."""

    text: str
    source_text: str
    segments: list[tuple[int, int, int]]  # (text_start, source_start, length), sorted
    page_starts: list[tuple[int, int]]  # (text_start, page) where a page begins
    issues: list[ValidationIssue] = field(default_factory=list)
    styles: dict[int, str] = field(default_factory=dict)  # paragraph start → loader style hint
    folded: str = ""
    # where the body ends: the cells of task-list tables follow it (``append_task_tables``); -1: the whole text
    body_end: int = -1
    # the loaded tables, in their order, each task list with the span of every cell in ``text``
    tables: list[LoadedTable] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.folded:
            self.folded = fold(self.text)
        if self.body_end < 0:
            self.body_end = len(self.text)
        self._seg_starts = [s[0] for s in self.segments]
        self._page_pos = [p[0] for p in self.page_starts]

    def to_source(self, pos: int) -> int:
        """Offset in ``Loaded.text`` of the character at ``pos`` (inserted separators map left)."""
        i = bisect.bisect_right(self._seg_starts, pos) - 1
        if i < 0:
            return 0
        t0, s0, n = self.segments[i]
        return s0 + min(pos - t0, max(n - 1, 0))

    def page_at(self, pos: int) -> int | None:
        if not self.page_starts:
            return None
        i = bisect.bisect_right(self._page_pos, pos) - 1
        return self.page_starts[max(i, 0)][1]

    def body(self) -> Text:
        """The text without the table cells appended after it: the prose the segmenters and the document's own
        facts (metadata, summary) are read from. Its offsets are the same (it is a prefix); ``self`` when the
        text has no table cells."""
        if self.body_end >= len(self.text):
            return self
        cached: Text | None = self.__dict__.get("_body")
        if cached is None:
            end = self.body_end
            cached = Text(
                text=self.text[:end], source_text=self.source_text,
                segments=[s for s in self.segments if s[0] < end],
                page_starts=[p for p in self.page_starts if p[0] < end],
                issues=self.issues, styles={k: v for k, v in self.styles.items() if k < end},
                folded=self.folded[:end], tables=self.tables,
            )
            self.__dict__["_body"] = cached
        return cached

    def paragraphs(self) -> list[tuple[int, int]]:
        """Spans of the non-empty lines of ``text`` (one paragraph per line after normalising).

        Computed once: the stages ask for them many times, and ``text`` never changes after normalising."""
        cached: list[tuple[int, int]] | None = self.__dict__.get("_paragraphs")
        if cached is not None and self.__dict__.get("_paragraphs_of") is self.text:
            return cached
        out: list[tuple[int, int]] = []
        pos = 0
        for line in self.text.split("\n"):
            if line.strip():
                out.append((pos, pos + len(line)))
            pos += len(line) + 1
        self.__dict__["_paragraphs"], self.__dict__["_paragraphs_of"] = out, self.text
        return out


# --------------------------------------------------------------------------- per-block cleaning


@dataclass
class _Clean:
    block: Block
    keep: list[int]  # kept offsets into Loaded.text, in order
    removed: list[tuple[int, str]] = field(default_factory=list)  # (index in keep where removed, what)

    @property
    def text(self) -> str:
        return self._text

    def render(self, source: str) -> None:
        keep = self.keep
        if keep and keep[-1] - keep[0] + 1 == len(keep):  # nothing removed inside: one slice
            self._text = source[keep[0] : keep[-1] + 1]
        else:
            self._text = "".join(map(source.__getitem__, keep))


def _letter_spaced(t: str) -> bool:
    """Most characters of the line are separated by single spaces."""
    core = t.strip()
    if len(core) < 9 or core.count(" ") < 0.25 * len(core):
        return False
    singles = sum(1 for i in range(1, len(core) - 1) if core[i] == " " and core[i - 1] != " " and core[i + 1] != " ")
    return singles >= 0.4 * (len(core) - singles)


def _alternation_of(rules: Rules, kind: str, pats: list[str]) -> Any:
    """Noise patterns of one kind as one alternation: one search per block instead of one per pattern."""
    return per_rules(rules, f"noise_{kind}",
                     lambda _r: compiled("|".join(f"(?:{p})" for p in pats) if pats else "(?!)"))


def _noise_lines(rules: Rules) -> Any:
    return _alternation_of(rules, "lines", rules.noise.lines)


def _noise_inline(rules: Rules) -> Any:
    return _alternation_of(rules, "inline", rules.noise.inline)


def _clean_block(block: Block, rules: Rules, counters: dict[str, int]) -> _Clean:
    t = block.text
    n = len(t)
    keep = [True] * n
    removed: list[tuple[int, str]] = []
    stripped = t.strip()
    if stripped and _noise_lines(rules).search(stripped):
        return _Clean(block, [], [(0, stripped)])
    lead = len(t) - len(t.lstrip())
    if (
        not _SPACE_CHAR.search(stripped)
        and not _noise_inline(rules).search(t)
        and not any(compiled(p).match(t, lead) for p in rules.noise.prefixes)
    ):  # most blocks: nothing to remove but the surrounding white space
        return _Clean(block, list(range(block.start + lead, block.start + lead + len(stripped))), [])
    for pat in rules.noise.inline:
        for m in compiled(pat).finditer(t):
            if m.end() > m.start():
                for i in range(m.start(), m.end()):
                    keep[i] = False
                removed.append((m.start(), m.group()))
    for pat in rules.noise.prefixes:
        m = compiled(pat).match(t, lead)
        if m and m.end() > m.start():
            for i in range(m.start(), m.end()):
                keep[i] = False
            break
    # leading/trailing white space: layout, not content
    i = 0
    while i < n and (t[i] in _SPACES or not keep[i]):
        keep[i] = False
        i += 1
    j = n - 1
    while j >= 0 and (t[j] in _SPACES or not keep[j]):
        keep[j] = False
        j -= 1
    # a letter-spaced line ("1 2 . 关 于 …", some PDF extractors): every single space is an artefact
    if _letter_spaced(t):
        for i in range(1, n - 1):
            if t[i] == " " and keep[i] and (t[i - 1] != " " or t[i + 1] == " "):
                keep[i] = False  # single spaces go; a wider gap keeps one space (a real word break)
        counters["cjk_spaces"] += 1
    # spaces between CJK characters (PDF/paste artefacts); a web page's "key value key value"
    # metadata line keeps them, there they separate fields
    cursor = 0
    for sm in ([] if _META_LINE.match(t) else _SPACE_CHAR.finditer(t)):
        k = sm.start()
        if k < cursor or not keep[k]:
            continue
        e = k
        while e < n and (t[e] in _SPACES or not keep[e]):
            e += 1
        left = next((t[x] for x in range(k - 1, -1, -1) if keep[x]), "")
        right = t[e] if e < n else ""
        if left and right and _cjkish(left) and _cjkish(right):
            for x in range(k, e):
                keep[x] = False
            counters["cjk_spaces"] += 1
        cursor = e
    # translate removal offsets (block-relative) into positions within the kept sequence
    rel = list(itertools.compress(range(n), keep))
    kept = [block.start + i for i in rel] if block.start else rel
    rem = [(bisect.bisect_left(rel, off), what) for off, what in removed]
    return _Clean(block, kept, rem)


# --------------------------------------------------------------------------- paragraph joining


def _unbalanced(s: str) -> bool:
    for o, c in _OPENERS.items():
        if s.count(o) > s.count(c):
            return True
    return s.count('"') % 2 == 1


def _closes_quote(left: str, right: str) -> bool:
    """A layout paragraph that ends inside a quotation the next one closes within a few characters — a heading
    quoting a problem, wrapped and set with an indent ("（十六）关于“…后续管理不" / "到位”中的…问题"): one paragraph,
    whatever the layout says."""
    for o, c in (("“", "”"), ("《", "》")):
        if left.count(o) > left.count(c):
            k = right.find(c)
            return 0 <= k <= 20 and right.count(o) < right.count(c)
    return False


# a "key：value" line of a record ("场所名称：某某药店", "隐患情况：灭火器过期"): it starts a line of its own
_KEY_VALUE = compiled(r"^\s*[\p{Han}()（）]{2,8}\s*[:：]\s*\S")
_DASH_TAIL = compiled(r"\S\s*(?:——|—|--|－－)\s*[^—\-－\s，,。；;：:]{2,8}$")
# a line that ends in three or more English words: a bilingual site banner ("清河区人民政府 The People's Government
# of …"), never the first half of a wrapped Chinese sentence
_LATIN_TAIL = compiled(r"[A-Za-z][A-Za-z'’.-]*(?:\s+[A-Za-z][A-Za-z'’.-]*){2,}\s*$")


def _label_start(rules: Rules) -> Any:
    """A line opening with a field label, compiled once per rules object (not once per document)."""
    return per_rules(rules, "label_start",
                     lambda r: compiled(f"^\\s*(?:{alternation(list(r.labels.labels))})\\s*[:：]"))


class _Joiner:
    """Decides whether two consecutive lines belong to one paragraph (plain-text heuristics)."""

    def __init__(self, rules: Rules, lengths: list[int]):
        self.starts = [compiled("^\\s*(?:" + m.pattern + ")") for m in rules.headings.markers]
        measure = "|".join(rules.headings.measure_markers)
        self.measure = compiled(f"^\\s*(?:{measure})")
        self.label = _label_start(rules)
        self.meta = compiled(
            r"^\s*(?:索引号|组配分类|发布机构|生成日期|发布日期|成文日期|公开方式|文号|主题分类|信息来源|来源|"
            r"附件|抄送|联系电话|联系人|印发|主送)\s*[:：]?|^\s*(?:日期|时间|发布时间|发文日期)\s*[:：]"
        )
        self.date_line = compiled(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
        # a closing paragraph ("下一步，…", "特此通报"): anchored closing patterns only, so that a wrapped line
        # that merely mentions 监督 is not taken for one
        anchored = [p for p in rules.headings.closing_patterns if p.startswith("^")]
        self.closing = compiled("|".join(f"(?:{p})" for p in anchored)) if anchored else None
        lengths = sorted(x for x in lengths if x > 0)
        p90 = lengths[int(len(lengths) * 0.9)] if lengths else 0
        self.wrap = min(30, max(12, int(p90 * 0.7)))
        # hard-wrapped text (PDF-to-text, fixed-width paste): a line as long as the wrap width was cut
        self.full = int(p90 * 0.9) if 20 <= p90 <= 60 else 10**6

    def structural(self, s: str) -> bool:
        return bool(
            any(p.match(s) for p in self.starts)
            or _KEY_VALUE.match(s)
            or self.measure.match(s)
            or self.label.match(s)
            or self.meta.match(s)
            or self.date_line.match(s)
            or (self.closing is not None and self.closing.match(s.lstrip()))
        )

    def heading_like(self, s: str) -> bool:
        body = s.rstrip("。.")
        return (
            any(p.match(s) for p in self.starts)
            and not any(c in _TERMINAL for c in body)
            and len(s) < 80
        )

    def join(self, left: str, right: str) -> bool:
        if not left or not right:
            return False
        last = left.rstrip()[-1]
        if last in _TERMINAL or last in "：:":
            return False
        if self.structural(right):
            return False
        if left.lstrip().startswith(("——", "—")):
            return False  # "——2024年6月26日在…会议上" under a title: never runs on into the speaker's name
        if _DASH_TAIL.search(left):
            return False  # "…园路脏污——已整改": a one-line problem closed by its status after a dash
        if _LATIN_TAIL.search(left) and is_cjk(right[0]):
            return False
        if right[0] in _CONTINUATION_START:
            return True
        if _unbalanced(left):
            return True
        if len(left) >= self.full and not (self.heading_like(left) and left.endswith(_HEADING_ENDS)) and not (
            "关于" in left and left.endswith(_DOC_WORDS)  # a document title as long as the wrap width
        ):
            return True
        if self.heading_like(left) or self.meta.match(left) or self.date_line.match(left):
            return False
        if left.endswith(_DOC_WORDS):
            return False
        # a sentence in progress (it has clause punctuation) that stops without a full stop
        if len(left) >= 8 and any(c in "，,、" for c in left):
            return True
        return len(left) >= self.wrap


# --------------------------------------------------------------------------- the stage


def _pair_ascii_quotes(text: str) -> str:
    """Turn "…" pairs inside CJK paragraphs into “…” (one character for one)."""
    if '"' not in text:
        return text
    out_lines = []
    for line in text.split("\n"):
        if line.count('"') % 2 == 0 and any(is_cjk(c) for c in line):
            chars = list(line)
            opening = True
            for i, c in enumerate(chars):
                if c == '"':
                    chars[i] = "“" if opening else "”"
                    opening = not opening
            line = "".join(chars)
        out_lines.append(line)
    return "\n".join(out_lines)


# --------------------------------------------------------------------------- traditional characters


_HAN = re.compile("[\u4e00-\u9fff]")


@functools.cache
def _t2s() -> tuple[dict[str, str], re.Pattern[str]]:
    """Traditional → simplified, character for character, from OpenCC's own table (shipped in the wheel)."""
    import opencc

    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    mapping: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        first = values.split(" ")[0] if values else ""
        if len(key) == 1 and len(first) == 1 and first != key:
            mapping[key] = first
    return mapping, re.compile("[" + "".join(re.escape(c) for c in mapping) + "]")


def to_simplified(text: str, share: float = 0.05) -> tuple[str, int]:
    """``text`` in simplified characters, and how many were converted — only when traditional characters make
    up at least ``share`` of its Han characters (a Big5 file, a Hong Kong mirror of a bulletin). Every rule is
    written in simplified characters; a simplified bulletin that merely contains 著 or 乾 is left alone.
    One character for one, so spans and the offset map stay as they are."""
    mapping, pattern = _t2s()
    head = text[:3000]  # the opening decides: a document is written in one script
    found = sum(1 for c in head if c in mapping)  # a dict lookup a character beats a 2,700-character class
    if not found or found < share * max(len(_HAN.findall(head)), 1):
        return text, 0
    converted = 0

    def one(m: re.Match[str]) -> str:
        nonlocal converted
        converted += 1
        return mapping[m.group()]

    return pattern.sub(one, text), converted


# --------------------------------------------------------------------------- task-list tables


def header_key(h: str | None) -> str:
    """A header cell as rules/tables.yaml and labels.yaml name it: without spaces and a closing colon."""
    return "".join((h or "").split()).rstrip(":：")


@dataclass(frozen=True)
class TaskColumns:
    """The columns of a task-list table: the one naming the problem or task, the running number, the others."""

    title: int
    number: int | None
    others: tuple[int, ...]


def task_columns(table: LoadedTable, rules: Rules) -> TaskColumns | None:
    """The columns of ``table`` when it is a task list (rules/tables.yaml), else None.

    Many 整改方案 and audit reports carry their problems only in a table (序号 | 问题 | 整改措施 | 责任单位 |
    完成时限): a column headed by a title word and at least one other headed column make one."""
    keys = [header_key(h) for h in table.columns]
    title = next((i for i, k in enumerate(keys) if k in set(rules.tables.title_columns)), None)
    if title is None:
        return None
    number = next((i for i, k in enumerate(keys) if k in set(rules.tables.number_columns)), None)
    others = tuple(i for i, k in enumerate(keys) if k and i not in (title, number))
    return TaskColumns(title, number, others) if others else None


def _strip_span(cell: str, at: int) -> Span | None:
    """The span of ``cell`` written at ``at``, without the white space around it; None for an empty cell."""
    core = cell.strip()
    if not core:
        return None
    lead = len(cell) - len(cell.lstrip())
    return (at + lead, at + lead + len(core))


def append_task_tables(body: str, tables: list[LoadedTable], rules: Rules
                       ) -> tuple[str, list[LoadedTable], list[tuple[int, int]]]:
    """``body`` followed by the cells of its task-list tables, and the tables with the span of every cell.

    Loaders keep tables out of the text (a table's cells are not prose, and the segmenters must not read them
    as paragraphs), but a task list's rows can be the document's items, and an item's values must point at text
    that is in the file. So each task-list table is written once after the body, as the file has it: a line per
    row (the header row first), the cells verbatim and separated by a tab, nothing added. Other tables stay out.
    Returns the text, a copy of every table (spans filled for the task lists) and where each table's page begins.
    """
    parts = [body]
    pos = len(body)
    out: list[LoadedTable] = []
    pages: list[tuple[int, int]] = []
    for table in tables:
        if task_columns(table, rules) is None:
            out.append(table.model_copy())
            continue
        start = pos + 1
        if table.page is not None:
            pages.append((start, table.page))
        spans: list[list[Span | None]] = []
        rows: list[list[str | None]] = [list(table.columns), *table.rows]
        for row in rows:
            parts.append("\n")
            pos += 1
            row_spans: list[Span | None] = []
            for k, cell in enumerate(row):
                if k:
                    parts.append("\t")
                    pos += 1
                row_spans.append(_strip_span(cell, pos) if cell is not None else None)
                parts.append(cell or "")
                pos += len(cell or "")
            spans.append(row_spans)
        width = len(table.columns)
        out.append(table.model_copy(update={
            "span": (start, pos), "column_spans": spans[0],
            "cell_spans": [r + [None] * (width - len(r)) for r in spans[1:]],
        }))
    return "".join(parts), out, pages


_BLOCK_TAG_END = compiled(r"</(?:p|div|li|h[1-6]|tr|section|article|blockquote)\s*>|<br\s*/?>")
_BLOCK_TAG_START = compiled(r"<(?:p|div|li|h[1-6]|tr|section|article|blockquote)\b[^<>\n]{0,300}>")


def _split_markup(blocks: list[Block]) -> list[Block]:
    """A page pasted as raw HTML ("<p class=…>一、…</p> <p>1.…</p>") keeps its paragraphs: a block-level tag
    breaks the block there. The tags themselves stay in the blocks, for the noise rules to remove and report."""
    out: list[Block] = []
    for b in blocks:
        t = b.text
        if "<" not in t or not (_BLOCK_TAG_END.search(t) or _BLOCK_TAG_START.search(t)):
            out.append(b)
            continue
        cuts = {m.end() for m in _BLOCK_TAG_END.finditer(t)} | {m.start() for m in _BLOCK_TAG_START.finditer(t)}
        edges = sorted({0, len(t), *cuts})
        for a, e in itertools.pairwise(edges):
            if t[a:e].strip():
                out.append(b.model_copy(update={"text": t[a:e], "start": b.start + a, "ends_paragraph": True}))
    return out


def _drop_page_markers(cleaned: list[_Clean], rules: Rules, source: str) -> None:
    """Remove the page numbers a document-sharing site printed into the text (rules/noise.yaml page_marker)."""
    site = compiled(rules.noise.page_marker_sites)
    if not site.search(source, 0, 2000):
        return
    marker = compiled(rules.noise.page_marker)
    expected = 1
    prev_text = ""
    for c in cleaned:
        if not c.keep:
            continue
        t = "".join(source[i] for i in c.keep[:12])
        m = marker.match(t)
        cut_before = bool(prev_text) and (prev_text[-1] not in _TERMINAL or site.search(prev_text))
        if m and int(m.group("num")) == expected and cut_before:
            c.removed.append((0, m.group()))
            del c.keep[: m.end()]
            expected += 1
        prev_text = "".join(source[i] for i in c.keep[-200:]) if c.keep else prev_text


def normalise(loaded: Loaded, rules: Rules | None = None) -> Text:
    rules = rules or load_rules()
    counters = {"cjk_spaces": 0}
    # table blocks (plain text) stay out of the body: the loader keeps their cells in Loaded.tables
    blocks = _split_markup([b for b in loaded.blocks if b.style != "table"])
    cleaned = [_clean_block(b, rules, counters) for b in blocks]
    _drop_page_markers(cleaned, rules, loaded.text)
    src = loaded.text
    for c in cleaned:
        c.render(src)
    joiner = _Joiner(rules, [len(c.text) for c in cleaned])

    parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    page_starts: list[tuple[int, int]] = []
    issues: list[ValidationIssue] = []
    styles: dict[int, str] = {}
    pos = 0
    prev: _Clean | None = None
    last_page: int | None = None

    def emit_source(keep: list[int]) -> None:
        nonlocal pos
        if keep and keep[-1] - keep[0] + 1 == len(keep):  # one unbroken run (most blocks)
            segments.append((pos, keep[0], len(keep)))
            pos += len(keep)
            return
        run_start = 0
        for i in range(1, len(keep) + 1):
            if i == len(keep) or keep[i] != keep[i - 1] + 1:
                segments.append((pos + run_start, keep[run_start], i - run_start))
                run_start = i
        pos += len(keep)

    for c in cleaned:
        b = c.block
        if not c.keep:
            for _, what in c.removed:
                issues.append(_noise_issue(what, pos))
            continue
        if b.page is not None and b.page != last_page:
            page_starts.append((pos if prev is None else pos + 1, b.page))
            last_page = b.page
        if prev is not None:
            if prev.block.ends_paragraph is not None and b.style != "heading":
                joined = (not prev.block.ends_paragraph or _closes_quote(prev.text, c.text)) and not joiner.structural(
                    c.text)
            else:
                joined = joiner.join(prev.text, c.text)
            if joined:
                if wrap_space(prev.text, c.text):
                    parts.append(" ")
                    pos += 1
            else:
                parts.append("\n")
                pos += 1
                if b.style:
                    styles[pos] = b.style
        elif b.style:
            styles[pos] = b.style
        start = pos
        for idx, what in c.removed:
            issues.append(_noise_issue(what, start + idx))
        parts.append(c.text)
        emit_source(c.keep)
        prev = c

    body = "".join(parts)
    text, tables, table_pages = append_task_tables(body, loaded.tables, rules)
    text = _pair_ascii_quotes(text)
    text, converted = to_simplified(text)
    if converted:
        issues.append(
            ValidationIssue(
                code="script_converted",
                severity="info",
                message=f"the text is in traditional characters: {converted} converted to simplified, one for one",
            )
        )
    if counters["cjk_spaces"]:
        issues.append(
            ValidationIssue(
                code="noise_removed",
                severity="info",
                message=f"removed {counters['cjk_spaces']} run(s) of spaces between CJK characters",
            )
        )
    if page_starts and page_starts[0][0] != 0:
        page_starts[0] = (0, page_starts[0][1])
    return Text(
        text=text, source_text=src, segments=segments, page_starts=page_starts + table_pages, issues=issues,
        styles=styles, body_end=len(body), tables=tables,
    )


def _noise_issue(what: str, at: int) -> ValidationIssue:
    shown = what if len(what) <= 40 else what[:37] + "…"
    return ValidationIssue(
        code="noise_removed", severity="info", message=f"removed noise: {shown!r}", span=(at, at)
    )
