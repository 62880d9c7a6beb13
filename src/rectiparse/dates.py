"""Dates, date ranges and deadlines.

``find_dates`` finds calendar dates in every form the bulletins use: ``2023年12月22日``, ``2023 年 12 月 5 日``
(PDF spaces), ``2021-03-04``, ``2023.12.22``, ``2023/12/22``, ``二〇二三年十二月二十二日``, year-month
(``2022年4月`` → ``2022-04``), and dates without a year (``7月19日``, ``6月底``, ``8月份``).

Year context: a date whose year the text does not give takes the year of the nearest preceding *full* date
(year, month and day written out, or itself completed this way) found scanning from ``start``; failing that,
``default_year``; failing that it stays partial: ``--07-19`` (day known) or ``--06`` (month only). Year-month
mentions such as ``2025年12月`` do not set the context: in a task list they are targets, not the date the text
speaks from. The end of a range takes the year (and month) of its start: ``2019年4月4日至7月5日``.

Precision is what the text states: a month mention (``2022年4月``, ``6月底``, ``8月份``) is ``YYYY-MM``, so only a
written day makes a full date (and sets the year context). Year-only mentions (``2022年``) are not dates here.

``find_deadlines`` finds the phrases of a plan that set a time limit, and resolves each to the *last day that
still meets it*:

* ``…前`` after a date: ``12月底前``, ``6月底前``, ``2023 年 12 月前``, ``10月15日前``, ``2022年底前``,
  ``预计2024年6月前`` (a month → its last day, a year → 31 December, a day → that day) — but not when what
  follows says what had happened by then (``在6月30日前仅将…下达``, ``6月底前已完成``);
* the year end: ``年底前``, ``今年底前``, ``年内`` (at the start of a clause: ``或者年内无法执行`` is not one) and
  ``年底`` before a completion verb → 31 December of the context year (明年 → the next; 去年底 is not one);
  ``上半年`` / ``三季度末前`` → the end of that half or quarter, ``6月中旬前`` → the 20th;
* a month followed in its clause by a completion verb (完成, 建成, 交付, 到位, 办结, 出台, …; no 已, no 了):
  ``2024年6月底全面完成`` → 2024-06-30, ``2025年12月全面完成`` → 2025-12-31 (not ``2025-12``: a deadline is a
  day), ``8月底完成``; a year only with 全面/基本完成 (``2025年全面完成``), because ``2022年完成…`` in a report is
  what was done that year. ``9月底启动`` is not a deadline (starting is not finishing), nor is a full date with a
  verb (an event: ``2023 年 12 月 20 日出台``);
* ``到2025年`` / ``力争到2025年底`` → 2025-12-31;
* ``限期3个月内`` → a deadline whose date cannot be determined (``date`` None); so is a month or year end whose
  year the text does not give (``年底前`` with no context → None; ``12月底前`` → partial ``--12-31``);
* a labelled time limit (``deadline_labels`` in ``rules/metadata.yaml``: 完成时限, 整改时限, 完成时间 …) is a
  deadline in whatever form its value takes: ``整改时限：2023年12月31日`` → that day, ``完成时间：今年9月底`` →
  2023-09-30, ``时限：2024年`` → 2024-12-31; its open-ended values (``立行立改``, ``长期坚持``) are deadlines
  without a date. A month after 已 (``已于2023年7月完成整改``) is what was done, not a limit.

The context year of a deadline is found as for dates (nearest preceding full date from ``start``, then
``default_year``). ``截至…`` (as of) is not a deadline unless it ends in 前.

``Deadline.text`` is the phrase as written (with a leading 预计/力争/争取/确保/计划 and 于/在/到 when present),
``span`` its place in ``text``.
"""

from __future__ import annotations

import bisect
import calendar
import functools
import itertools
from dataclasses import dataclass, field

import regex

from rectiparse.models import Deadline
from rectiparse.normalise import fold, fold_numeric
from rectiparse.numerals import chinese_digits, numeral_value
from rectiparse.rules import MetadataRules, Rules, load_rules

