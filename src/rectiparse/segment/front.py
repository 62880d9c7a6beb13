"""The front and the back of a bulletin: where its title and its signature (issuer and date) stand.

Two stages ask: the segmenter, so that the document's own title, issuer and date lines are never read as
items or sections, and the metadata extractor (``extract.metadata``), which reads their values. Locating them
lives here, in the earlier stage, so both read one answer and imports run one way.
"""

from __future__ import annotations

import difflib
import unicodedata

from rectiparse.dates import DateMention, find_dates
from rectiparse.normalise import Text
from rectiparse.rules import MetadataRules, Rules, compiled

Span = tuple[int, int]
HEAD_PARAS = 16  # the head of a bulletin: where its title, number and red head stand
_TERMINAL = "。；;！!？?"


def within(dates: list[DateMention], start: int, end: int) -> list[DateMention]:
    return [d for d in dates if start <= d.span[0] and d.span[1] <= end]


def trimmed_paragraphs(text: Text) -> list[Span]:
    """Paragraph spans with surrounding white space trimmed."""
    out = []
    for a, b in text.paragraphs():
        while a < b and text.text[a].isspace():
            a += 1
        while b > a and text.text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def strip_tail_bracket(s: str) -> str:
    s = s.rstrip()
    if s.endswith(")") and "(" in s:
        return s[: s.rfind("(")].rstrip()
    return s


def is_noise_line(s: str, m: MetadataRules) -> bool:
    return any(compiled(p).search(s) for p in m.not_title_lines)


def titleish(s: str, m: MetadataRules) -> bool:
    if len(s) < 6 or len(s) > 150 or "。" in s:
        return False
    if s[-1] in _TERMINAL or s[-1] in ":：,，":
        return False
    if _DATE_ONLY.fullmatch(s):
        return False
    core = strip_tail_bracket(s)
    return core.endswith(tuple(m.title_endings)) or ("关于" in s and len(s) <= 80)


_DATE_ONLY = compiled(r"\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2})\s*")


def find_title(text: Text, paras: list[Span], m: MetadataRules) -> tuple[Span | None, Span | None]:
    """(title span, span of the head line it was found through — the transmitting notice or the title)."""
    doc_no = compiled(r"^\s*" + m.doc_number)
    head = list(enumerate(paras[:HEAD_PARAS]))
    # a loader that knows the title (HTML <h1>, DOCX Title style) marks it; try that paragraph first
    head.sort(key=lambda ip: text.styles.get(ip[1][0]) != "title")
    label = compiled(m.title_label)
    for i, (a, b) in head:
        s = text.folded[a:b]
        lm = label.match(s)
        if lm and 6 <= len(s) - lm.end() <= 150 and "。" not in s:
            # a web page's info table ("- 标 题：…关于…的通报") or a mirror's footer ("标题:【要闻】…"): the page
            # says what its title is, whatever words it ends with
            a = a + lm.end()
            return (a, b), (a, b)
        dash = s.find("--")  # —— folded
        if dash >= 6 and titleish(s[:dash].rstrip(), m) and not titleish(s, m):
            # 深圳市…整改情况的报告——2023年4月在…会议上: the occasion follows the title on its line
            b = a + len(s[:dash].rstrip())
            s = text.folded[a:b]
        if is_noise_line(s, m) or (doc_no.match(s) and b - a <= 50) or not titleish(s, m):
            continue
        tm = compiled(m.transmittal).search(s)
        if tm:
            inner = text.text[a + tm.start("inner") : a + tm.end("inner")]
            for c, d in paras[i + 1 : i + 1 + 2 * HEAD_PARAS]:
                cand = text.text[c:d]
                if titleish(text.folded[c:d], m) and _similar(cand, inner):
                    return (c, d), (a, b)
            return (a + tm.start("inner"), a + tm.end("inner")), (a, b)
        if i + 1 < len(paras) and not strip_tail_bracket(s).endswith(tuple(m.title_endings)):
            # a title broken over two lines the normaliser did not rejoin
            c, d = paras[i + 1]
            nxt = text.folded[c:d]
            if d - c <= 40 and titleish(nxt, m) and "关于" not in nxt and not is_noise_line(nxt, m):
                return (a, d), (a, b)
        return (a, b), (a, b)
    return None, None


def _similar(a: str, b: str) -> bool:
    a, b = _key(a), _key(b)
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _key(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def org_like(s: str, m: MetadataRules) -> bool:
    s = s.strip()
    if not (2 <= len(s) <= 60) or any(c in s for c in "。，,；;:：!?？！“”\""):
        return False
    core = strip_tail_bracket(s)
    return core.endswith(tuple(m.org_suffixes))


def find_signature(text: Text, paras: list[Span], m: MetadataRules, dates: list[DateMention]
               ) -> tuple[Span | None, Span | None, DateMention | None]:
    """(issuer span, date span, date) of the signature: an organisation and a full date closing a part."""
    best: tuple[Span | None, Span | None, DateMention | None] = (None, None, None)
    for i in range(len(paras) - 1, -1, -1):
        a, b = paras[i]
        if b - a > 70:
            continue
        ds = [d for d in within(dates, a, b) if d.year and d.day]
        if len(ds) != 1 or ds[0].span[1] != b:
            continue
        d = ds[0]
        org: Span | None = None
        prefix = text.text[a : d.span[0]].strip()
        if prefix:
            if not org_like(prefix, m):
                continue
            org = (a, a + len(text.text[a : d.span[0]].rstrip()))
        elif i > 0:
            c, e = paras[i - 1]
            if org_like(text.folded[c:e], m):
                org = (c, e)
        if org is not None:
            return org, d.span, d
        if best[1] is None:
            best = (None, d.span, d)
    return best


def front_paragraphs(text: Text, rules: Rules) -> set[int]:
    """Starts of the paragraphs that hold the title (and the head line it was found through), the red head
    (…文件) and the signature's issuer and date: never items, never sections."""
    m = rules.metadata
    paras = trimmed_paragraphs(text)
    spans: list[Span | None] = list(find_title(text, paras, m))
    org, date, _d = find_signature(text, paras, m, find_dates(text.text))
    spans += [org, date]
    spans += [(a, b) for a, b in paras[:4] if text.text[a:b].strip().endswith("文件")]
    spans.append(_salutation(text, paras, spans[0]))
    out: set[int] = set()
    for sp in spans:
        if sp:
            out.update(ps for ps, pe in text.paragraphs() if ps < sp[1] and sp[0] < pe)
    return out


_SALUTATION_END = (":", "：")
_NOT_SALUTATION = compiled(r"问题|隐患|如下|以下|情况")


def _salutation(text: Text, paras: list[Span], title: Span | None) -> Span | None:
    """The addressee line right under the title ("校内相关单位：", "各乡镇人民政府、街道办事处："): short, closed by
    a colon, and not a cue that opens a list ("检查发现以下问题：")."""
    if title is None:
        return None
    k = next((i for i, (a, _b) in enumerate(paras) if a >= title[1]), None)
    if k is None:
        return None
    a, b = paras[k]
    line = text.text[a:b].strip()
    if len(line) <= 40 and line.endswith(_SALUTATION_END) and "。" not in line and not _NOT_SALUTATION.search(line):
        return (a, b)
    return None
