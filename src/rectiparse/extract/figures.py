"""Figures: the quantities a bulletin states — money, areas, percentages, counts and other measures.

``find_figures(text, start, end, rules)`` returns one ``Figure`` per quantity in ``text[start:end]``, sorted by
position, each with a span into ``text`` (``text[span[0]:span[1]] == figure.text``).

What a figure is (the vocabulary lives in ``rules/figures.yaml``)::

    [approx] NUMBER [余|多] [MULTIPLIER] [余|多] UNIT [/DENOMINATOR] [approx]

* NUMBER is Arabic (``66.57``, ``1,200``, full-width digits too) or Chinese (``四百一十三``, ``两``,
  ``零点二九``; converted with cn2an). Spaces left by PDF extraction may stand between the parts (``240 万元``).
* The value is NUMBER × MULTIPLIER; the unit is the base unit: ``66.57万元`` → 665700 元,
  ``1.6万平方米`` → 16000 平方米, ``0.29万人`` → 2900 人; ``800万美元`` → 8000000 美元 (foreign currencies keep
  their own unit). Values are exact (decimal arithmetic): ``int`` when whole, ``float`` otherwise.
* Percentages keep their number (``98.71%`` → 98.71 "%"); ``个百分点`` is its own unit, kind percent;
  ``百分之五`` → 5 "%".
* Counts keep their classifier as unit (``38次`` → 38 "次").
* A rate such as ``122.4 万元/亩`` → 1224000 "元/亩": the multiplier applies to the numerator and the kind is
  the numerator's (money). The unit says it is a rate, so a sum of amounts should select unit "元".
* A range gives two figures: ``5-10亿元`` → 500000000 and 1000000000 (the low end takes the high end's unit
  and, when it has none of its own, its multiplier); ``10%-15%`` → 10 and 15. When the low end has no unit of
  its own, its ``text`` is the whole range (``5-10亿元``) — the text that states it; the high end's is ``10亿元``.
* ``approx`` is true when an approximation word stands before (近, 约, 超过, …), inside (600余份, 40多家) or
  after (以上, 左右) the figure; those outer words are not part of ``text``.

What is not a figure: dates, ordinals (第37位, 第二轮), sessions (十五届6次常务会议), document numbers, phone
numbers, postcodes, five-year plans (十四五), formulas and codes (“1+5+X”, 5G, 3.0系统, 2A), anything inside a
《…》 title or a short quotation (“152”工程, “两个维护”), set phrases listed as slogans (四个意识, 一岗双责), and
Chinese 一 used as an article (一批项目, 一次全面整理, 一支队伍) — 一万元 and Arabic 1个 are figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex

from rectiparse.models import Figure
from rectiparse.normalise import fold_numeric
from rectiparse.numerals import chinese_decimal
from rectiparse.rules import FigureRules, Rules, load_rules

__all__ = ["find_figures"]

# the numeric part of the one fold table (normalise.FOLD_PAIRS): one character for one, spans survive
_fold = fold_numeric

_S = r"[ \u3000\u00a0]*"  # spaces PDF extraction leaves between a number and its unit (not tabs: table cells)
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGITS = "零〇一二三四五六七八九"
_AR = r"(?<![\d.A-Za-z_])(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_CN = rf"(?<![{_CN_CHARS}点])[{_CN_CHARS}]+(?:点[{_CN_DIGITS}]+[十百千万亿]*)?"
_NUMBER_ONLY = regex.compile(rf"[\d\s.+\-×*/xXA-Za-z{_CN_CHARS}点]+")


@dataclass(frozen=True)
class _UnitInfo:
    unit: str  # reported unit
    kind: str
    factor: Decimal


@dataclass
class _Compiled:
    main: regex.Pattern[str]
    percent_cn: regex.Pattern[str]
    year_duration: regex.Pattern[str]
    exclusions: list[regex.Pattern[str]]
    slogans: regex.Pattern[str] | None
    units: dict[str, _UnitInfo]
    multipliers: dict[str, int]
    approx_before: list[str]
    approx_after: list[str]
    approx_inner: set[str]
    approx_not_after: set[str]
    arabic_only: set[str]
    one_is_article: bool
    short_quote_max: int


_QUOTES = regex.compile(r"“([^“”\n]{0,40})”|‘([^‘’\n]{0,40})’|「([^「」\n]{0,40})」|『([^『』\n]{0,40})』")
_ASCII_QUOTE_LINE = regex.compile(r'"([^"\n]{0,40})"')
_TITLES = regex.compile(r"《[^《》\n]*》")

_CACHE: dict[int, tuple[FigureRules, _Compiled]] = {}


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _compile(fr: FigureRules) -> _Compiled:
    hit = _CACHE.get(id(fr))
    if hit is not None and hit[0] is fr:
        return hit[1]
    units: dict[str, _UnitInfo] = {}
    for kind, names in (
        ("money", fr.money_units), ("area", fr.area_units), ("percent", fr.percent_units),
        ("count", fr.count_classifiers), ("other", fr.other_units),
    ):
        for u in names:
            units[u] = _UnitInfo(u, kind, Decimal(1))
    for written, alias in fr.unit_aliases.items():
        target = units[alias.unit]
        units[written] = _UnitInfo(target.unit, target.kind, Decimal(str(alias.factor)))
    unit_alts = []
    for u in sorted(units, key=len, reverse=True):
        la = fr.unit_not_before.get(u) or fr.unit_not_before.get(units[u].unit)
        unit_alts.append(regex.escape(u) + (f"(?!{la})" if la else ""))
    unit_re = "|".join(unit_alts)
    mult_chars = "".join(regex.escape(c) for c in fr.multipliers) or "万"
    mult = f"[{mult_chars}]+"
    inner = _alt(fr.approx_inner) or "(?!)"
    sep = _alt(fr.range_separators)
    den = _alt(fr.rate_denominators) or "(?!)"

    def qty(p: str, unit_required: bool) -> str:
        return (
            rf"(?:(?P<{p}ar>{_AR})|(?P<{p}cn>{_CN}))"
            rf"{_S}(?P<{p}in1>{inner})?{_S}(?P<{p}mult>{mult})?(?P<{p}in2>{inner})?{_S}"
            rf"(?P<{p}unit>{unit_re}){'' if unit_required else '?'}"
        )

    main = regex.compile(
        rf"(?:(?P<lo>{qty('l', False)}){_S}(?P<sep>{sep}){_S})?"
        rf"(?P<hi>{qty('h', True)})"
        rf"(?:{_S}/{_S}(?P<den>{den}))?"
    )
    percent_cn = regex.compile(
        rf"百分之(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+(?:点[{_CN_DIGITS}]+)?)"
    )
    yb = _alt(fr.year_duration_before) or "(?!)"
    ya = _alt(fr.year_duration_after) or "(?!)"
    num_small = rf"(?:(?<![\d.])\d{{1,2}}(?:\.\d+)?(?!\d)|(?<![{_CN_CHARS}])[一二两三四五六七八九十]{{1,3}})"
    year_duration = regex.compile(
        rf"(?:(?P<pre>{yb}){_S}(?P<n1>{num_small}){_S}(?:个{_S})?年(?![度底初末中前后级])"
        rf"|(?P<n2>{num_small}){_S}(?:个{_S})?年(?=(?:{ya})))"
    )
    compiled = _Compiled(
        main=main,
        percent_cn=percent_cn,
        year_duration=year_duration,
        exclusions=[regex.compile(p) for p in fr.exclusions],
        slogans=regex.compile(_alt(fr.slogans)) if fr.slogans else None,
        units=units,
        multipliers=dict(fr.multipliers),
        approx_before=sorted(fr.approx_before, key=len, reverse=True),
        approx_after=sorted(fr.approx_after, key=len, reverse=True),
        approx_inner=set(fr.approx_inner),
        approx_not_after=set(fr.approx_before_not_after),
        arabic_only=set(fr.arabic_only_units),
        one_is_article=fr.one_is_article,
        short_quote_max=fr.short_quote_max,
    )
    _CACHE[id(fr)] = (fr, compiled)
    return compiled


def _number_value(m: regex.Match[str], p: str, c: _Compiled, kind: str, approx_inner: bool, unit: str
                  ) -> Decimal | None:
    """The bare number of quantity ``p`` (without multiplier), or None when it is not a number here."""
    ar = m.group(f"{p}ar")
    if ar is not None:
        try:
            return Decimal(ar.replace(",", ""))
        except InvalidOperation:
            return None
    cn = m.group(f"{p}cn")
    if cn is None:
        return None
    if cn[0] in "百千万亿" and not approx_inner and (kind != "money" or len(cn) == 1):
        return None  # 千家万户, 万人大会, 亿元项目: words, not numbers (but 千亿元, 百余家 are)
    if unit in c.arabic_only and cn != "两":
        return None  # 二期工程 is phase two
    value = chinese_decimal(cn)
    if value is None:
        return None
    if (
        c.one_is_article and cn == "一" and not m.group(f"{p}mult") and kind in ("count", "area", "other")
    ):
        return None  # 一批, 一次, 一支: the article
    return value


def _as_number(d: Decimal) -> int | float:
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _masked(mask: bytearray, s: int, e: int) -> bool:
    return mask.find(1, s, e) != -1


def _build_mask(seg: str, folded: str, c: _Compiled) -> bytearray:
    mask = bytearray(len(seg))

    def cover(s: int, e: int) -> None:
        if e > s:
            mask[s:e] = b"\x01" * (e - s)

    for m in _TITLES.finditer(seg):
        cover(m.start(), m.end())
    for m in _QUOTES.finditer(seg):
        content = next(g for g in m.groups() if g is not None)
        if _slogan_quote(content, c):
            cover(m.start(), m.end())
    if '"' in seg:
        for line_m in regex.finditer(r"[^\n]+", seg):
            for m in _ASCII_QUOTE_LINE.finditer(line_m.group()):
                if _slogan_quote(m.group(1), c):
                    cover(line_m.start() + m.start(), line_m.start() + m.end())
    if c.slogans is not None:
        for m in c.slogans.finditer(seg):
            cover(m.start(), m.end())
    for pat in c.exclusions:
        for m in pat.finditer(folded):
            cover(m.start(), m.end())
    return mask


def _slogan_quote(content: str, c: _Compiled) -> bool:
    bare = "".join(content.split())
    return len(bare) <= c.short_quote_max or bool(_NUMBER_ONLY.fullmatch(bare))


def _approx_before(folded: str, pos: int, c: _Compiled) -> bool:
    i = pos
    while i > 0 and folded[i - 1] in " \u3000\u00a0":
        i -= 1
    for w in c.approx_before:
        if folded.endswith(w, 0, i):
            j = i - len(w)
            return not (j > 0 and folded[j - 1] in c.approx_not_after)
    return False


def _approx_after(folded: str, pos: int, c: _Compiled) -> bool:
    i = pos
    n = len(folded)
    while i < n and folded[i] in " \u3000\u00a0":
        i += 1
    return any(folded.startswith(w, i) for w in c.approx_after)


def find_figures(text: str, start: int = 0, end: int | None = None, rules: Rules | None = None) -> list[Figure]:
    """Every figure in ``text[start:end]``, sorted by position, spans absolute into ``text``."""
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return []
    c = _compile((rules or load_rules()).figures)
    seg = text[start:end]
    folded = _fold(seg)
    mask = _build_mask(seg, folded, c)
    found: dict[tuple[int, int], Figure] = {}

    def add(s: int, e: int, value: Decimal, unit: str, kind: str, approx: bool) -> None:
        span = (start + s, start + e)
        if span not in found:
            found[span] = Figure(
                text=seg[s:e], value=_as_number(value), unit=unit, kind=kind,  # type: ignore[arg-type]
                approx=approx, span=span,
            )

    for m in c.main.finditer(folded):
        _main_match(m, c, folded, seg, mask, add)

    for m in c.percent_cn.finditer(folded):
        if _masked(mask, m.start(), m.end()):
            continue
        num = m.group("num")
        if num[0].isdigit():
            value: Decimal | None = Decimal(num)
        else:
            value = chinese_decimal(num)
        if value is not None:
            add(m.start(), m.end(), value, "%", "percent",
                _approx_before(folded, m.start(), c) or _approx_after(folded, m.end(), c))

    for m in c.year_duration.finditer(folded):
        key = "n1" if m.group("n1") is not None else "n2"
        s = m.start(key)
        if _masked(mask, s, m.end(key)):
            continue
        num = m.group(key)
        value = Decimal(num) if num[0].isdigit() else chinese_decimal(num)
        if value is None:
            continue
        approx = m.group("pre") is not None and m.group("pre") in c.approx_before
        approx = approx or _approx_after(folded, m.end(), c) or _approx_before(folded, s, c)
        add(s, m.end(), value, "年", "other", approx)

    return [found[k] for k in sorted(found)]


def _main_match(  # type: ignore[no-untyped-def]
    m: regex.Match[str], c: _Compiled, folded: str, seg: str, mask: bytearray, add
) -> None:
    """Turn one match of the main pattern (a quantity, or a range of two) into figures via ``add``."""
    hi_unit_written = m.group("hunit")
    info = c.units[hi_unit_written]
    den = m.group("den")
    unit, kind = info.unit, info.kind
    if den and kind in ("money", "area", "other"):
        unit = f"{unit}/{den}"
        text_end = m.end()
    else:
        text_end = m.end("hunit")
    h_num_span = (m.start("har"), m.end("har")) if m.group("har") is not None else (m.start("hcn"), m.end("hcn"))
    has_lo = m.group("lo") is not None
    l_num_span = None
    if has_lo:
        l_num_span = (m.start("lar"), m.end("lar")) if m.group("lar") is not None else (m.start("lcn"), m.end("lcn"))
        if _masked(mask, *l_num_span) or _masked(mask, *h_num_span):
            return
    elif _masked(mask, *h_num_span):
        return

    h_inner = bool(m.group("hin1") or m.group("hin2"))
    h_val = _number_value(m, "h", c, kind, h_inner, hi_unit_written)
    if h_val is None:
        return
    h_mult_s = m.group("hmult") or ""
    h_mult = _mult(h_mult_s, c)
    h_start = h_num_span[0]

    # a list marker read as a decimal: "1.3家企业" is item 1, 3 家
    if kind == "count" and not h_mult_s and h_val != h_val.to_integral_value() and m.group("har"):
        if has_lo:
            return
        dot = folded.index(".", h_num_span[0], h_num_span[1])
        h_start = dot + 1
        h_val = Decimal(folded[h_start : h_num_span[1]])

    after = _approx_after(folded, m.end(), c)
    hi_value = h_val * h_mult * info.factor

    if has_lo:
        lo_unit_written = m.group("lunit")
        l_inner = bool(m.group("lin1") or m.group("lin2"))
        lo_kind = c.units[lo_unit_written].kind if lo_unit_written else kind
        l_val = _number_value(m, "l", c, lo_kind, l_inner, lo_unit_written or hi_unit_written)
        l_mult_s = m.group("lmult") or ""
        if l_val is not None:
            before = _approx_before(folded, l_num_span[0], c)  # type: ignore[index]
            if lo_unit_written and c.units[lo_unit_written].unit != info.unit:
                # not a range after all: two separate figures with their own units
                li = c.units[lo_unit_written]
                add(l_num_span[0], m.end("lunit"), l_val * _mult(l_mult_s, c) * li.factor,  # type: ignore[index]
                    li.unit, li.kind, before or l_inner)
            else:
                if l_mult_s or lo_unit_written:
                    l_mult = _mult(l_mult_s, c)
                elif h_mult_s:
                    l_mult = h_mult
                else:  # 三至五万元: the high end's own 万 applies to the low end
                    l_mult = _mult(_trailing_multiplier(m.group("hcn") or "", m.group("lcn") or ""), c)
                l_factor = c.units[lo_unit_written].factor if lo_unit_written else info.factor
                l_end = m.end("lunit") if lo_unit_written else text_end
                add(l_num_span[0], l_end, l_val * l_mult * l_factor, unit, kind,  # type: ignore[index]
                    before or l_inner or after)
            add(h_start, text_end, hi_value, unit, kind, before or h_inner or after)
            return
        # the low end is not a number here (二期-三期…): keep the high end alone
    # a negative change: 增长-3.2% (a minus right before the number, not the dash of a range)
    if m.group("har") and h_start > 0 and seg[h_start - 1] in "-－\u2212":
        prev = folded[h_start - 2] if h_start >= 2 else " "
        if not ((prev.isascii() and prev.isalnum()) or prev in "%‰-"):
            h_start -= 1
            hi_value = -hi_value
    add(h_start, text_end, hi_value, unit, kind, _approx_before(folded, h_start, c) or h_inner or after)


def _trailing_multiplier(hi_cn: str, lo_cn: str) -> str:
    """The 万/亿 that ends a Chinese high end (五万 → 万), unless the low end already has its own."""
    if not hi_cn or any(ch in "万亿" for ch in lo_cn):
        return ""
    i = len(hi_cn)
    while i > 0 and hi_cn[i - 1] in "万亿":
        i -= 1
    return hi_cn[i:] if i > 0 else ""


def _mult(s: str, c: _Compiled) -> Decimal:
    f = Decimal(1)
    for ch in s:
        f *= c.multipliers.get(ch, 1)
    return f
