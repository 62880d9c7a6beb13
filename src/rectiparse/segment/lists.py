"""Items as real pages write them: candidates → roles from evidence → items.

The heading grammar (``segment.grammar``) knows the bulletins whose problems are wrapped in 关于“X”问题 and
carry labelled accounts. Most pages are not so tidy: an inspection news item lists its findings in one
sentence (``发现以下问题：1.…；2.…``), an exposure list groups hazards by shop, a 销号 notice is one problem
under field headings, a complaint column opens each case with ``市民…反映：``. This module finds such passages
and decides, from evidence any bulletin carries, which of them are items. Every word and threshold it uses is
in ``rules/items.yaml``; each decision is a named rule recorded in the item's ``origin``.

1. **Candidates.** Marker chains (one style counting up from 1, at paragraph starts or run into a sentence),
   problem labels (``一、反馈问题`` over one paragraph, ``问题描述：…``), reporter lines, dash lines
   (``…——已整改``).
2. **Roles.** A chain lists problems when the words before it say so (``存在以下问题：``), when its entries carry
   accounts (``整改措施：`` under each), or when most of its titles state a shortfall (the deficiency lexicon)
   and few open with an action word. A chain after a requirement (``会议要求，一是…``) or of questions
   (``是否…``) does not. A problem chain nested in a chain's entry makes that entry a category (a unit, a
   place, a 类), and a nested chain inherits the cue of the chain around it.
3. **Items**, one per problem entry, with the status its own line, account or a covering sentence states.
   A later chain that restates earlier problems (an audit notice's 整改情况 section) adds nothing.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field

import regex

from rectiparse.normalise import Text
from rectiparse.numerals import numeral_value
from rectiparse.rules import Rules, alternation, per_rules
from rectiparse.segment import EntryRole, Heading, Skeleton, SkelItem, Span
from rectiparse.segment.decode import build_entry
from rectiparse.segment.grammar import grammar, status_of, strip_span

_END = "。;!?"


@dataclass
class _Occ:
    """One marker occurrence."""

    start: int  # where the marker starts
    end: int  # where the entry's text starts
    family: str
    value: int
    number: str
    bare: bool
    line_start: bool
    para: int  # index of its paragraph


@dataclass
class _Chain:
    family: str
    occs: list[_Occ] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # each entry's end
    titles: list[Span] = field(default_factory=list)
    problem: bool = False
    cue: str | None = None  # "problem" | "other" | None: the words right before the chain
    rule: str = ""
    parent: tuple[_Chain, int] | None = None  # (outer chain, entry index) this chain stands in

    @property
    def start(self) -> int:
        return self.occs[0].start

    @property
    def end(self) -> int:
        return self.ends[-1]


@dataclass
class _Compiled:
    markers: list[tuple[regex.Pattern[str], str, bool]]
    deficiency: regex.Pattern[str]
    action: regex.Pattern[str]
    problem_intro: regex.Pattern[str]
    other_intro: regex.Pattern[str]
    label_line: regex.Pattern[str]
    label_inline: regex.Pattern[str]
    reporter: regex.Pattern[str]
    reported: regex.Pattern[str]
    published: regex.Pattern[str]
    notice_field: regex.Pattern[str]
    status_field: regex.Pattern[str]
    notice_done: regex.Pattern[str]
    covering: regex.Pattern[str]
    dash_line: regex.Pattern[str]
    reference: regex.Pattern[str]
    reference_run: regex.Pattern[str]
    question: regex.Pattern[str]
    numbered_problem: regex.Pattern[str]
    declared_count: regex.Pattern[str]
    quoted_problem: regex.Pattern[str]
    problem_number: regex.Pattern[str]
    section_title: regex.Pattern[str]
    # a field or problem label run straight into its text under a numbered heading ("一、整改任务秸秆禁烧…")
    field_run_in: regex.Pattern[str]
    label_run_in: regex.Pattern[str]
    status_run_in: regex.Pattern[str]


def _compile(rules: Rules) -> _Compiled:
    """Compiled once per rules object (rules are immutable)."""
    return per_rules(rules, "lists", _compile_rules)


def _compile_rules(rules: Rules) -> _Compiled:
    ir = rules.items
    labels = alternation(ir.problem_labels)
    fields = alternation(ir.notice_fields)
    return _Compiled(
        # a marker opens an entry at a line's start or after the left context (bare numerals: only after : ;)
        markers=[(regex.compile(rf"(?:^[ \t]*|(?<={'[:; ]' if m.bare else ir.entry_left_context}))"
                                rf"(?P<mk>{m.pattern})", regex.M), m.family, m.bare) for m in ir.list_markers],
        deficiency=regex.compile(alternation(ir.deficiency)),
        action=regex.compile(f"^(?:{alternation(ir.action_openings)})"),
        problem_intro=regex.compile("|".join(f"(?:{p})" for p in ir.problem_intro)),
        other_intro=regex.compile("|".join(f"(?:{p})" for p in ir.other_intro)),
        label_line=regex.compile(rf"(?:{labels})(?:情况)?\s*:?\s*$"),
        # used with match(text, pos): no "^", which would only match at the string's real start
        label_inline=regex.compile(rf"(?:{labels})\s*:\s*(?=\S)"),
        reporter=regex.compile(ir.reporter_label),
        reported=regex.compile(ir.reported_line),
        published=regex.compile(ir.published_problem),
        notice_field=regex.compile(rf"(?:{fields})\s*(?::|$)", regex.M),
        status_field=regex.compile(rf"(?:{alternation(ir.status_fields)})\s*(?::|$)", regex.M),
        notice_done=regex.compile(ir.notice_done),
        covering=regex.compile(ir.covering_sentence),
        dash_line=regex.compile(ir.dash_line),
        reference=regex.compile(ir.reference),
        reference_run=regex.compile(ir.reference_run),
        question=regex.compile(alternation(ir.question_words)),
        numbered_problem=regex.compile(ir.numbered_problem),
        declared_count=regex.compile(ir.declared_count),
        quoted_problem=regex.compile(ir.quoted_problem),
        problem_number=regex.compile(ir.problem_number, regex.M),
        section_title=regex.compile(ir.section_title),
        field_run_in=regex.compile(rf"(?:{fields})\s*:?\s*(?=\S)"),
        label_run_in=regex.compile(rf"(?:{labels})\s*:?\s*(?=\S)"),
        status_run_in=regex.compile(rf"(?:{alternation(ir.status_fields)})\s*:?\s*(?=\S)"),
    )


def _any_in(sorted_starts: list[int], a: int, b: int) -> bool:
    """Does a position of the sorted list lie in [a, b)?"""
    k = bisect.bisect_left(sorted_starts, a)
    return k < len(sorted_starts) and sorted_starts[k] < b


# --------------------------------------------------------------------------- candidates


def _occurrences(text: Text, c: _Compiled) -> list[_Occ]:
    """Every marker that may open an entry: at a paragraph's start, or after the left context (one scan of
    the text per marker style; the context is part of the pattern)."""
    folded = text.folded
    paras = text.paragraphs()
    para_starts = [ps for ps, _ in paras]
    out: list[_Occ] = []
    for pat, family, bare in c.markers:
        for m in pat.finditer(folded):
            s = m.start("mk")
            pi = bisect.bisect_right(para_starts, s) - 1
            if pi < 0:
                continue
            ps, pe = paras[pi]
            if s >= pe:
                continue
            value = numeral_value(m.group("num"))
            if value is None:
                continue
            end = m.end()
            while end < pe and folded[end] in " \t":
                end += 1
            if end >= pe:
                continue
            at_start = not folded[ps:s].strip(" \t")
            out.append(_Occ(s, end, family, value, m.group("num"), bare, at_start, pi))
    out.sort(key=lambda o: (o.start, o.bare))
    # one occurrence per place: "1." is not also a bare "1"
    seen: set[int] = set()
    uniq = []
    for o in out:
        if o.start in seen:
            continue
        seen.add(o.start)
        uniq.append(o)
    return uniq


def _chains(occs: list[_Occ]) -> list[_Chain]:
    """Occurrences of one family counting up from 1 make a chain; the most recent chain expecting a value
    takes it, so lists restarting under each unit ("一、…1.2.3. 二、…1.2.") are chains of their own."""
    chains: list[_Chain] = []
    waiting: dict[tuple[str, int], list[_Chain]] = {}  # (family, value expected next) → chains, latest last
    for o in occs:
        open_ = waiting.get((o.family, o.value))
        if open_:
            ch = open_[-1]
            last = ch.occs[-1]
            # an inline run continues in its paragraph; a paragraph-level one from paragraph start to start
            if last.line_start == o.line_start or o.para == last.para:
                open_.pop()
                ch.occs.append(o)
                waiting.setdefault((o.family, o.value + 1), []).append(ch)
                continue
        if o.value == 1:
            ch = _Chain(o.family, [o])
            chains.append(ch)
            waiting.setdefault((o.family, 2), []).append(ch)
    return [ch for ch in chains if _plausible(ch)]


def _plausible(ch: _Chain) -> bool:
    if all(o.bare for o in ch.occs):
        return len(ch.occs) >= 3
    if any(o.bare and not o.line_start for o in ch.occs) and len(ch.occs) < 3:
        return False
    return True


def _extents(text: Text, chains: list[_Chain], end: int, max_heading: int, longest: int) -> None:
    """Each entry runs to the next entry of its chain; the last one to the end of its sentence (inline
    runs) or to where a chain that began before it goes on (paragraph-level lists)."""
    folded = text.folded
    paras = text.paragraphs()
    line_occ = {o.start: ch for ch in chains for o in ch.occs if o.line_start}
    for ch in chains:
        ch.ends = []
        for i, o in enumerate(ch.occs):
            if i + 1 < len(ch.occs):
                ch.ends.append(ch.occs[i + 1].start)
                continue
            if not o.line_start:
                pe = paras[o.para][1]
                stop = folded.find("。", o.end, pe)
                ch.ends.append(stop + 1 if stop >= 0 else pe)
                continue
            ch.ends.append(_last_entry_end(text, ch, o, line_occ, end, max_heading))
        ch.titles = [_title(text, o, e, longest) for o, e in zip(ch.occs, ch.ends, strict=True)]


def _last_entry_end(text: Text, ch: _Chain, o: _Occ, line_occ: dict[int, _Chain], end: int,
                    max_heading: int) -> int:
    """A paragraph-level list's last entry takes the paragraphs after it until a heading-like line (short, no
    closing punctuation) or an entry of a list that began before it: the list's own end is not marked.

    Lists that began after this one are nested in its last entry, unless they count in its own style: a
    second "1.…2.…" list is a sibling (the next unit's, or the page printing the list again)."""
    folded = text.folded
    paras = text.paragraphs()
    stop = paras[o.para][1]
    for ps, pe in paras[o.para + 1 :]:
        if ps >= end:
            break
        lead = ps
        while lead < pe and folded[lead] in " \t":
            lead += 1
        other = line_occ.get(lead)
        if other is not None and other is not ch and (other.start < ch.start or other.family == ch.family):
            break  # an outer list goes on, or a sibling list in the same style begins
        line = folded[lead:pe].rstrip()
        if other is None and len(line) <= max_heading and line[-1:] not in "。;,:!?)":
            break
        stop = pe
    return min(stop, end)


def _title(text: Text, o: _Occ, end: int, longest: int) -> Span:
    """An entry's title: its first sentence; a long numbered paragraph is titled by its first clause."""
    folded = text.folded
    pe = folded.find("\n", o.end, end)
    stop = pe if pe >= 0 else end
    for ch in _END:
        i = folded.find(ch, o.end, stop)
        if i >= 0:
            stop = i
    if stop - o.end > longest:
        comma = folded.find(",", o.end + 6, stop)
        if comma > 0:
            stop = comma
    s, e = o.end, stop
    while e > s and folded[e - 1] in " \t,:、":
        e -= 1
    return (s, e)


# --------------------------------------------------------------------------- roles


def _clause(folded: str, span: Span, limit: int) -> str:
    """A title's first clause (to the first comma), at most ``limit`` characters: what the lexicons judge."""
    s, e = span
    comma = folded.find(",", s, e)
    return folded[s : min(e if comma < 0 else comma, s + limit)]


def reads_as_problem(text: Text, rules: Rules, title: Span) -> bool:
    """Does a title, in its own words, name a problem: a 关于…问题 wrapper, or a shortfall in its first clause?"""
    c = _compile(rules)
    folded = text.folded
    g = grammar(rules)
    if g.about.match(folded, *title) and "问题" in folded[title[0] : title[1]]:
        return True
    clause = _clause(folded, title, rules.items.thresholds.title_clause)
    return bool(c.deficiency.search(clause)) and not _is_action(c, clause)


def _is_action(c: _Compiled, clause: str) -> bool:
    """Opens with an action word and does not end on a shortfall ("落实…发展上有差距" is a problem)."""
    if not c.action.match(clause):
        return False
    return not any(m.end() >= len(clause) - 1 for m in c.deficiency.finditer(clause))


def _cue(text: Text, c: _Compiled, ch: _Chain, window: int) -> str | None:
    """What the words right before the chain say it lists: "problem", "other" or nothing."""
    folded = text.folded
    first = ch.occs[0]
    paras = text.paragraphs()
    ps = paras[first.para][0]
    before = folded[max(ps, first.start - window) : first.start]
    if not before.strip() and first.para > 0:
        pps, ppe = paras[first.para - 1]
        before = folded[max(pps, ppe - window) : ppe]
    before = before.rstrip().rstrip("。.")
    # the last sentence only: "…取得明显成效。但也发现以下问题：" speaks of what follows
    cut = max(before.rfind(x) for x in "。!?")
    if cut >= 0 and cut < len(before) - 1:
        before = before[cut + 1 :]
    best: tuple[int, str] | None = None
    for kind, pat in (("problem", c.problem_intro), ("other", c.other_intro)):
        for m in pat.finditer(before):
            if best is None or m.end() > best[0] or (m.end() == best[0] and kind == "problem"):
                best = (m.end(), kind)
    return best[1] if best else None


def _has_account(text: Text, rules: Rules, ch: _Chain, i: int, nested: list[int]) -> bool:
    g = grammar(rules)
    s = ch.titles[i][1]
    e = ch.ends[i]
    # the entry's own text only, not the lists nested in it
    k = bisect.bisect_right(nested, s)
    if k < len(nested) and nested[k] < e:
        e = nested[k]
    for m in g.labels.finditer(text.folded, s, e):
        if g.label_fields[m.group("label")] in ("actions", "status", "opinion"):
            return True
    return False


def _decide(text: Text, rules: Rules, c: _Compiled, chains: list[_Chain], above: list[int]) -> None:
    """Which chains list problems. ``above``: where the grammar's items start (a chain with one of them in an
    entry is the report's sections, the level above the items)."""
    g = grammar(rules)
    folded = text.folded
    th = rules.items.thresholds
    # nesting: a chain inside an entry of another — the innermost entry that holds it is the nearest one before
    # it that reaches past its end (entries nest as intervals)
    entries = sorted((o.start, e, other, i) for other in chains
                     for i, (o, e) in enumerate(zip(other.occs, other.ends, strict=True)))
    starts = [x[0] for x in entries]
    index = {(id(other), i): k for k, (_s, _e, other, i) in enumerate(entries)}
    for ch in sorted(chains, key=lambda x: x.start):  # a chain's parent is known before the chains inside it
        ch.parent = None
        k = bisect.bisect_left(starts, ch.start) - 1
        while k >= 0:
            _s0, e0, other, i = entries[k]
            if other is not ch and ch.end <= e0:
                ch.parent = (other, i)
                break
            # an entry that does not hold this chain: whatever holds both holds that entry's chain too
            if other.parent is None:
                break
            k = min(k - 1, index[(id(other.parent[0]), other.parent[1])])
    declared = {v for m in c.declared_count.finditer(folded) if (v := numeral_value(m.group("n")))}
    line_occs = sorted(o.start for ch in chains for o in ch.occs if o.line_start)
    above = sorted(above)
    for ch in sorted(chains, key=lambda x: x.start):
        titles = [_clause(folded, t, th.title_clause) for t in ch.titles]
        n = len(titles)
        ch.cue = _cue(text, c, ch, th.intro_window)
        if ch.cue is None and ch.parent is not None:
            outer = ch.parent[0]
            ch.cue = "problem" if outer.cue == "problem" else None
        questions = sum(bool(c.question.search(t)) for t in titles)
        defic = sum(bool(c.deficiency.search(t)) for t in titles)
        action = sum(_is_action(c, t) for t in titles)
        fields = sum(bool(c.notice_field.match(t)) for t in titles)
        accounts = sum(_has_account(text, rules, ch, i, line_occs) for i in range(n))
        # report sections: 指导思想, 下一步…, and an account's parts that state no shortfall ("审计反馈问题整改完成情况")
        sections = sum(bool(g.non_item.search(folded, *t)) or (
            bool(c.section_title.search(folded, *t)) and not c.deficiency.search(clause))
            for t, clause in zip(ch.titles, titles, strict=True))
        if questions * 2 > n:
            ch.cue = "questions"
            continue
        if fields * 2 >= n or sections * 3 >= n:
            ch.cue = "sections"
            continue
        # a grammar item inside an entry (not the entry itself, which the grammar read as an item too)
        if any(_any_in(above, o.start + 1, e) for o, e in zip(ch.occs, ch.ends, strict=True)):
            ch.cue = "sections"
            continue
        if action / n >= th.action_share:
            continue
        if ch.cue == "problem":
            ch.problem, ch.rule = True, "list_after_problem_cue"
        elif accounts * 2 >= n:  # accounts under the entries outweigh the intro ("现将整改情况汇报如下：")
            ch.problem, ch.rule = True, "list_with_accounts"
        elif ch.cue != "other" and n >= 2 and defic / n >= th.deficiency_share:
            ch.problem, ch.rule = True, "list_of_shortfalls"
        elif ch.cue != "other" and n >= 2 and n in declared and defic * 2 >= n:
            ch.problem, ch.rule = True, "list_matches_declared_count"


# --------------------------------------------------------------------------- items


@dataclass
class Proposal:
    """What this layer proposes for a document."""

    items: list[SkelItem]
    notice: bool = False  # a one-problem notice under field headings: the grammar's items are its fields
    vetoed: set[int] = field(default_factory=set)  # entry starts of lists of questions ("是否…"): never items
    field_title: regex.Pattern[str] | None = None  # the notice field names, to recognise a field heading


def _heading(text: Text, o: _Occ, title: Span, end: int) -> Heading:
    return Heading(start=o.start, end=end, marker=o.family, marker_span=(o.start, o.end), number=o.number,
                   title_span=title, node_end=end)


def _item(text: Text, rules: Rules, *, number: str | None, span: Span, title: Span, rule: str,
          heading: Heading | None, path: list[Heading], idx: str) -> SkelItem:
    """An entry this layer decided is an item, built by the decoder (``decode.build_entry``)."""
    return build_entry(text, rules, EntryRole(span=span, title_span=title, rule=rule, number=number,
                                              heading=heading, path=path, index=idx))


def _set_status(item: SkelItem, code: str, grade: str | None, span: Span, origin: str, rule: str | None = None,
                ) -> None:
    """Give ``item`` a status: its code and grade, where the words stand, how it was found (the grammar's
    ``status_origin`` values) and, for this layer's rules, which one (``decided_by``)."""
    item.status_code, item.status_grade, item.status_span, item.status_origin = code, grade, span, origin
    if rule is not None:
        item.decided_by["status"] = rule


def _chain_items(text: Text, rules: Rules, chains: list[_Chain]) -> list[SkelItem]:
    folded = text.folded
    problem_chains = [ch for ch in chains if ch.problem]
    out: list[tuple[int, SkelItem]] = []
    # an entry that holds a problem chain is a category; its own text is not an item. So is a named place that
    # holds a list of something else and states no shortfall itself ("（一）社区居委会" over "该点位…整体良好。
    # 1.显著位置设置…"): a unit inspected and found in order
    holders = {(id(ch.parent[0]), ch.parent[1]) for ch in problem_chains if ch.parent is not None}
    c = _compile(rules)
    for ch in chains:
        if ch.problem or ch.cue != "other" or ch.parent is None:
            continue
        outer, k = ch.parent
        name = folded[outer.titles[k][0] : outer.titles[k][1]]
        if len(name) <= rules.items.thresholds.place_name_max and not c.deficiency.search(name):
            holders.add((id(outer), k))

    def path_of(ch: _Chain) -> list[Heading]:
        path: list[Heading] = []
        p = ch.parent
        inner = ch.start
        while p is not None:
            outer, i = p
            ts, te = outer.titles[i]
            if ts < inner < te:  # "（一）存在的问题1、…": the heading's title stops where its list begins
                te = strip_span(folded, ts, inner)[1]
            path.insert(0, _heading(text, outer.occs[i], (ts, te), outer.ends[i]))
            inner = outer.occs[i].start
            p = outer.parent
        return path

    seen_titles: list[str] = []
    seen_numbered: set[tuple[tuple[str, ...], str, str]] = set()
    for ch in sorted(problem_chains, key=lambda x: x.start):
        # a restatement: a later chain whose entries quote earlier problems ("(一)关于《审计报告》中提出“X”…")
        heads = [folded[t[0] : t[0] + 8] for t in ch.titles]
        # (quoted: a later list that merely shares words with an earlier one — the next unit's hazards — stays)
        if seen_titles and sum(any(s and '"' + s in folded[o.start : e] for s in seen_titles)
                               for o, e in zip(ch.occs, ch.ends, strict=True)) * 2 >= len(ch.occs):
            continue
        path = path_of(ch)
        unit = tuple(folded[h.title_span[0] : h.title_span[1]] for h in path)
        for i, (o, e) in enumerate(zip(ch.occs, ch.ends, strict=True)):
            if (id(ch), i) in holders:
                continue
            if (unit, heads[i], o.number) in seen_numbered and len(heads[i]) >= 6:
                continue  # the same problem printed twice by the page (under another unit it is another problem)
            if i == len(ch.occs) - 1 and i and _cut_off(folded, ch, i, rules.items.thresholds.stub_ratio):
                continue  # a title the end of the text cuts off (a truncated page): no problem can be read
            span = strip_span(folded, o.start, e)
            idx = ".".join([*(str(numeral_value(h.number) or h.number) for h in path), str(o.value)])
            item = _item(text, rules, number=o.number, span=(o.start, span[1]), title=ch.titles[i], rule=ch.rule,
                         heading=_heading(text, o, ch.titles[i], e), path=path, idx=idx)
            out.append((o.start, item))
        seen_titles.extend(h for h in heads if len(h) >= 6)
        seen_numbered.update((unit, h, o.number) for h, o in zip(heads, ch.occs, strict=True))
    return [it for _, it in sorted(out, key=lambda x: x[0])]


def _label_items(text: Text, rules: Rules, c: _Compiled, chains: list[_Chain], taken: list[Span],
                 notice: bool) -> list[SkelItem]:
    """Problems under a problem label: "一、反馈问题" over one paragraph, "问题描述：…", "存在火灾隐患：" over
    one unnumbered hazard, and reporter lines "市民刘先生反映：…"."""
    g = grammar(rules)
    folded = text.folded
    paras = text.paragraphs()
    th = rules.items.thresholds
    occ_at = {o.start: (ch, i) for ch in chains for i, o in enumerate(ch.occs) if o.line_start}
    out: list[SkelItem] = []

    taken = sorted(taken)
    taken_starts = [a for a, _ in taken]
    reach = list(itertools.accumulate((b for _, b in taken), max))  # the furthest end among spans so far
    problem_occs = sorted(o.start for ch in chains if ch.problem for o in ch.occs)

    def free(s: int) -> bool:
        k = bisect.bisect_right(taken_starts, s) - 1
        return k < 0 or reach[k] <= s

    for pi, (ps, pe) in enumerate(paras):
        lead = strip_span(folded, ps, pe)[0]
        body_s = lead
        hit = occ_at.get(lead)
        number = None
        if hit is not None:
            ch, i = hit
            body_s = ch.occs[i].end
        line = folded[body_s:pe].strip()
        if not free(lead) or _any_in(problem_occs, ps + 1, pe):
            continue  # the label introduces a list ("隐患情况：1.…2.…"): its entries are the items
        # "问题描述：X" / "一、整改问题：X" / "市民刘先生反映：X"
        m = c.label_inline.match(folded, body_s, pe)
        if m is None and notice and hit is not None and not c.label_line.search(line):
            m = c.label_run_in.match(folded, body_s, pe)  # (a heading that is only the label: its text is below)
        colon = folded.find(":", body_s, pe)
        reporter = colon > 0 and c.reporter.match(folded[body_s:colon].strip())
        if m or reporter:
            ts = m.end() if m else colon + 1
            ts = strip_span(folded, ts, pe)[0]
            if reporter and ts >= pe and pi + 1 < len(paras):
                # "市民（匿名）反映：" alone on its line: the complaint is the next paragraph
                ns, ne = paras[pi + 1]
                if free(ns) and not c.reporter.match(folded[ns:ne].split(":")[0].strip()):
                    ts, pe = strip_span(folded, ns, ne)[0], ne
            te = _sentence_end(folded, ts, pe)
            if te - ts >= 4:
                end = _block_end(text, c, pi, reporter=bool(reporter), notice=notice)
                out.append(_item(text, rules, number=number, span=(lead, end), title=(ts, te),
                                 rule="reporter_line" if reporter else "labelled_problem", heading=None,
                                 path=[], idx=str(len(out) + 1)))
            continue
        # a heading line that names a problem label, over one paragraph that is not a list
        if (len(line) <= th.label_line_max and c.label_line.search(line) and pi + 1 < len(paras)
                and not status_of(g, line)[0] and not g.about.match(line)):
            ns, ne = paras[pi + 1]
            nlead = strip_span(folded, ns, ne)[0]
            ts = nlead
            num = None
            if nlead in occ_at:
                # a notice's one problem may carry a marker of its own ("一、整改问题" over "（一）宿马园区…")
                nch, ni = occ_at[nlead]
                if not (notice and len(nch.occs) == 1):
                    continue
                ts, num = strip_span(folded, nch.occs[ni].end, ne)[0], nch.occs[ni].number
            if c.notice_field.match(folded, nlead, ne) or not free(nlead):
                continue
            if c.label_inline.match(folded, nlead, ne) or folded[nlead:ne].rstrip().endswith(":"):
                continue
            if not _HAN_WORDS.search(folded, ts, ne):
                continue  # a headline ending "…存在火灾隐患" over its dateline ("2023-02-22 14:50:38")
            nm = c.numbered_problem.match(folded[ts:ne])
            if nm:
                num = nm.group("num").strip()
                ts = strip_span(folded, ts + nm.end(), ne)[0]
            te = _sentence_end(folded, ts, ne)
            if te - ts < 4:
                continue
            # a list of several lines under the label is handled as a chain; one paragraph is one problem
            end = ne if not notice else _block_end(text, c, pi + 1, reporter=False, notice=True)
            out.append(_item(text, rules, number=num, span=(nlead, end), title=(ts, te), rule="problem_label",
                             heading=None, path=[], idx=str(len(out) + 1)))
    return out


_HAN_WORDS = regex.compile(r"\p{Han}{2}")


def _units_with_one_finding(text: Text, rules: Rules, chains: list[_Chain], found: list[SkelItem]
                            ) -> list[SkelItem]:
    """Numbered units, each over one labelled finding ("1. 某超市（责任单位：…）" / "主要问题" / one paragraph): the
    numbered entry is the item, titled by its heading, as a list of units with one problem each is written."""
    labelled = [it for it in found if it.decided_by.get("item") in ("problem_label", "labelled_problem")]
    if len(labelled) < 2:
        return found
    swap: dict[int, SkelItem] = {}
    for ch in chains:
        if ch.problem or len(ch.occs) < 2 or not ch.occs[0].line_start:
            continue
        # the last unit reaches to the next marker of any list (its own entry may end with its heading line)
        later = [oc.start for other in chains for oc in other.occs if oc.start > ch.occs[-1].start]
        ends = [*ch.ends[:-1], max(ch.ends[-1], min(later, default=len(text.text)))]
        inside = [[it for it in labelled if o.start < it.span[0] < e] for o, e in zip(ch.occs, ends, strict=True)]
        if not all(len(x) == 1 for x in inside):
            continue
        for (o, e), title, [it] in zip(zip(ch.occs, ends, strict=True), ch.titles, inside, strict=True):
            unit = build_entry(text, rules, EntryRole(span=(o.start, max(e, it.span[1])), title_span=title,
                                                      rule="unit_with_one_finding", number=o.number,
                                                      index=str(o.value)))
            if it.status_code is not None and it.status_span is not None and it.status_origin is not None:
                _set_status(unit, it.status_code, it.status_grade, it.status_span, it.status_origin,
                            it.decided_by.get("status"))
            swap[id(it)] = unit
    return [swap.get(id(it), it) for it in found]


def _sentence_end(folded: str, s: int, e: int) -> int:
    stop = e
    for ch in _END:
        i = folded.find(ch, s, stop)
        if i >= 0:
            stop = i
    while stop > s and folded[stop - 1] in " \t,:":
        stop -= 1
    return stop


def _block_end(text: Text, c: _Compiled, pi: int, *, reporter: bool, notice: bool) -> int:
    """Where a labelled problem's account ends: at the next reporter line (complaint columns), at the end of
    the page (a notice is one problem), else at its own paragraph's end plus the labelled lines after it."""
    folded = text.folded
    paras = text.paragraphs()
    end = paras[pi][1]
    if notice:
        return paras[-1][1]
    for ps, pe in paras[pi + 1 :]:
        lead = strip_span(folded, ps, pe)[0]
        colon = folded.find(":", lead, pe)
        if reporter:
            if colon > 0 and c.reporter.match(folded[lead:colon].strip()):
                break
            end = pe
            continue
        if c.label_inline.match(folded, lead, pe):
            break
        if colon > 0 and colon - lead <= 8:  # "整改情况：…", "整改措施：…" belong to the problem above
            end = pe
            continue
        break
    return end


def _reported_items(text: Text, rules: Rules, c: _Compiled) -> list[SkelItem]:
    """A complaint column written as news: paragraphs that each report what someone said ("8月11日，网友反映称，
    …"), two or more of them; each is an item titled by what was reported, up to its first full stop."""
    folded = text.folded
    out: list[SkelItem] = []
    for ps, pe in text.paragraphs():
        lead = strip_span(folded, ps, pe)[0]
        m = c.reported.match(folded, lead, pe)
        if m is None:
            continue
        ts = m.start("t")
        te = _sentence_end(folded, ts, pe)
        if te - ts >= 4:
            out.append(build_entry(text, rules, EntryRole(span=(lead, strip_span(folded, lead, pe)[1]),
                                                          title_span=(ts, te), rule="reporter_line",
                                                          index=str(len(out) + 1))))
    return out if len(out) >= 2 else []


def _published_problem(text: Text, rules: Rules, c: _Compiled) -> list[SkelItem]:
    """A page that publishes the rectification of one numbered problem it quotes ("…督察反馈问题第7项关于“X”整改
    任务落实情况进行公示"), and lists nothing else: that problem, numbered as the page numbers it."""
    hits = list(c.published.finditer(text.folded))
    if len(hits) != 1:
        return []
    m = hits[0]
    ts, te = strip_span(text.folded, *m.span("t"))
    return [build_entry(text, rules, EntryRole(span=(m.start(), len(text.text.rstrip())), title_span=(ts, te),
                                               rule="published_problem", number=m.group("num")))]


def _dash_items(text: Text, rules: Rules, c: _Compiled) -> list[SkelItem]:
    """Unnumbered one-line problems with a status after a dash: "中湾临时洗手间个别厕位不洁——已整改"."""
    g = grammar(rules)
    folded = text.folded
    out: list[SkelItem] = []
    for ps, pe in text.paragraphs():
        if "-" not in folded[ps:pe]:
            continue
        line = folded[ps:pe]
        m = c.dash_line.match(line)
        if not m:
            continue
        code, grade, sp = status_of(g, m.group("st"))
        if not code or sp is None or sp[1] - sp[0] < len(m.group("st").strip()) - 2:
            continue
        ts, te = ps + m.start("t"), ps + m.end("t")
        item = SkelItem(kind="problem", id=str(len(out) + 1), number=None, span=(ps, pe), title_span=(ts, te))
        item.origin = {"item": "rule", "title": "rule", "status": "rule"}
        item.decided_by = {"item": "dash_status_line"}
        item.proposer = "lists"
        st = ps + m.start("st")
        _set_status(item, code, grade, (st + sp[0], st + sp[1]), "title", "dash_status_line")
        out.append(item)
    return out if len(out) >= 2 else []


_PAREN = regex.compile(r"\([^()]{0,20}\)")


def _cells(folded: str, s: int, e: int) -> list[Span]:
    """The "|"-separated cells of a flattened table in folded[s:e], as stripped spans (empty cells kept)."""
    out: list[Span] = []
    a = s
    for i in range(s, e):
        if folded[i] == "|":
            cs, ce = a, i
            while cs < ce and folded[cs] in " \t\n":
                cs += 1
            while ce > cs and folded[ce - 1] in " \t\n":
                ce -= 1
            out.append((cs, ce))
            a = i + 1
    return out


def _table_items(text: Text, rules: Rules, c: _Compiled) -> list[SkelItem]:
    """A table flattened into text, cells separated by "|" (one row a line, or one cell a line): each data row
    whose problem column (rules/tables.yaml title_columns) has text is an item; a 是/否 status column
    (是否完成整治) or a status-only cell gives its status, a 序号 column its number."""
    g = grammar(rules)
    folded = text.folded
    paras = text.paragraphs()
    titles = {t.replace(" ", "") for t in rules.tables.title_columns}
    numbers = {t.replace(" ", "") for t in rules.tables.number_columns}
    out: list[SkelItem] = []
    i = 0
    while i < len(paras):
        if "|" not in folded[paras[i][0] : paras[i][1]]:
            i += 1
            continue
        j = i
        while j + 1 < len(paras) and "|" in folded[paras[j + 1][0] : paras[j + 1][1]]:
            j += 1
        cells = _cells(folded, paras[i][0], paras[j][1])
        i = j + 1
        header: list[str] = []
        for cs, ce in cells:
            name = _PAREN.sub("", folded[cs:ce]).replace(" ", "")
            if not name or len(name) > rules.items.thresholds.table_header_cell_max or regex.search(r"\d", name):
                break
            header.append(name)
        title_col = next((n for n, h in enumerate(header) if h in titles), None)
        if title_col is None:
            continue
        # where the header ends: a short data cell ("某某小学食堂") looks like a header cell, so take the width
        # whose rows read best — problem cells that state a shortfall, and no row left short
        best: tuple[float, int] | None = None
        for k in range(max(2, title_col + 1), len(header) + 1):
            rows = [cells[r : r + k] for r in range(k, len(cells), k)]
            if not rows:
                continue
            full = [row for row in rows if len(row) > title_col]
            defic = sum(bool(c.deficiency.search(folded, *row[title_col])) for row in full)
            short = len(rows[-1]) < k - 1
            score = defic / len(rows) - (0.5 if short else 0.0)
            if best is None or score >= best[0]:
                best = (score, k)
        if best is None:
            continue
        k = best[1]
        header = header[:k]
        number_col = next((n for n, h in enumerate(header) if h in numbers), None)
        status_col = next((n for n, h in enumerate(header) if c.status_field.fullmatch(h)), None)
        if status_col is None:  # an account column (整改情况) whose cell says nothing but a status
            status_col = next((n for n, h in enumerate(header) if n != title_col and c.notice_field.fullmatch(h)),
                              None)
        unit_col = 0 if title_col != 0 and number_col != 0 else None
        data = cells[k:]
        for r in range(0, len(data), k):
            row = data[r : r + k]
            if len(row) <= title_col or row[title_col][1] - row[title_col][0] < 2:
                continue
            number = folded[slice(*row[number_col])] if number_col is not None and number_col < len(row) else None
            item = SkelItem(kind="problem", id=str(len(out) + 1), number=number or None,
                            span=(row[0][0], row[-1][1]), title_span=row[title_col])
            item.origin = {"item": "rule", "title": "rule"}
            item.decided_by = {"item": "flattened_table_row"}
            item.proposer = "lists"
            if unit_col is not None and row[unit_col][1] > row[unit_col][0]:
                item.category_span = row[unit_col]
            if status_col is not None and status_col < len(row):
                cell = folded[slice(*row[status_col])].strip()
                code = rules.items.yes_no_status.get(cell)
                sp = (0, len(cell)) if code else None
                # flattening loses empty cells: a 是/否 one cell off is the status column's
                for near in (status_col - 1, status_col + 1):
                    if code is None and 0 <= near < len(row) and near != title_col:
                        near_cell = folded[slice(*row[near])].strip()
                        if near_cell in rules.items.yes_no_status:
                            status_col, cell = near, near_cell
                            code, sp = rules.items.yes_no_status[cell], (0, len(cell))
                if code is None:
                    code, _grade, sp = status_of(g, cell)
                    if sp is not None and sp[1] - sp[0] < len(cell) - 2:
                        code = None
                if code and sp is not None:
                    cs = row[status_col][0]
                    _set_status(item, code, None, (cs + sp[0], cs + sp[1]), "label", "table_status_column")
            out.append(item)
    return out


def _notice(text: Text, c: _Compiled, chains: list[_Chain]) -> bool:
    """A page whose top-level sections are field headings (整改目标, 整改措施, 整改时限 …) is one problem's
    notice: 督察 task and 销号 notices."""
    folded = text.folded
    hits = 0
    for ch in chains:
        if ch.parent is not None or not ch.occs[0].line_start:
            continue
        hits = max(hits, sum(bool(c.notice_field.match(folded, t[0], t[1] + 1)) for t in ch.titles))
    if hits >= 2:
        return True
    # 验收销号 notices that run each field into its text ("一、整改任务秸秆禁烧… 二、整改目标全县… 四、验收意见已
    # 完成整改"): three such headings, and the page's top-level sections are nothing else
    for ch in chains:
        if ch.parent is not None or not ch.occs[0].line_start or len(ch.occs) < 3:
            continue
        run_in = sum(bool(c.field_run_in.match(folded, t[0], t[1] + 1)) for t in ch.titles)
        if run_in >= 3 and run_in * 4 >= len(ch.occs) * 3:
            return True
    # or labelled lines, each field once (a bulletin of many problems repeats 整改情况：… for every one)
    names = [m.group().rstrip(" :") for ps, pe in text.paragraphs()
             if (m := c.notice_field.match(folded, *strip_span(folded, ps, pe)))]
    return len(set(names)) >= 3 and len(names) == len(set(names))


def _quoted_problem(text: Text, rules: Rules, c: _Compiled) -> list[SkelItem]:
    """A notice whose problem is only quoted where its account cites the feedback ("整改情况：…反馈问题第二十七项
    指出，“X”问题，…"): the quoted words are the item; a 问题编号 field numbers it."""
    folded = text.folded
    m = c.quoted_problem.search(folded)
    if m is None:
        return []
    s, e = strip_span(folded, m.start("t"), m.end("t"))
    if e - s < 4:
        return []
    end = strip_span(folded, 0, len(folded))[1]
    item = SkelItem(kind="problem", id="1", number=None, span=(m.start(), end), title_span=(s, e))
    num = c.problem_number.search(folded)
    if num:
        item.number = folded[num.start("num") : num.end("num")].strip()
    item.origin = {"item": "rule", "title": "rule"}
    item.decided_by = {"item": "quoted_problem"}
    item.proposer = "lists"
    return [item]


def _notice_status(text: Text, rules: Rules, c: _Compiled, item: SkelItem) -> None:
    """A notice states its problem's status in a field (问题解决情况 / 整改结论) or says of itself that it
    finished the problem ("已完成…第11项问题整改，拟申请验收销号")."""
    g = grammar(rules)
    folded = text.folded
    paras = text.paragraphs()
    occ_title = regex.compile(r"\s*(?:[一二三四五六七八九十]{1,3}、|\(?[一二三四五六七八九十\d]{1,3}[).、])?\s*")
    for pi, (ps, pe) in enumerate(paras):
        lead = ps + occ_title.match(folded, ps, pe).end() - ps
        m = c.status_field.match(folded, lead, pe)
        if not m and lead > ps:  # under a heading marker the field may run into its value ("四、验收意见已完成整改")
            m = c.status_run_in.match(folded, lead, pe)
        if not m:
            continue
        vs = m.end()
        value = folded[vs:pe].strip(" :")
        if not value and pi + 1 < len(paras):
            vs, pe2 = paras[pi + 1]
            value = folded[vs:pe2].strip()
        stop = min((i for i in (value.find(x) for x in ",;。") if i >= 0), default=len(value))
        clause = value[:stop]
        code, grade, sp = status_of(g, clause)
        short = len(clause) <= rules.items.thresholds.notice_status_max and code != "in_progress"
        if code and sp is not None and (short or clause.startswith(tuple(rules.items.notice_status_subjects))):
            off = folded.find(clause, vs)
            _set_status(item, code, grade, (off + sp[0], off + sp[1]), "label")
            return
    m = c.notice_done.search(folded)
    if m:
        code, grade, sp = status_of(g, m.group())
        if code and sp is not None:
            _set_status(item, code, grade, (m.start() + sp[0], m.start() + sp[1]), "body")


def _cut_off(folded: str, ch: _Chain, i: int, stub_ratio: int) -> bool:
    """Does the text end inside entry ``i``'s title, unpunctuated where its siblings close with punctuation (a
    page truncated mid-sentence, not a list written without full stops)?"""
    s, e = ch.titles[i]
    if folded[e:].strip(" \n\t\ufffd") or folded[s:e].rstrip()[-1:] in "。.;!?)\"'":
        return False
    if all(folded[a:b].rstrip(" \n\t")[-1:] in "。.;!?" for a, b in zip(
            (o.start for o in ch.occs[:i]), ch.ends[:i], strict=True)):
        return True
    # a list written without full stops: the last title is cut when it is a stub of its siblings ("3、未设置"
    # after "1、三义街便民广场电动车乱停乱放", the page's last characters)
    lengths = sorted(len(folded[a:b].strip()) for a, b in ch.titles[:i])
    return bool(lengths) and (e - s) * stub_ratio < lengths[len(lengths) // 2]


def _unique_ids(items: list[SkelItem]) -> None:
    """Ids are paths of numbers ("2.1": the second unit's first hazard). Lists with no numbered unit above them
    (hazards under unnumbered shop names, dash lines, table rows) would repeat "1", "2"…: those are numbered
    by their place in the document instead."""
    ids = [i.id for i in items]
    if len(set(ids)) == len(ids):
        return
    for n, it in enumerate((i for i in items if not i.path), 1):
        it.id = str(n)
    seen: dict[str, int] = {}
    for it in items:
        if it.id in seen:
            seen[it.id] += 1
            it.id = f"{it.id}~{seen[it.id]}"
        else:
            seen[it.id] = 1


def _covering_status(text: Text, rules: Rules, c: _Compiled, items: list[SkelItem]) -> None:
    """A closing sentence that covers every listed item ("以上火灾隐患已经现场整改完毕") gives each item
    without a status of its own that status."""
    if not items:
        return
    g = grammar(rules)
    folded = text.folded
    last_item = max(items, key=lambda i: i.span[0])
    last = last_item.title_span[1]
    for m in regex.finditer(r"[^。\n]+", folded[last : max(last_item.span[1], last) + 300]):
        sentence = m.group().strip()
        cm = c.covering.match(sentence)
        if not cm:
            continue
        code, grade, sp = status_of(g, cm.group())
        if not code or sp is None:
            continue
        s = last + m.start() + (len(m.group()) - len(m.group().lstrip()))
        if s < last_item.span[1]:  # the sentence closes the list, not the last item's account
            last_item.span = strip_span(folded, last_item.span[0], s)
            if "actions" in last_item.fields:
                a, b = last_item.fields["actions"]
                if a >= s:
                    del last_item.fields["actions"]
                else:
                    last_item.fields["actions"] = strip_span(folded, a, min(b, s))
        for it in items:
            if it.status_code is None:
                _set_status(it, code, grade, (s + sp[0], s + sp[1]), "closing", "covering_sentence")
                it.origin["status"] = "rule"
        return


def _reference_status(text: Text, rules: Rules, items: list[SkelItem]) -> None:
    """Statuses given by reference: "第一项、第二项问题已整改完成，第三项问题正在持续整改"."""
    if len(items) < 2:
        return
    g = grammar(rules)
    folded = text.folded
    by_value: dict[int, list[SkelItem]] = {}
    for pos, it in enumerate(items, 1):
        v = numeral_value(it.number) if it.number else None
        by_value.setdefault(v if v is not None else pos, []).append(it)
    inside = [(it.span[0], it.title_span[1]) for it in items]
    c = _compile(rules)
    for m in c.reference_run.finditer(folded):
        if any(a <= m.start() < b for a, b in inside):
            continue
        code, grade, sp = status_of(g, m.group("rest"))
        if not code or sp is None:
            continue
        st = (m.start("rest") + sp[0], m.start("rest") + sp[1])
        for ref in c.reference.finditer(folded, m.start(), m.start("rest")):
            for it in by_value.get(numeral_value(ref.group("n")) or -1, []):
                if it.status_code is None:
                    _set_status(it, code, grade, st, "closing", "status_by_reference")


def propose(text: Text, rules: Rules, skeleton: Skeleton) -> Proposal:
    """Items this layer finds beside the grammar's ``skeleton``, with the rule that decided each."""
    c = _compile(rules)
    end = len(text.text) if skeleton.closing_start is None else skeleton.closing_start
    chains = _chains([o for o in _occurrences(text, c) if o.start < end])
    _extents(text, chains, end, rules.items.thresholds.heading_line_max, rules.items.thresholds.title_sentence_max)
    _decide(text, rules, c, chains, [i.span[0] for i in skeleton.items])
    notice = _notice(text, c, chains)
    if notice:
        titles = tuple(rules.metadata.title_endings)
        items = [it for it in _label_items(text, rules, c, chains, [], notice=True)
                 if not text.folded[it.title_span[0] : it.title_span[1]].endswith(titles)][:1]
        if not items:  # the problem only quoted in an account: "…第二十七项指出，“X”问题，我县…"
            items = _quoted_problem(text, rules, c)
        for it in items:
            _notice_status(text, rules, c, it)
            it.decided_by["item"] = "notice_problem"
        return Proposal(items, notice=True)
    items = _chain_items(text, rules, chains)
    vetoed = {o.start for ch in chains if ch.cue == "questions" for o in ch.occs}
    taken = [i.span for i in items]
    items += _units_with_one_finding(text, rules, chains, _label_items(text, rules, c, chains, taken, notice=False))
    taken = [i.span for i in items]
    items += [d for d in _dash_items(text, rules, c) if not any(a <= d.span[0] < b for a, b in taken)]
    taken = [i.span for i in items]
    items += [r for r in _reported_items(text, rules, c) if not any(a <= r.span[0] < b for a, b in taken)]
    if not items and not skeleton.items:
        items = _published_problem(text, rules, c)
    taken = [i.span for i in items]
    items += [t for t in _table_items(text, rules, c) if not any(a <= t.span[0] < b for a, b in taken)]
    items.sort(key=lambda i: i.span[0])
    _unique_ids(items)
    _covering_status(text, rules, c, items)
    _reference_status(text, rules, items)
    return Proposal(items, vetoed=vetoed, field_title=c.notice_field)


# --------------------------------------------------------------------------- one decision with the grammar


def _confirmed(item: SkelItem) -> bool:
    """A grammar item backed by more than its heading's wording: a status, a labelled field, a 关于 wrapper."""
    return item.status_code is not None or bool(item.label_spans) or item.parent_title_span is not None


def merge(skeleton: Skeleton, proposal: Proposal) -> Skeleton:
    """The grammar's items and this layer's, as one list.

    A notice keeps its one problem. Otherwise the grammar's item stands where both see the same heading; a
    grammar item that holds two or more of this layer's items was a category (a place, a 类) and gives way
    to them, as does one with nothing to confirm it that holds any; this layer adds the items the grammar
    did not see.
    """
    if proposal.notice and proposal.items:
        skeleton.items = proposal.items
        return _region(skeleton)
    if proposal.vetoed:
        skeleton.items = [gi for gi in skeleton.items if _confirmed(gi) or gi.span[0] not in proposal.vetoed]
    mine = proposal.items
    if not mine:
        return _region(skeleton)
    out: list[SkelItem] = []
    used: set[int] = set()
    for gi in skeleton.items:
        inner = [i for i, li in enumerate(mine) if gi.span[0] < li.span[0] < gi.span[1]
                 and li.span[0] >= gi.title_span[1]]
        same = [i for i, li in enumerate(mine) if li.span[0] == gi.span[0]]
        if inner and (not _confirmed(gi) or _field_title(skeleton.text, proposal, gi)):
            used.update(inner)
            used.update(same)
            out.extend(mine[i] for i in inner)
            continue
        used.update(same)
        used.update(inner)
        out.append(gi)
    groups = {h.start for gi in skeleton.items for h in gi.path}
    for i, li in enumerate(mine):
        if li.span[0] in groups or any(li.span[0] < gi.span[0] < li.span[1] for gi in skeleton.items):
            continue  # a section or group above the grammar's items, not an item of its own
        if i in used or any(o.span[0] <= li.span[0] < o.span[1] or li.span[0] <= o.span[0] < li.span[1] for o in out):
            continue
        out.append(li)
    out.sort(key=lambda i: i.span[0])
    skeleton.items = _dedupe(skeleton.text, out)
    _unique_ids(skeleton.items)
    return _region(skeleton)


def _field_title(text: Text, proposal: Proposal, gi: SkelItem) -> bool:
    """A grammar item titled by a field name ("二、整改情况") is the field of the problem inside it."""
    return bool(proposal.field_title.fullmatch(text.folded, *gi.title_span)) if proposal.field_title else False


def _dedupe(text: Text, items: list[SkelItem]) -> list[SkelItem]:
    """Drop an item that restates an earlier one: its heading quotes the earlier title's first characters
    ("(四)关于《审计报告》中提出“扩大开支范围”的问题…" after "(四)扩大开支范围"). Only items of this layer, or
    grammar items whose heading is a 关于 wrapper, are judged restatements: the grammar's own items stand."""
    folded = text.folded
    out: list[SkelItem] = []
    for it in items:
        heading = folded[it.span[0] : it.title_span[1]]
        wrapper = "关于" in folded[max(it.span[0], it.title_span[0] - 2) : it.title_span[0] + 4]
        if it.proposer == "lists" or wrapper:
            title = folded[it.title_span[0] : it.title_span[1]]
            heads = [folded[o.title_span[0] : min(o.title_span[1], o.title_span[0] + 8)] for o in out]
            if any(len(h) >= 5 and '"' + h in heading for h in heads):
                continue  # quoted inside a later heading
            if any(folded[o.title_span[0] : o.title_span[1]] == title and o.number == it.number
                   and o.category_span == it.category_span for o in out):
                continue  # the page printed the same problem twice (same number, same words, same unit)
        out.append(it)
    return out


def _region(skeleton: Skeleton) -> Skeleton:
    items = skeleton.items
    skeleton.item_region = (items[0].span[0], max(i.span[1] for i in items)) if items else None
    return skeleton
