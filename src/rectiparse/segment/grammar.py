"""The rule segmenter: the GB/T 9704 heading grammar plus the phrases of rectification bulletins.

How it decides, in order:

1. Numbered paragraphs are headings. Nesting follows the order in which marker styles appear (a stack:
   a style already open closes everything below it), so ``（一）`` under ``一、`` and a bulletin that
   starts at ``1.`` both nest right without a fixed level table.
2. A heading is an *item candidate* when its title reads like a problem (``关于“X”问题``,
   ``关于“X”中的“Y”问题``, ``…的问题``, ``反馈问题：X``), an audit suggestion, or a task under a task
   section (``三、工作任务``). Sections about the organisation of the work, next steps, safeguards etc.
   never hold items.
3. A candidate that contains other candidates is a *group*: its title becomes the items' category, and a
   status phrase in it (``（一）已整改完成的问题``) their default status.

The grammar proposes; it builds no item. Each candidate goes to the decoder (``segment.decode``) as an
``ItemRole`` with the rule that made it one, and the decoder reads its fields, status and measures — the same
builder the block-role model's proposals go through.

All matching runs on ``Text.folded`` (punctuation unified, same length), so every span is valid in the
text as written.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from rectiparse.normalise import Text
from rectiparse.numerals import numeral_value
from rectiparse.rules import DECODER_WORDS, Rules, alternation, per_rules
from rectiparse.segment import Candidate, Heading, ItemRole, Skeleton, Span

_SENTENCE_END = "。!?！？"
_OPEN = "“‘(（《[【〔\"'"
_CLOSE = "”’)）》]】〕\"'"


# --------------------------------------------------------------------------- compiled grammar


@dataclass
class Grammar:
    markers: list[tuple[str, regex.Pattern[str]]]
    item_markers: set[str]
    problems: list[tuple[regex.Pattern[str], str]]
    suggestion: regex.Pattern[str]
    group_label: regex.Pattern[str]
    status: regex.Pattern[str]
    status_suffix: regex.Pattern[str]
    final_status: regex.Pattern[str]
    status_prefix: regex.Pattern[str]
    status_codes: dict[str, str]
    status_patterns: list[tuple[regex.Pattern[str], str]]
    grade: regex.Pattern[str]
    grades: dict[str, str]
    labels: regex.Pattern[str]
    label_fields: dict[str, str]
    label_start: regex.Pattern[str]
    measures: list[regex.Pattern[str]]
    closing: regex.Pattern[str]
    date_line: regex.Pattern[str]
    task_containers: regex.Pattern[str]
    collective: regex.Pattern[str]
    containers: regex.Pattern[str]
    non_item: regex.Pattern[str]
    # the words read around headings (rules/headings.yaml) and the limits that go with them (rules/items.yaml)
    about: regex.Pattern[str]
    status_group_rest: regex.Pattern[str]
    status_subject: regex.Pattern[str]
    closing_words: regex.Pattern[str]
    tally_after_status: regex.Pattern[str]
    status_not_group: regex.Pattern[str]
    tally_title: regex.Pattern[str]
    unknown_status: regex.Pattern[str]
    container_tail: regex.Pattern[str]
    generic_topic: regex.Pattern[str]
    topic_nouns: regex.Pattern[str]
    aspect_tail: regex.Pattern[str]
    unknown_label: regex.Pattern[str]
    group_nouns: regex.Pattern[str]
    status_clause_max: int
    opening_sentence_max: int
    status_line_max: int


def _is_regex_phrase(phrase: str) -> bool:
    return len(phrase) > 2 and phrase.startswith("/") and phrase.endswith("/")


def _phrasealternation(phrases: list[str]) -> str:
    """Literal phrases longest first, then the ``/regex/`` ones (rules/status.yaml allows both)."""
    literal = [p for p in phrases if not _is_regex_phrase(p)]
    patterns = [p[1:-1] for p in phrases if _is_regex_phrase(p)]
    parts = [alternation(literal)] if literal else []
    parts += [f"(?:{p})" for p in patterns]
    return "|".join(parts)


def _compile_grammar(rules: Rules) -> Grammar:
    h = rules.headings
    from rectiparse.normalise import fold

    phrase_code: dict[str, str] = {}
    regex_codes: list[tuple[regex.Pattern[str], str]] = []
    for code, phrases in rules.status.codes.items():
        for p in phrases:
            if _is_regex_phrase(p):
                regex_codes.append((regex.compile(p[1:-1]), code))
            else:  # matching runs on folded text: "未完成整改，正在推进" must be written as folded too
                phrase_code.setdefault(fold(p), code)
    regex_phrases = [f"/{pat.pattern}/" for pat, _ in regex_codes]
    status_alt = _phrasealternation([*phrase_code, *regex_phrases])
    grade_of: dict[str, str] = {}
    for grade, spellings in rules.status.grades.items():
        for s in spellings:
            grade_of[s] = grade
    label_alt = alternation(list(rules.labels.labels))
    return Grammar(
        markers=[(m.name, regex.compile(r"^\s*(?:" + m.pattern + r")\s*")) for m in h.markers],
        item_markers={m.name for m in h.markers if m.item},
        problems=[
            (regex.compile(p.pattern.replace("{tail}", h.problem_tail)), p.strength) for p in h.problem_patterns
        ],
        suggestion=regex.compile("|".join(f"(?:{p})" for p in h.suggestion_patterns)),
        group_label=regex.compile("^(?:" + "|".join(h.group_labels) + ")"),
        status=regex.compile(f"(?:{rules.status.grade_pattern})|(?:{status_alt})"),
        status_suffix=regex.compile(
            r"(?:[,;:]|\(|-{1,2}|——)\s*(?:(?:" + h.status_suffix_label + r")\s*[:]?\s*)?(?P<st>(?:"
            + rules.status.grade_pattern
            + f")|(?:{status_alt}))\\s*\\)?\\s*[.。]?\\s*$"
        ),
        status_prefix=regex.compile(
            r"^\s*\[\s*(?P<st>(?:" + rules.status.grade_pattern + f")|(?:{status_alt}))\\s*\\]\\s*"
        ),
        final_status=regex.compile(
            "(?:" + _phrasealternation([*(p for p in phrase_code if len(p) >= 4), *regex_phrases]) + ")"
        ),
        status_codes=phrase_code,
        status_patterns=regex_codes,
        grade=regex.compile(rules.status.grade_pattern),
        grades=grade_of,
        # a label opens a sentence, possibly behind its own marker: "（二）整改措施：…"; or it stands alone on
        # its line, the text on the lines below ("整改措施\n1.…", a layout many web editors produce)
        # A label may carry a count ("整改措施（共3项）：") or stand in brackets, colon or not ("【整改措施】…").
        labels=regex.compile(
            r"(?:^|(?<=[。;!?\n]))[ \t]*(?:[(]?[一二三四五六七八九十\d]{1,3}[)、.]\s*)?(?:\[\s*(?P<label>"
            + label_alt
            + r")\s*\][ \t]*[:]?\s*|(?P<label>"
            + label_alt
            + r")(?:\s*\([^()\n]{0,12}\))?(?:[ \t]*[:]\s*|[ \t]*(?=\n)))"
        ),
        label_start=regex.compile(
            r"\s*(?:\[\s*(?:" + label_alt + r")\s*\]|(?:" + label_alt + r")(?:\s*\([^()\n]{0,12}\))?\s*(?:[:]|$))"
        ),
        label_fields=dict(rules.labels.labels),
        measures=[
            regex.compile(r"(?:^|(?<=" + h.measure_left_context + r"))(?P<m>(?:" + p + r"))")
            for p in h.measure_markers
        ],
        closing=regex.compile("|".join(f"(?:{p})" for p in h.closing_patterns)),
        date_line=regex.compile(h.date_line),
        task_containers=regex.compile(alternation(h.task_containers)),
        collective=regex.compile("|".join(f"(?:{p})" for p in h.collective_sections) or "(?!)"),
        containers=regex.compile(alternation(h.container_keywords)),
        non_item=regex.compile(alternation(h.non_item_sections)),
        **{name: regex.compile(getattr(h, name)) for name in DECODER_WORDS},
        status_clause_max=rules.items.thresholds.status_clause_max,
        opening_sentence_max=rules.items.thresholds.opening_sentence_max,
        status_line_max=rules.items.thresholds.status_line_max,
    )


def grammar(rules: Rules) -> Grammar:
    """The compiled grammar for a rules object (rules are immutable, so compile once per object)."""
    return per_rules(rules, "grammar", _compile_grammar)


# --------------------------------------------------------------------------- status words


def status_of(g: Grammar, s: str) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """(code, grade, span-in-s) of the first status phrase in ``s`` (longest phrase wins)."""
    m = g.status.search(s)
    if not m:
        return None, None, None
    word = m.group()
    gm = g.grade.match(word)
    if gm and gm.group("grade"):
        return "long_term", g.grades.get(gm.group("grade")), m.span()
    code = g.status_codes.get(word)
    if code is None:  # a /regex/ phrase of the vocabulary
        code = next((c for pat, c in g.status_patterns if pat.fullmatch(word)), None)
    if code is None and gm:  # the grade pattern matched without its grade
        code = "long_term"
    return code, None, m.span()


# --------------------------------------------------------------------------- headings


def title_end(folded: str, start: int, end: int) -> int:
    """End of a heading's title: the first full stop outside brackets and quotes, when body text follows it.

    Folding makes “ and ” the same character, so a double quote toggles: a quoted problem that holds whole
    sentences (关于“计划性不强。全年仅学习4次”问题的整改情况) stays one title.
    """
    depth = 0
    quoted = False
    for i in range(start, end):
        c = folded[i]
        if c == '"':
            quoted = not quoted
        elif c in "“‘(（《[【〔":
            depth += 1
        elif c in "”’)）》]】〕":
            depth = max(0, depth - 1)
        elif c in _SENTENCE_END and depth == 0 and not quoted:
            rest = folded[i + 1 : end].strip()
            return i if rest else end
    if quoted:  # an unclosed quote: fall back to the first full stop outside brackets
        return title_end(folded.replace('"', " "), start, end) if '"' in folded[start:end] else end
    return end


def strip_span(s: str, start: int, end: int, chars: str = " \t\n.。;；,，:：") -> tuple[int, int]:
    while start < end and s[start] in chars:
        start += 1
    while end > start and s[end - 1] in chars:
        end -= 1
    return start, end


def find_headings(text: Text, g: Grammar, limit: int) -> list[Heading]:
    folded = text.folded
    out: list[Heading] = []
    for ps, pe in text.paragraphs():
        if ps >= limit:
            break
        line = folded[ps:pe]
        for name, pat in g.markers:
            m = pat.match(line)
            if not m:
                continue
            ms, me = ps + m.start(), ps + m.end()
            if me >= pe:  # a bare marker is not a heading
                break
            num = m.group("num")
            te = title_end(folded, me, pe)
            ts, te = strip_span(folded, me, te)
            if te <= ts:
                break
            mark_s, mark_e = strip_span(folded, ms, me, " \t")
            out.append(
                Heading(
                    start=ps, end=pe, marker=name, marker_span=(mark_s, mark_e), number=num,
                    title_span=(ts, te),
                )
            )
            break
        else:
            group = _status_group_line(g, folded, ps, pe)
            if group is not None:
                out.append(Heading(start=ps, end=pe, marker="status_line", marker_span=(group[0], group[0]),
                                   number="", title_span=group))
    return out


def _status_group_line(g: Grammar, folded: str, ps: int, pe: int) -> Span | None:
    """An unnumbered line that heads a status group: "已完成整改的问题：", "正在推进整改的问题（2个）"."""
    s, e = strip_span(folded, ps, pe, " \t")
    if not 0 < e - s <= g.status_line_max:
        return None
    m = g.status.match(folded, s, e)
    if m is None or not g.status_group_rest.fullmatch(folded, m.end(), e):
        return None
    return strip_span(folded, s, e, " \t:")


def mark_restarted_runs(text: Text, g: Grammar, headings: list[Heading]) -> None:
    """A numbering style that restarts at 1 right under a heading of the same style is one level deeper.

    "6.机关党支部组织生活不规范。\n整改措施：\n1.修订计划。\n2.建立台账。\n7.…": the 1. and 2. are the
    measures of item 6, not items of their own. The restarted run gets a style of its own (``arabic_dot+``)
    until the outer count resumes, so the stack nests it. It takes a bare label line right before the 1.;
    a restart after a heading of another style ("（二）…\n1.…") is an ordinary new list.
    """
    folded = text.folded
    for i in range(1, len(headings)):
        h, prev = headings[i], headings[i - 1]
        if h.marker != prev.marker or numeral_value(h.number) != 1 or numeral_value(prev.number) is None:
            continue
        # only right after a bare label line ("整改措施：" alone): an unnumbered group line such as
        # "正在整改的问题：" before a restarted list is not a label, and that list stays a list of items
        cut = folded.rfind("\n", prev.end, h.start - 1)
        last = folded[max(cut + 1, prev.title_span[1]) : h.start].strip()
        lab = g.label_start.match(last)
        if not last or lab is None or last[lab.end() :].strip(" :"):
            continue
        outer_style = h.marker
        inner = outer_style + "+"
        expected = 1
        for later in headings[i:]:
            if later.marker != outer_style or numeral_value(later.number) != expected:
                break
            later.marker = inner
            expected += 1


def build_tree(headings: list[Heading], doc_end: int) -> list[Heading]:
    roots: list[Heading] = []
    stack: list[Heading] = []
    for h in headings:
        same = [i for i, s in enumerate(stack) if s.marker == h.marker]
        if same:
            del stack[same[-1] :]
        h.parent = stack[-1] if stack else None
        h.level = len(stack) + 1
        (h.parent.children if h.parent else roots).append(h)
        stack.append(h)
    for i, h in enumerate(headings):
        h.node_end = doc_end
        for later in headings[i + 1 :]:
            if later.level <= h.level:
                h.node_end = later.start
                break
        h.node_end = max(h.node_end, h.end) if h.node_end > h.start else doc_end
    return roots


def closing_start(text: Text, g: Grammar, after: int) -> int | None:
    """Where the closing boilerplate begins: after the last heading, the first 下一步/欢迎/date line."""
    paras = [p for p in text.paragraphs() if p[0] > after]
    folded = text.folded
    for idx, (ps, pe) in enumerate(paras):
        line = folded[ps:pe].strip()
        if g.closing.search(line):
            return ps
        if g.date_line.match(line):
            # the signature line(s) right before the date belong to the closing too
            if idx > 0:
                prev_s, prev_e = paras[idx - 1]
                prev = folded[prev_s:prev_e].strip()
                if len(prev) <= 40 and not any(c in prev for c in "。,;"):
                    return prev_s
            return ps
    return None


# --------------------------------------------------------------------------- items


def classify(text: Text, g: Grammar, h: Heading, under_tasks: bool) -> Candidate | None:
    folded = text.folded
    ts, te = h.title_span
    # a trailing status clause: "…问题，已完成整改。"
    status_span = None
    sm = g.status_suffix.search(folded, ts, te)
    core_end = te
    if sm:
        status_span = sm.span("st")
        core_end = strip_span(folded, ts, sm.start())[1]
    core = folded[ts:core_end]
    pm = g.status_prefix.match(core) if not sm else None
    if pm:  # "【已完成】关于…问题"
        status_span = (ts + pm.start("st"), ts + pm.end("st"))
        ts = strip_span(folded, ts + pm.end(), core_end)[0]
        core = folded[ts:core_end]
    if not sm and not pm:
        # "关于“X”问题，已清零。": a trailing clause after the problem words is a status, even one
        # the vocabulary does not know (validation then reports it as unknown_status)
        um = g.unknown_status.match(core)
        if um:
            status_span = strip_span(folded, ts + um.start("st"), ts + um.end("st"))
            core_end = ts + um.end("core")
            core = folded[ts:core_end]
    is_group_label = bool(g.group_label.match(core))
    for pat, strength in g.problems:
        m = pat.match(core)
        if not m:
            continue
        t_s, t_e = strip_span(folded, ts + m.start("title"), ts + m.end("title"), " \t")
        if t_e - t_s < 2:
            continue
        title = folded[t_s:t_e]
        _code, _, sp = status_of(g, title)
        if sp and sp[1] - sp[0] >= len(title) - 2 and not g.about.match(title):
            return None  # "已整改完成的问题": a status group heading, not a problem
        parent = None
        if "parent" in m.groupdict() and m.group("parent"):
            parent = strip_span(folded, ts + m.start("parent"), ts + m.end("parent"), " \t")
        kind = "suggestion" if g.suggestion.search(core) else "problem"
        return Candidate(h, kind, strength, (t_s, t_e), parent, status_span, is_group_label,
                         rule="suggestion_heading" if kind == "suggestion" else "problem_heading")
    title_span = strip_span(folded, ts, core_end)
    if g.suggestion.search(core) and g.about.match(core):
        return Candidate(h, "suggestion", "strong", title_span, None, status_span, rule="suggestion_heading")
    if under_tasks:
        return Candidate(h, "task", "weak", title_span, None, status_span, rule="task_in_task_section")
    if h.marker in g.item_markers:  # "问题一：…", "【问题二】…"
        return Candidate(h, "problem", "strong", title_span, None, status_span, rule="item_marker")
    if opening_status(text, g, h) is not None:
        # "（一）部分污水处理厂进水浓度偏低。\n该问题已完成整改。一是…": the body opens by stating the status
        return Candidate(h, "problem", "strong", title_span, None, status_span, by_labels=True,
                         rule="status_opens_body")
    if _has_item_labels(text, g, h):
        # a heading whose own text carries 整改情况：/整改结果：/审计意见： labels
        return Candidate(h, "problem", "strong", title_span, None, status_span, by_labels=True,
                         rule="item_labels_in_body")
    return None


_ITEM_FIELDS = {"actions", "status", "opinion", "next_steps"}


def _has_item_labels(text: Text, g: Grammar, h: Heading) -> bool:
    """Does the heading's own body (before any sub-heading) hold an item field label?"""
    if _is_non_item(text, g, h):
        return False
    end = h.children[0].start if h.children else h.node_end
    return any(g.label_fields[m.group("label")] in _ITEM_FIELDS for m in g.labels.finditer(text.folded, h.title_span[1], end))