__all__ = [
    "DateMention", "YearContext", "find_date_ranges", "find_dates", "find_deadlines", "first_full_date", "parse_date",
]


@dataclass(frozen=True)
class DateMention:
    """A date as the text writes it: ``date`` resolved by the year context, ``year`` only when written."""

    text: str
    date: str | None  # 'YYYY-MM-DD', 'YYYY-MM', or partial '--MM-DD' / '--MM' when no year can be determined
    span: tuple[int, int]
    year: int | None = field(default=None, compare=False)  # the year as written; None when inherited or absent
    month: int = field(default=0, compare=False)
    day: int | None = field(default=None, compare=False)

    @property
    def full(self) -> bool:
        """Year (written or inherited), month and day all known: such a date sets the year context."""
        return self.date is not None and len(self.date) == 10 and self.date[0] != "-"

    def iso(self, default_year: int | None = None) -> str | None:
        """The date with its written year, else ``default_year``; a month without a year is no date (None)."""
        y = self.year or default_year
        if not 1 <= self.month <= 12:
            return None
        if y is None:
            return f"--{self.month:02d}-{self.day:02d}" if self.day else None
        return f"{y:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


class YearContext:
    """The one year-context rule, for every date a text writes without its year.

    A date takes the year of the nearest *full* date before it (day written, year written or itself inherited);
    failing that, ``default_year``; failing that, none: a past event written "7月12日" before any full date is
    not dated by the signature at the end (a bulletin signed 2024年1月8日 reports a feedback of 2023). Year-month
    mentions (``2025年12月``) never set the context: in a task list they are targets, not the date the text
    speaks from. ``first_year`` is the year of the text's first full date, the default a caller may choose for
    what looks forward (a plan's deadlines, ``extract``).
    """

    def __init__(self, mentions: list[DateMention], default_year: int | None = None):
        full = [m for m in mentions if m.full]
        self.positions = [m.span[0] for m in full]
        self.years = [int(m.date[:4]) for m in full if m.date]
        self.default = default_year
        self.first_year = self.years[0] if self.years else None

    def at(self, pos: int) -> int | None:
        i = bisect.bisect_left(self.positions, pos) - 1
        return self.years[i] if i >= 0 else self.default


# the numeric part of the one fold table (normalise.FOLD_PAIRS): one character for one, spans survive
_fold = fold_numeric

_S = r"[ \u3000\u00a0]*"
_YEAR = r"(?:(?<![\d.])(?:19|20)\d{2}(?![\d.])|(?<![〇零一二三四五六七八九十])[〇零一二三四五六七八九]{4})"
_MONTH = r"(?:(?<![\d.])\d{1,2}(?![\d.])|(?<![〇零一二两三四五六七八九十百千万])(?:十[一二]?|[一二三四五六七八九]))"
_DAY = (
    r"(?:(?<![\d.])\d{1,2}(?![\d.])"
    r"|(?<![〇零一二两三四五六七八九十])(?:三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]))"
)
_SUFFIX = r"(?:底|末|初|中旬|上旬|下旬|份)"

# One calendar date: CJK form (year optional, month required) or numeric form.
_DATE = regex.compile(
    rf"(?:(?P<y>{_YEAR}){_S}年{_S})?"
    rf"(?<!\d{_S}[-~]{_S})"  # not the end of a month range (1-12月)
    rf"(?P<m>{_MONTH}){_S}月(?:{_S}(?P<d>{_DAY}){_S}[日号])?(?P<suf>{_SUFFIX})?"
    rf"|(?<![\d.])(?P<ny>(?:19|20)\d{{2}})(?P<sep>[-./])(?P<nm>\d{{1,2}})(?P=sep)(?P<nd>\d{{1,2}})(?![\d.])"
)
_RANGE_SEP = regex.compile(rf"{_S}(?:至|到|-|~|起至){_S}")
_DAY_ONLY = regex.compile(rf"(?P<d>{_DAY}){_S}[日号]")


def _cn_int(s: str) -> int | None:
    """A year written digit by digit (二〇二三, 2023), else a month or day numeral (十二, 三十一)."""
    return chinese_digits(s) if len(s) == 4 else numeral_value(s)


