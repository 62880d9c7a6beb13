"""The declared summary: “巡视反馈的7个方面15个具体问题，已完成整改1个，基本完成4个，长期整改I 9个…”.

A bulletin states its totals in one or two sentences, in many phrasings. Each sentence is read count by
count: a count (``N个``/``N项``/``N条``, Arabic or Chinese numerals) takes its meaning from the words
right before it (已完成整改1个, 已整改完成的问题17个) or, failing that, right after it (17个已完成整改,
24个问题中, 7个方面, 70项具体整改措施). Counts of something else — 13件信访件, 11个区块, 每一个问题 —
are not the summary's; a status count must not be followed by a foreign noun, and 件 is never a problem
count.

The sentence that carries the declaration is the earliest one of the strongest kind (a total with status
counts, then several status counts, then a total alone); another sentence that declares the same total
may add the aspects and measures (seed 004 states 3个方面24个问题 and 70项措施 in one sentence, the
status counts in another). What the text does not state stays null.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

import regex

from rectiparse.dates import DateMention, YearContext, find_dates
from rectiparse.models import Summary
from rectiparse.normalise import Text, fold
from rectiparse.numerals import numeral_value
from rectiparse.rules import Rules, StatusRules, compiled, load_rules, per_rules

Span = tuple[int, int]

_COUNT = compiled(
    r"(?P<n>\d+|[零〇两一二三四五六七八九十百千]+)\s*(?P<c>个|项|条|件|处|类|大(?=\s*(?:方面|类)))"
)
_CLAUSE_END = "，,；;：:、。!?！？(（\n"
_SCOPE_WORDS = compiled(r"反馈|巡视|巡察|审计|指出|交办|发现|梳理|移交|整改|涉及|查出|查摆|排查")
_STRICT_SCOPE = compiled(r"反馈|巡视|巡察|督察|审计|指出|交办")
_ASPECT_OF_PROBLEMS = compiled(r"\s*(?:个)?\s*(?:方面)?\s*(?:的)?\s*(?:主要|突出|核心|具体|重点)?\s*(?:问题|隐患)")
_VERIFIED = compiled(r"属实|核实")  # 经查属实152件: a verification result, not a status or a total
_FINDING = compiled(r"存在|发现|反馈|指出|梳理|查摆|查找|查出|排查")
_ARTICLE_BEFORE = set("每这那某任同逐第单")
_GRADES = {"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "一类": "I", "二类": "II", "三类": "III"}


def _clause_status(status: StatusRules) -> list[tuple[str, regex.Pattern[str]]]:
    """The status words of ``rules/status.yaml`` (the items' vocabulary) as one pattern per code, in
    ``clause_order``: a summary clause takes the first code whose phrase it contains."""
    out = []
    for code in status.clause_order:
        phrases = status.codes.get(code, [])
        alts = [p[1:-1] if len(p) > 2 and p.startswith("/") and p.endswith("/") else regex.escape(fold(p))
                for p in phrases]
        if alts:
            out.append((code, compiled("|".join(f"(?:{a})" for a in alts))))
    return out


@dataclass
class _Read:
    span: Span
    aspects: int | None = None
    total: int | None = None
    measures: int | None = None
    rate: float | None = None
    status: dict[str, int] = field(default_factory=dict)
    grades: dict[str, int] = field(default_factory=dict)
    scoped: bool = False  # the sentence speaks of feedback / inspection / audit problems
    petition_total: int | None = None  # petition cases (信访举报件) counted in 件
    petition_status: dict[str, int] = field(default_factory=dict)
    aspect_problems: bool = False  # the aspects counted are kinds of problems ("四个方面的主要问题", "五类核心问题")

    @property
    def tier(self) -> int:
        n = len(self.status)
        if self.total is not None and (n or self.rate is not None):
            return 3
        if n >= 2 or (n and self.rate is not None):
            return 2
        if self.scoped and (self.total is not None or self.rate is not None or self.aspect_problems):
            return 1
        return 0


def _sentences(folded: str) -> list[Span]:
    out, a = [], 0
    for i, ch in enumerate(folded):
        if ch in "。!?！？\n":
            if i + 1 > a:
                out.append((a, i + 1))
            a = i + 1
    if a < len(folded):
        out.append((a, len(folded)))
    return out


class _Reader:
    def __init__(self, rules: Rules):
        s = rules.metadata.summary
        self.status = _clause_status(rules.status)
        self.problem_right = compiled(rf"\s*(?:的)?\s*{s.problem_nouns}")
        self.measure_right = compiled(rf"\s*(?:的)?\s*(?:具体)?\s*(?:{s.measures})")
        self.measure_left = compiled(rf"(?:{s.measures})\s*$")
        # "反馈问题共15个", "涉及问题有1项", "需整改问题515个" (also as mistyped "需整改问515个")
        self.problem_left = compiled(rf"(?:{s.problem_nouns}|需整改问?题?)\s*(?:共计|共有|共|总计|合计|计|有)?\s*$")
        self.aspect_right = compiled(r"\s*(?:个)?\s*(?:大)?\s*方面")  # 7个方面, 4个大方面
        self.petition = compiled(s.petition_words)
        self.right_ok = compiled(
            rf"\s*(?:$|{s.problem_nouns}|的\s*{s.problem_nouns}|已|均|全部|正在|基本|中|整改|尚未|未|需|占|完成|取得)"
        )
        self.foreign = compiled("|".join(f"(?:{p})" for p in s.foreign_subjects)) if s.foreign_subjects else None
        self.grade = compiled(rf"(?P<g>{s.grade})\s*(?:类)?\s*$")
        self.rate = compiled(s.rate)
        self.share = compiled(s.rate_share) if s.rate_share else None
        self.all_done = compiled("|".join(f"(?:{p})" for p in s.all_completed)) if s.all_completed else None

    def _code(self, s: str) -> str | None:
        for code, pat in self.status:
            if pat.search(s):
                return code
        return None

    def read(self, folded: str, span: Span) -> _Read:
        a, b = span
        r = _Read(span=span, scoped=bool(_SCOPE_WORDS.search(folded, a, b)))
        rm = self.rate.search(folded, a, b)
        if rm and folded.startswith("的", rm.end()) and _COUNT.match(folded, rm.end() + 1):
            rm = None  # the units that reached a rate ("完成率达到100%的51个"), not the problems' rate
        if rm:
            r.rate = float(rm.group("num"))
        prev_end = a
        active = True
        foreign_seen = False  # counts of another subject: “all done” may be theirs (立行立改问题5个已全部整改完毕)
        for cm in _COUNT.finditer(folded, a, b):
            if rm and rm.start() <= cm.start() < rm.end():
                continue
            n = numeral_value(cm.group("n"))
            left_start = cm.start()
            while left_start > prev_end and folded[left_start - 1] not in _CLAUSE_END:
                left_start -= 1
            prev_end = cm.end()
            left = folded[left_start : cm.start()]
            stop = cm.end()
            while stop < b and folded[stop] not in _CLAUSE_END:
                stop += 1
            right = folded[cm.end() : stop]
            nxt = _COUNT.search(right)
            if nxt:
                right = right[: nxt.start()]
            next_in_clause = nxt is not None  # 42个问题已整改到位38个: the status is the next count's
            if n is None:
                continue
            chinese = not cm.group("n").isdigit()
            if chinese and (n <= 1 or (cm.start() > a and folded[cm.start() - 1] in _ARTICLE_BEFORE)):
                continue
            if cm.start() > a and folded[cm.start() - 1] == "第":
                continue  # an ordinal (第11项问题), not a count
            if left.rstrip().endswith(("%的", "%")):
                continue  # units that reached a rate ("整改完成率达到100%的51个"), not problems
            if cm.group("c") == "件" or (
                self.foreign is not None and (self.foreign.search(left) or self.foreign.search(right[:6]))
            ):
                active = False
                foreign_seen = True
                if cm.group("c") == "件" and not _VERIFIED.search(left):
                    # petition cases: not this summary's problems, but a page that tallies only them declares
                    # them (已办结75件，阶段性办结19件，正在办理3件)
                    code = self._code(left) or (self._code(right) if not next_in_clause else None)
                    if code is not None:
                        r.petition_status.setdefault(code, n)
                    elif r.petition_total is None and self.petition.search(left + right[:12]):
                        r.petition_total = n
                continue
            if cm.group("c") in ("类", "大") or self.aspect_right.match(right):  # 7个方面, 五类核心问题, 4大类
                r.aspects = r.aspects if r.aspects is not None else n
                # declared as found ("发现的四个方面的主要问题"), not named as a task ("对照…三个方面的问题开展巡察")
                r.aspect_problems = r.aspect_problems or bool(
                    _ASPECT_OF_PROBLEMS.match(right) and _FINDING.search(left)
                )
                continue
            if self.measure_right.match(right) or self.measure_left.search(left):
                if self._code(left) is None:
                    r.measures = r.measures if r.measures is not None else n
                continue
            code = self._code(left)
            if code is None and self.right_ok.match(right) and not next_in_clause:
                code = self._code(right)
                # 15个问题已全部完成整改: the count is the total as well
                if code is not None and r.total is None and self.problem_right.match(right) and r.scoped:
                    r.total = n
                    active = True
            if code is not None:
                if not active and not self.problem_left.search(left):
                    continue  # (已整改问题393个 names its subject itself: it counts again)
                if not self.right_ok.match(right) and not self.problem_right.match(right):
                    continue
                if code == "long_term":
                    g = self.grade.search(left.rstrip())
                    if g:
                        grade = _GRADES.get(g.group("g"), g.group("g"))
                        r.grades[grade] = r.grades.get(grade, 0) + n
                        r.status["long_term"] = r.status.get("long_term", 0) + n
                        continue
                if r.total is not None and r.measures is not None and r.total < n <= r.measures:
                    continue  # 反馈问题26个…整改任务106个，已完成整改98个: the tasks' tally, not the problems'
                if code not in r.status:
                    r.status[code] = n
                    if code == "completed" and r.rate is None and self.share is not None:
                        # 已整改销号问题453个，占整改问题总数的96.18%
                        after = stop + 1 if stop < b and folded[stop] in ",，" else stop
                        sm = self.share.match(folded, after, b)
                        if sm:
                            r.rate = float(sm.group("num"))
                continue
            if self.problem_right.match(right) or (
                self.problem_left.search(left) and (_SCOPE_WORDS.search(left) or r.scoped)
            ):
                if r.total is None and (r.scoped or self.problem_left.search(left)):
                    r.total = n
                    active = True
        if r.total is None and r.measures is not None and r.status:
            # "21项整改任务已完成20项": tasks counted with their completion are what the bulletin tracks
            r.total, r.measures = r.measures, None
        if (r.total is not None and not r.status and not foreign_seen and self.all_done is not None
                and self.all_done.search(folded, a, b)):
            r.status["completed"] = r.total  # 反馈问题14个，现已全部整改到位
        return r


def extract_summary(text: Text, rules: Rules | None = None, *, dates: list[DateMention] | None = None) -> Summary:
    """The totals the bulletin declares, with the sentence that declares them.

    ``rules``: the run's rules (``--rules DIR`` included); the shipped ones when omitted (library callers).
    ``dates``: the document's dates when the caller has scanned for them already; found here otherwise.
    """
    folded = text.folded
    reader = per_rules(rules or load_rules(), "summary_reader", _Reader)
    reads = [reader.read(folded, s) for s in _sentences(folded)]
    # the strongest kind wins, a sentence naming the feedback/inspection/audit counts a step more,
    # and among equals the earliest: the declaration comes before the items' own tallies
    # (a tie goes to the stronger kind: 截至…已完成整改19个，正在整改2个 over the sentence that only names the total)
    score = [(r.tier + (1 if r.tier and _STRICT_SCOPE.search(folded, *r.span) else 0), r.tier) for r in reads]
    best = max(score, default=(0, 0))
    if best[0] == 0:
        return _petitions(text, reads)
    primary = reads[score.index(best)]
    out = Summary(
        aspects=primary.aspects, problems_total=primary.total, measures_total=primary.measures,
        completion_rate=primary.rate,
    )
    for code, n in primary.status.items():
        setattr(out, code, n)
    if primary.grades:
        out.long_term_by_grade = dict(primary.grades)
    span = primary.span
    for r in reads:
        if r is primary or (r.tier == 0 and r.aspects is None and r.measures is None):
            continue
        same = r.total is not None and r.total == primary.total
        if not same and not (primary.total is None and r.total is not None and r.scoped and r.tier >= 1):
            continue
        if out.problems_total is None:
            out.problems_total = r.total
        if out.aspects is None:
            out.aspects = r.aspects
        if out.measures_total is None:
            out.measures_total = r.measures
        if _adjacent(text.text, span, r.span):
            span = (min(span[0], r.span[0]), max(span[1], r.span[1]))
    span = _trim(text.text, span)
    out.span = span
    out.text = text.text[span[0] : span[1]]
    out.as_of = _as_of(text, primary.span, find_dates(text.text) if dates is None else dates)
    return out


def _petitions(text: Text, reads: list[_Read]) -> Summary:
    """A page that declares no problem counts but tallies petition cases (督察 信访举报件: 已办结 / 阶段性办结 /
    正在办理 … 件) declares those: the first sentence that gives their statuses."""
    for k, r in enumerate(reads):
        if r.petition_status:
            total, start = r.petition_total, r.span[0]
            if total is None and k and reads[k - 1].petition_total is not None and not reads[k - 1].petition_status:
                total, start = reads[k - 1].petition_total, reads[k - 1].span[0]  # "…举报件97件。其中，已办结75件…"
            out = Summary(problems_total=total)
            for code, n in r.petition_status.items():
                setattr(out, code, n)
            span = _trim(text.text, (start, r.span[1]))
            out.span, out.text = span, text.text[span[0] : span[1]]
            return out
    return Summary()


def _adjacent(raw: str, a: Span, b: Span) -> bool:
    lo, hi = (a, b) if a[0] < b[0] else (b, a)
    between = raw[lo[1] : hi[0]]
    return "\n" not in between and not between.strip()


def _trim(raw: str, span: Span) -> Span:
    a, b = span
    while a < b and raw[a].isspace():
        a += 1
    while b > a and raw[b - 1].isspace():
        b -= 1
    return a, b


def _as_of(text: Text, span: Span, dates: list[DateMention]) -> str | None:
    """The date after 截至/截止 in the declaring sentence; a partial date takes the preceding year."""
    folded = text.folded
    years = YearContext(dates)
    pat = compiled(r"(?:截至|截止|截止到|截至到)\s*(?:目前|日前|当前)?\s*")
    hit = pat.search(folded, span[0], span[1])
    if not hit:
        return None
    month_end = compiled(
        r"(?:(?P<y>\d{4})\s*年\s*|(?:今|本|当)年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<suf>底|末|上旬|中旬|下旬)"
    ).match(folded, hit.end())
    if month_end:
        y = int(month_end.group("y")) if month_end.group("y") else years.at(hit.start())
        mo = int(month_end.group("m"))
        if y is None or not 1 <= mo <= 12:
            return None
        # as of the end of the stated part of the month: 上旬 → the 10th, 中旬 → the 20th
        day = {"上旬": 10, "中旬": 20}.get(month_end.group("suf"), calendar.monthrange(y, mo)[1])
        return f"{y:04d}-{mo:02d}-{day:02d}"
    year_end = compiled(r"(?P<y>\d{4})\s*年\s*(?:底|末)").match(folded, hit.end())
    if year_end:
        return f"{int(year_end.group('y')):04d}-12-31"  # 截至2023年底
    ds = [d for d in dates if d.span[0] == hit.end() and d.span[1] <= min(span[1], hit.end() + 16)]
    if not ds or ds[0].day is None:
        return None
    d = ds[0]
    return d.iso(None if d.year else years.at(d.span[0]))