def opening_status(text: Text, g: Grammar, h: Heading) -> Span | None:
    """The status phrase of a short first body sentence that states it: "该问题已完成整改。", "此项正在整改中。"."""
    folded = text.folded
    end = h.children[0].start if h.children else h.node_end
    s = strip_span(folded, h.title_span[1], end)[0]
    if s >= end or _is_non_item(text, g, h):
        return None
    stop = min((i for i in (folded.find(c, s, end) for c in "。;\n") if i >= 0), default=end)
    sentence = folded[s:stop]
    if not 0 < len(sentence) <= g.opening_sentence_max or not g.status_subject.match(sentence):
        return None
    m = g.final_status.search(folded, s, stop)
    return m.span() if m else None


def _is_non_item(text: Text, g: Grammar, h: Heading) -> bool:
    return bool(g.non_item.search(text.folded, *h.title_span))


def _walk(nodes: list[Heading]) -> list[Heading]:
    out: list[Heading] = []
    for n in nodes:
        out.append(n)
        out.extend(_walk(n.children))
    return out


def find_candidates(text: Text, g: Grammar, roots: list[Heading]) -> dict[int, Candidate]:
    """Item candidates keyed by id(heading); groups are removed later."""
    cands: dict[int, Candidate] = {}

    def visit(nodes: list[Heading], blocked: bool, under_tasks: bool, strong: Heading | None,
              item_above: Heading | None) -> None:
        for h in nodes:
            cand = None if blocked else classify(text, g, h, under_tasks)
            if cand is not None and strong is not None and cand.strength == "weak":
                cand = None  # a "…问题" or "存在问题：…" sub-heading inside a 关于…问题 item is part of it
            if (cand is not None and item_above is not None and cand.by_labels
                    and _label_between(g, text, item_above, h)):
                # "整改措施：\n1.…\n2.…。\n整改进展：…": numbered measures under a problem's label, the last of
                # which runs into the next label; a problem's own sub-problems follow its title directly
                cand = None
            non_item = cand is None and _is_non_item(text, g, h)
            if cand is not None:
                cands[id(h)] = cand
            is_task_container = bool(g.task_containers.search(text.folded, *h.title_span)) and cand is None
            visit(
                h.children,
                blocked or non_item,
                is_task_container,
                strong if strong is not None or cand is None or cand.strength != "strong" or cand.group_label
                else h,
                h if cand is not None else item_above,
            )

    visit(roots, False, False, None, None)
    _open_collective_sections(text, g, roots, cands)
    _promote_siblings(text, g, roots, cands)
    return cands