def _last_day(y: int | None, m: int) -> int:
    return calendar.monthrange(y if y is not None else 2000, m)[1]  # 2000: February of an unknown year has 29


@dataclass
class _Raw:
    """A date as found, before year inheritance."""

    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    suffix: str | None
    explicit_year: bool


def _raw_dates(folded: str, lo: int, hi: int) -> list[_Raw]:
    out: list[_Raw] = []
    pos = lo
    while True:
        m = _DATE.search(folded, pos, hi)
        if m is None:
            break
        pos = m.end()
        r = _raw_from_match(m)
        if r is None:
            continue
        out.append(r)
        # the end of a range written with the day only: 3月10日至15日
        if r.day is not None:
            sep = _RANGE_SEP.match(folded, m.end(), hi)
            if sep:
                dm = _DAY_ONLY.match(folded, sep.end(), hi)
                nxt = _DATE.match(folded, sep.end(), hi)
                if dm and not nxt:
                    d = _cn_int(dm.group("d"))
                    if d and 1 <= d <= _last_day(r.year, r.month):
                        out.append(_Raw(dm.start(), dm.end(), None, r.month, d, None, False))
                        pos = dm.end()
    return out


def _raw_from_match(m: regex.Match[str]) -> _Raw | None:
    if m.group("ny"):
        ny, nm, nd = int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))
        if not (1 <= nm <= 12 and 1 <= nd <= _last_day(ny, nm)):
            return None
        return _Raw(m.start(), m.end(), ny, nm, nd, None, True)
    y = _cn_int(m.group("y")) if m.group("y") else None
    mo = _cn_int(m.group("m"))
    d = _cn_int(m.group("d")) if m.group("d") else None
    suf = m.group("suf")
    if mo is None or not 1 <= mo <= 12:
        return None
    if d is not None and not 1 <= d <= _last_day(y, mo):
        return None
    if y is not None and not 1900 <= y <= 2100:
        return None
    if not m.group("m").isdigit() and y is None and d is None and suf is None:
        return None  # 一月 alone is too often a word
    if d is not None and suf:
        # 5日底 is not a thing; keep the day, drop the suffix from the mention
        return _Raw(m.start(), m.end("d") + 1, y, mo, d, None, y is not None)
    return _Raw(m.start(), m.end(), y, mo, d, suf, y is not None)


def _iso(year: int | None, month: int, day: int | None) -> str:
    if year is None:
        return f"--{month:02d}-{day:02d}" if day is not None else f"--{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}" if day is not None else f"{year:04d}-{month:02d}"


def _resolve(raws: list[_Raw], folded: str, default_year: int | None) -> list[tuple[_Raw, int | None]]:
    """Give each raw date its year: its own, its range start's, the context year, or None."""
    out: list[tuple[_Raw, int | None]] = []
    ctx: int | None = None  # year of the nearest preceding full date
    prev: tuple[_Raw, int | None] | None = None
    for r in raws:
        year = r.year
        if year is None:
            if prev is not None and prev[1] is not None and _RANGE_SEP.fullmatch(folded, prev[0].end, r.start):
                year = prev[1]
                if (r.month, r.day or 0) < (prev[0].month, prev[0].day or 0):
                    year += 1  # 2022年12月至3月
            else:
                year = ctx if ctx is not None else default_year
        if r.day is not None and year is not None:
            ctx = year
        out.append((r, year))
        prev = (r, year)
    return out


def _mentions(text: str, start: int, end: int | None, default_year: int | None) -> list[DateMention]:
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return []
    folded = _fold(text[start:end])
    out = []
    for r, year in _resolve(_raw_dates(folded, 0, len(folded)), folded, default_year):
        day = r.day
        if day is not None and year is not None and day > _last_day(year, r.month):
            day = None  # 2月29日 in a year that has none: keep the month only
        out.append(
            DateMention(
                text=text[start + r.start : start + r.end], date=_iso(year, r.month, day),
                span=(start + r.start, start + r.end), year=r.year if r.explicit_year else None, month=r.month,
                day=day,
            )
        )
    return out