def _open_collective_sections(text: Text, g: Grammar, roots: list[Heading], cands: dict[int, Candidate]) -> None:
    """"二、财政管理审计查出问题的整改情况" over "1.部分预算编制不细化。市财政局已…" paragraphs: an audit report
    words its problems as plain findings, so the paragraphs are the items, not measures of the section."""
    folded = text.folded
    for h in _walk(roots):
        cand = cands.get(id(h))
        if cand is None or cand.strength != "weak" or not g.collective.search(folded, *h.title_span):
            continue
        kids = [k for k in h.children if not _is_non_item(text, g, k)]
        if not kids or len({k.marker for k in kids}) != 1:
            continue
        if any(id(d) in cands for d in _walk(kids)) or _label_between(g, text, h, kids[0]):
            continue
        # "二、审计查出问题的整改情况" > "（一）财政管理审计整改情况" > "1.…方面，应整改问题共6个…": sections by
        # audited field, each a container over the findings; the findings are the items, the fields their groups
        grand = [c for k in kids for c in k.children if not _is_non_item(text, g, c)]
        if (grand and all(k.children and g.containers.search(folded, *k.title_span) for k in kids)
                and len({c.marker for c in grand}) == 1 and not any(_label_between(g, text, k, k.children[0])
                                                                     for k in kids)):
            kids = grand
        del cands[id(h)]
        for k in kids:
            cands[id(k)] = Candidate(k, "problem", "weak", strip_span(folded, *k.title_span), None, None,
                                     rule="paragraph_of_collective_section")


def _label_between(g: Grammar, text: Text, outer: Heading, h: Heading) -> bool:
    """Does the outer heading's own body, before its first sub-heading, hold a field label?"""
    first = outer.children[0].start if outer.children else h.start
    return g.labels.search(text.folded, outer.title_span[1], min(first, h.start)) is not None


def _promote_siblings(text: Text, g: Grammar, roots: list[Heading], cands: dict[int, Candidate]) -> None:
    """Where most same-style siblings are problems, a sibling without the word 问题 is one too."""
    def visit(nodes: list[Heading]) -> None:
        by_marker: dict[str, list[Heading]] = {}
        for n in nodes:
            by_marker.setdefault(n.marker, []).append(n)
        for group in by_marker.values():
            hits = [n for n in group if id(n) in cands and cands[id(n)].kind == "problem"]
            if len(hits) >= 2 and len(hits) * 2 >= len(group):
                leaves = [n for n in hits if not any(id(d) in cands for d in _walk(n.children))]
                # problem sections that hold items ("二、…问题的整改情况") vouch only for the siblings after
                # the first of them: the account that precedes the list ("一、审计整改工作总体推进情况")
                # is not a problem
                first_group = min((i for i, n in enumerate(group) if n in hits and n not in leaves),
                                  default=len(group))
                for i, n in enumerate(group):
                    if id(n) in cands or _is_non_item(text, g, n):
                        continue
                    if not leaves and i < first_group:
                        continue
                    if any(id(d) in cands for d in _walk(n.children)):
                        continue
                    ts, te = n.title_span
                    cands[id(n)] = Candidate(n, "problem", "weak", (ts, te), None, None, rule="sibling_of_problems")
        for n in nodes:
            visit(n.children)

    visit(roots)