def find_dates(text: str, start: int = 0, end: int | None = None, default_year: int | None = None
               ) -> list[DateMention]:
    """Every calendar date in ``text[start:end]``, sorted by position, with spans into ``text``."""
    return _mentions(text, start, end, default_year)


def find_date_ranges(text: str, start: int = 0, end: int | None = None, default_year: int | None = None
                     ) -> list[tuple[DateMention, DateMention]]:
    """Pairs of dates joined by 至 / 到 / - / — / ~: ``2023年3月10日至6月10日``, ``2022年4月—2022年11月``."""
    ms = _mentions(text, start, end, default_year)
    folded_between = [_fold(text[a.span[1] : b.span[0]]) for a, b in itertools.pairwise(ms)]
    out = []
    used = -1
    for i, between in enumerate(folded_between):
        if i <= used:
            continue
        if _RANGE_SEP.fullmatch(between):
            out.append((ms[i], ms[i + 1]))
            used = i + 1
    return out


# --------------------------------------------------------------------------- deadlines

_NOT_AFTER_QIAN = r"(?![一二两三四五六七八九十\d期列夕后端沿身置往景瞻])"
_VERBS = r"(?:全面完成|基本完成|完成|建成|完工|竣工|交付|到位|办结|出台|投用|投产|清零|销号|整改完毕|落地)"
_CLAUSE_GAP = r"[^，,。；;：:！!？?\n已]{0,12}?"
_REL_YEAR = r"(?P<rel>今|本|当|明|次)"
_HALF = r"(?P<half>上半年|下半年|(?:第)?(?P<q>[一二三四1-4])季度)"
# “by then only / already / not yet …” tells what had happened by a date, not a limit: 在6月30日前仅将…下达
_NOT_PAST = rf"(?!{_S}(?:仍|还|依然|均|都)?(?:仅|只|未|没有|尚未|已|就已))"
_BEFORE = rf"{_S}(?:之|以)?前{_NOT_AFTER_QIAN}{_NOT_PAST}"
_CLAUSE_START = r"(?<=^|[\s，,。；;：:、（(]|预计|计划|力争|争取|确保|务必|要|于|在|并|将|是|均)"


def _date_groups(prefix: str) -> str:
    """The calendar-date pattern with its group names prefixed (for use inside a larger pattern)."""
    pat = _DATE.pattern
    for g in ("y", "m", "d", "suf", "ny", "sep", "nm", "nd"):
        pat = pat.replace(f"(?P<{g}>", f"(?P<{prefix}{g}>")
    return pat.replace("(?P=sep)", f"(?P={prefix}sep)")


_DEADLINE = regex.compile(
    "|".join(
        [
            # A: a date, then 前: 12月底前, 2023 年 12 月前, 10月15日前, 2024年6月前
            rf"(?P<A>(?:{_date_groups('A')}){_BEFORE})",
            # Y: a year, then (底/末)前: 2022年底前, 2025年前, 2023年年底前
            rf"(?P<Y>(?P<Yy>{_YEAR}){_S}年{_S}(?:年{_S})?(?:底|末)?{_BEFORE})",
            # B: the end of the context year: 年底前, 今年底前, 年末前; a bare 年底 only before a completion verb
            rf"(?P<B>(?<![去上前往每])(?:{_REL_YEAR}{_S})?年{_S}(?:底|末)(?P<Bbefore>{_BEFORE})?)",
            # I: 年内, 今年内, 本年度内, 2022年内 — at the start of a clause
            rf"(?P<I>{_CLAUSE_START}(?:(?P<Iy>{_YEAR}){_S}|{_REL_YEAR}{_S})?年{_S}(?:度{_S})?内)(?![容外部涵])",
            # H: a half or a quarter: 上半年前, 三季度末前, 今年上半年内
            rf"(?P<H>(?:(?P<Hy>{_YEAR}){_S}年{_S}|{_REL_YEAR}年{_S})?{_HALF}{_S}(?:末|底)?"
            rf"(?:{_BEFORE}|{_S}内))",
            # E: 到 a month or a year: 到2025年, 力争到2025年底, 到 2025 年 6 月
            rf"(?P<E>(?<![\d年月日截直达提增降])到{_S}"
            rf"(?:(?P<Ey2>{_YEAR}){_S}年{_S}(?P<Em>{_MONTH}){_S}月(?:底|末)?"
            rf"|(?P<Ey>{_YEAR}){_S}年(?:{_S}(?:底|末))?(?![{_S}\d一二三四五六七八九十])))",
            # L: 限期 with a duration: 限期3个月内, 限期30天
            rf"(?P<L>限期{_S}(?:\d+|[一二两三四五六七八九十]+){_S}(?:个{_S}月|个{_S}工作日|天|日|周|年)(?:{_S}内)?)",
        ]
    )
)