# --------------------------------------------------------------------------- status-only spans


def only_status(g: Grammar, folded: str, start: int, end: int) -> bool:
    """Is folded[start:end] nothing but a status phrase ("已整改。", "整改进展：已完成" after its label)?"""
    s, e = strip_span(folded, start, end)
    if not 0 < e - s <= g.status_clause_max:
        return False
    _c, _g, sp = status_of(g, folded[s:e])
    return bool(sp and sp[1] - sp[0] >= (e - s) - 2)


# --------------------------------------------------------------------------- the grammar's proposal


def propose(text: Text, rules: Rules) -> tuple[Skeleton, list[ItemRole]]:
    """The section tree (a skeleton without items) and the headings the grammar reads as items, each with the
    enclosing headings it stands under; ``segment.decode`` builds the items."""
    g = grammar(rules)
    doc_end = len(text.text)
    headings = find_headings(text, g, doc_end)
    last_heading = headings[-1].start if headings else 0
    close = closing_start(text, g, last_heading) if headings else None
    end = close if close is not None else doc_end
    mark_restarted_runs(text, g, headings)
    roots = build_tree(headings, end)
    cands = find_candidates(text, g, roots)
    roles: list[ItemRole] = []

    def visit(nodes: list[Heading], groups: list[tuple[Heading, Candidate | None]]) -> None:
        for h in nodes:
            cand = cands.get(id(h))
            has_inner = any(id(d) in cands for d in _walk(h.children))
            if cand is not None and not has_inner:
                roles.append(ItemRole(cand, groups, index=len(roles)))
                continue
            visit(h.children, [*groups, (h, cand)] if has_inner else groups)

    visit(roots, [])
    return Skeleton(text=text, headings=roots, items=[], closing_start=close), roles