# C: a month (or a year with 全面/基本) followed in the same clause by a completion verb: 2024年6月底全面完成
_VERB_AFTER = regex.compile(rf"{_CLAUSE_GAP}{_VERBS}(?!了)")
_YEAR_VERB = regex.compile(rf"(?P<y>{_YEAR}){_S}年(?={_S}(?:全面|基本)(?:完成|建成|实现))")
_PREFIX_RE = regex.compile(rf"(?:(?:预计|计划|力争|争取|确保|务必){_S})?(?:(?:于|在|到){_S})?$")


def _month_end(year: int | None, month: int, day: int | None, suffix: str | None) -> str:
    if day is None:
        if suffix == "中旬":
            day = 20
        elif suffix == "上旬":
            day = 10
        else:
            day = _last_day(year, month)
    return f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"--{month:02d}-{day:02d}"


_NUM_MONTH = regex.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})[./-](?P<m>\d{1,2})(?![\d]|[./-]\d)")
_DONE_BEFORE = regex.compile(rf"已(?:经)?{_S}(?:于|在)?{_S}$")
_REL_BEFORE = regex.compile(rf"(?P<rel>今|本|当|明|次)年{_S}(?:度{_S})?$")


def find_deadlines(text: str, start: int = 0, end: int | None = None, default_year: int | None = None,
                   rules: Rules | MetadataRules | None = None, *, value: bool = False) -> list[Deadline]:
    """Deadline phrases in ``text[start:end]``: the phrase as written, its ISO date where determinable, its span.

    ``rules`` (a ``Rules`` or ``MetadataRules``) supplies the deadline labels and open-ended values; the shipped
    rules by default. ``value``: the span is the value of a time-limit label without the label — a table cell
    under a 完成时限 header — and is read as a labelled value is (dates of any precision, 长期坚持).
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    if start >= end:
        return []
    seg = text[start:end]
    folded = _fold(seg)
    mentions = _mentions(seg, 0, None, default_year)
    years = YearContext(mentions, default_year)
    found: list[tuple[int, int, str | None]] = []
    taken = bytearray(len(seg))

    def add(s: int, e: int, date: str | None) -> None:
        s = _prefix_start(folded, s)
        found.append((s, e, date))
        taken[s:e] = b"\x01" * (e - s)

    for m in _DEADLINE.finditer(folded):
        if m.group("B") is not None and m.group("Bbefore") is None and not _VERB_AFTER.match(folded, m.end()):
            continue  # a bare 年底 is a deadline only before a completion verb
        date = _deadline_date(m, years)
        if date is not _SKIP:
            add(m.start(), m.end(), date)  # type: ignore[arg-type]

    # C: month-level dates followed by a completion verb, not already inside a deadline (9月底启动 is not one;
    # a full date with a verb is an event, not a limit)
    for r in _raw_dates(folded, 0, len(folded)):
        if r.day is not None or taken.find(1, r.start, r.end) != -1:
            continue
        if _DONE_BEFORE.search(folded, max(0, r.start - 6), r.start):
            continue  # 已于2023年7月完成整改: done, not due
        if _VERB_AFTER.match(folded, r.end):
            y = r.year if r.year is not None else years.at(r.start)
            add(r.start, r.end, _month_end(y, r.month, None, r.suffix))
    for m in _YEAR_VERB.finditer(folded):
        if taken.find(1, m.start(), m.end()) == -1:
            y = _cn_int(m.group("y"))
            add(m.start(), m.end(), f"{y:04d}-12-31" if y else None)

    if value:
        _value_deadlines(folded, 0, len(folded), years, taken, found, _deadline_rules(rules)[1])
    else:
        _labelled_deadlines(folded, years, taken, found, rules)
    found.sort()
    return [Deadline(text=seg[s:e], date=d, span=(start + s, start + e)) for s, e, d in found]


def _deadline_rules(rules: Rules | MetadataRules | None
                    ) -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None]:
    m = rules if isinstance(rules, MetadataRules) else (rules or load_rules()).metadata
    return _label_patterns(tuple(m.deadline_labels), tuple(m.open_deadlines), tuple(m.units.lead_labels),
                           tuple(m.units.co_labels), tuple(m.units.stop_labels))


@functools.lru_cache(maxsize=8)
def _label_patterns(labels: tuple[str, ...], open_words: tuple[str, ...], *others: tuple[str, ...]
                    ) -> tuple[regex.Pattern[str] | None, regex.Pattern[str] | None]:
    """(label with its value, open-ended phrase) patterns; a value ends at ；。, a bracket, a line or another label."""
    if not labels:
        return None, None
    alt = "|".join(regex.escape(w) for w in sorted(set(labels), key=len, reverse=True))
    other = "|".join(regex.escape(w) for w in sorted({w for ws in others for w in ws} | set(labels),
                                                     key=len, reverse=True))
    label = regex.compile(
        rf"(?:{alt}){_S}[:：]{_S}(?P<v>(?:(?!(?:{other}){_S}[:：])[^；;。\n)）]){{1,40}})"
    )
    words = "|".join(regex.escape(w) for w in sorted(set(open_words), key=len, reverse=True))
    return label, (regex.compile(words) if words else None)


def _labelled_deadlines(folded: str, years: YearContext, taken: bytearray,
                        found: list[tuple[int, int, str | None]], rules: Rules | MetadataRules | None) -> None:
    """Deadlines in the value of a time-limit label: dates of any precision, and open-ended phrases."""
    label, open_re = _deadline_rules(rules)
    if label is None:
        return
    for lm in label.finditer(folded):
        a, b = lm.span("v")
        _value_deadlines(folded, a, b, years, taken, found, open_re)


def _value_deadlines(folded: str, a: int, b: int, years: YearContext, taken: bytearray,
                     found: list[tuple[int, int, str | None]], open_re: regex.Pattern[str] | None) -> None:
    """Deadlines in ``folded[a:b]``, the value of a time-limit label (or a table cell under one)."""
    while b > a and folded[b - 1] in " ，,、":
        b -= 1
    for r in _raw_dates(folded, a, b):
        if taken.find(1, r.start, r.end) != -1:
            continue  # already read as a deadline (2024年6月底前)
        y, s = r.year, r.start
        if y is None:
            rel = _REL_BEFORE.search(folded, max(a, r.start - 4), r.start)
            y = years.at(r.start)
            if rel:
                s = rel.start()
                if y is not None and rel.group("rel") in ("明", "次"):
                    y += 1
        date = _iso(y, r.month, r.day) if r.day is not None else _month_end(y, r.month, None, r.suffix)
        found.append((s, r.end, date))
        taken[r.start : r.end] = b"\x01" * (r.end - r.start)
    for nm in _NUM_MONTH.finditer(folded, a, b):
        # a table cell's 2023.12 / 2023-12: that month
        if taken.find(1, nm.start(), nm.end()) == -1:
            mo = int(nm.group("m"))
            if 1 <= mo <= 12:
                found.append((nm.start(), nm.end(), _month_end(int(nm.group("y")), mo, None, None)))
                taken[nm.start() : nm.end()] = b"\x01" * (nm.end() - nm.start())
    for ym in regex.finditer(rf"(?P<y>{_YEAR}){_S}年(?:{_S}(?:底|末))?(?!{_S}\d|{_S}[一二三四五六七八九十]|度|内)",
                             folded[:b], pos=a):
        if taken.find(1, ym.start(), ym.end()) == -1:
            y = _cn_int(ym.group("y"))
            found.append((ym.start(), ym.end(), f"{y:04d}-12-31" if y else None))
            taken[ym.start() : ym.end()] = b"\x01" * (ym.end() - ym.start())
    if open_re is not None:
        for om in open_re.finditer(folded, a, b):
            if taken.find(1, om.start(), om.end()) == -1:
                found.append((om.start(), om.end(), None))
                taken[om.start() : om.end()] = b"\x01" * (om.end() - om.start())


_SKIP = object()


def _prefix_start(folded: str, pos: int) -> int:
    m = _PREFIX_RE.search(folded, max(0, pos - 8), pos)
    return m.start() if m else pos


def _deadline_date(m: regex.Match[str], years: YearContext) -> str | object | None:
    pos = m.start()
    if m.group("A") is not None:
        if m.group("Any"):
            return f"{int(m.group('Any')):04d}-{int(m.group('Anm')):02d}-{int(m.group('And')):02d}"
        mo = _cn_int(m.group("Am"))
        if mo is None or not 1 <= mo <= 12:
            return _SKIP
        y = _cn_int(m.group("Ay")) if m.group("Ay") else years.at(pos)
        d = _cn_int(m.group("Ad")) if m.group("Ad") else None
        if d is not None and not 1 <= d <= _last_day(y, mo):
            return _SKIP
        return _month_end(y, mo, d, m.group("Asuf"))
    if m.group("Y") is not None:
        y = _cn_int(m.group("Yy"))
        return f"{y:04d}-12-31" if y else None
    if m.group("B") is not None or m.group("I") is not None:
        explicit = m.group("Iy") if m.group("I") is not None else None
        y = _cn_int(explicit) if explicit else years.at(pos)
        if y is not None and m.group("rel") in ("明", "次"):
            y += 1
        return f"{y:04d}-12-31" if y is not None else None
    if m.group("H") is not None:
        y = _cn_int(m.group("Hy")) if m.group("Hy") else years.at(pos)
        if y is not None and m.group("rel") in ("明", "次"):
            y += 1
        half = m.group("half")
        if half == "上半年":
            md = "06-30"
        elif half == "下半年":
            md = "12-31"
        else:
            q = m.group("q")
            md = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}.get(numeral_value(q) or 4, "12-31")
        return f"{y:04d}-{md}" if y is not None else None
    if m.group("E") is not None:
        if m.group("Ey2"):
            y = _cn_int(m.group("Ey2"))
            mo = _cn_int(m.group("Em"))
            if mo is None or not 1 <= mo <= 12:
                return _SKIP
            return _month_end(y, mo, None, None)
        y = _cn_int(m.group("Ey"))
        return f"{y:04d}-12-31" if y else None
    return None  # L: 限期N个月内 — a deadline, date unknown


def first_full_date(s: str) -> str | None:
    """The first date in ``s`` whose year and day are written (``2024/05/06 10:30``, ``二〇二三年五月十日``): how
    a web page's 发布日期 or a container's date field is read."""
    found = [d for d in find_dates(fold(s)) if d.year and d.day]
    return found[0].iso() if found else None


def parse_date(s: str, default_year: int | None = None, rules: Rules | MetadataRules | None = None) -> str | None:
    """The ISO date of a string that is one date or one deadline (``2023年12月22日``, ``7月19日``, ``年底前``)."""
    t = s.strip()
    if not t:
        return None
    ms = find_dates(t, default_year=default_year)
    if len(ms) == 1 and ms[0].span == (0, len(t)):
        return ms[0].date
    ds = find_deadlines(t, default_year=default_year, rules=rules)
    if len(ds) == 1 and ds[0].span == (0, len(t)):
        return ds[0].date
    if ms and ms[0].span[0] == 0 and t[ms[0].span[1]:].strip(" 。，,.;；") == "":
        return ms[0].date
    return None
