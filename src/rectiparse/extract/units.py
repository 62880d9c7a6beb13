"""Responsible units: ``(责任单位：市发改局、经济开发区，协同单位：…)`` → lead and co-operating units.

Plans and bulletins name units in labelled lists, often several groups inside one measure and often
inside a bracket that closes the group. A list ends at the bracket that closes the group, at 。 or ；, at a
line break, or where the next label begins. Where a group has a 牵头单位 (``units.primary_lead_labels``)
its other lead labels (责任单位) name the units that carry the task out under the lead: co-operators; so do
the unmarked names of a list where one name is marked (牵头): ``责任单位：市发改委（牵头）、市财政局``.
Plans also write the roles after the names, inside a bracket: ``（市政府办公室、市审改办牵头，市级各有关部门
按职责分工负责）`` — a clause ending with a lead word (牵头) names leads, one ending with a co word (配合,
按职责分工负责) names co-operators, a bare 负责 names leads unless the bracket has a 牵头 clause. Names are kept exactly as written — qualifiers such as
商务局〔投资促进中心〕 included, an elided 市 not restored — because a name we did not read is a name we
made up; roll-ups compare names through :func:`normalise_unit_name`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from rectiparse.rules import MetadataRules, Rules, compiled, load_rules

_OPEN = "（(〔[［【｛{"
_CLOSE = "）)〕]］】｝}"
_SEPARATORS = "、，,.．;"  # ; never reaches here (it ends the list); kept for clarity
_END = "。；;\n"
_STRIP = " \u3000\t:：、，,.．\"“”'‘’"


@dataclass(frozen=True)
class UnitMention:
    role: Literal["lead", "co"]
    name: str
    span: tuple[int, int]


def _rules(rules: Rules | MetadataRules | None) -> MetadataRules:
    if isinstance(rules, MetadataRules):
        return rules
    return (rules or load_rules()).metadata


def _label_pattern(m: MetadataRules):  # type: ignore[no-untyped-def]
    return _label_pattern_for(tuple(m.units.lead_labels), tuple(m.units.co_labels), tuple(m.units.stop_labels))


@functools.lru_cache(maxsize=8)
def _label_pattern_for(lead: tuple[str, ...], co: tuple[str, ...], stop_labels: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """Built once per rule set: the alternation escapes a few hundred labels, which costs more than the search."""
    labels = sorted({*lead, *co}, key=len, reverse=True)
    stops = sorted(set(stop_labels), key=len, reverse=True)
    label = "|".join(map(_esc, labels))
    stop = "|".join(map(_esc, stops)) or "(?!)"
    return (
        compiled(rf"(?P<label>{label})\s*[:：]\s*"),
        compiled(rf"(?:{label}|{stop})\s*[:：]"),
    )


def _esc(s: str) -> str:
    import regex

    return regex.escape(s)


_LEAD_MARK = compiled(r"[（(〔\[]\s*牵头(?:单位|部门)?\s*[）)〕\]]$")
_GROUP_GAP = compiled(r"[\s;；,，.。、)）]*")


def find_units(
    text: str, start: int = 0, end: int | None = None, rules: Rules | MetadataRules | None = None, *,
    role: Literal["lead", "co"] | None = None,
) -> list[UnitMention]:
    """Every unit in ``text[start:end]`` — labelled lists and bracketed 牵头/配合 clauses — in reading order.

    ``role``: the span is the list of a unit label without the label — a table cell under a 责任单位 (lead) or
    配合单位 (co) header — and every name in it has that role (a lead list's （牵头） marks its leader, as in text).
    """
    m = _rules(rules)
    end = len(text) if end is None else min(end, len(text))
    label_re, next_label_re = _label_pattern(m)
    if role is not None:
        names, _ = _read_list(text, start, end, next_label_re)
        marked = [bool(_LEAD_MARK.search(text, s, e)) for s, e in names]
        return [UnitMention("lead" if role == "lead" and (mark or not any(marked)) else "co", text[s:e], (s, e))
                for (s, e), mark in zip(names, marked, strict=True)]
    lead = set(m.units.lead_labels)
    primary = set(m.units.primary_lead_labels)
    # (label, label start, list stop, names) for each labelled list; adjacent lists form one group
    lists: list[tuple[str, int, int, list[tuple[int, int]]]] = []
    pos = start
    while True:
        lm = label_re.search(text, pos, end)
        if not lm:
            break
        names, stop = _read_list(text, lm.end(), end, next_label_re)
        lists.append((lm.group("label"), lm.start(), stop, names))
        pos = max(stop, lm.end())
    out: list[UnitMention] = []
    for group in _groups(text, lists):
        has_primary = any(label in primary for label, *_ in group)
        for label, _, _, names in group:
            is_lead = label in lead and (not has_primary or label in primary)
            marked = [bool(_LEAD_MARK.search(text, s, e)) for s, e in names]
            for (s, e), mark in zip(names, marked, strict=True):
                # 责任单位：市发改委（牵头）、市财政局 — the marked unit leads, the others co-operate
                said: Literal["lead", "co"] = "lead" if is_lead and (mark or not any(marked)) else "co"
                out.append(UnitMention(said, text[s:e], (s, e)))
    labelled_spans = [(a, b) for _, a, b, _ in lists]
    out.extend(_postfix_units(text, start, end, m, labelled_spans))
    out.sort(key=lambda u: u.span)
    return out


def _groups(text: str, lists: list[tuple[str, int, int, list[tuple[int, int]]]]):  # type: ignore[no-untyped-def]
    """Runs of labelled lists with only separators between one list's end and the next label."""
    groups: list[list[tuple[str, int, int, list[tuple[int, int]]]]] = []
    for item in lists:
        if groups and _GROUP_GAP.fullmatch(text, groups[-1][-1][2], item[1]):
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


_BRACKET = compiled(r"[（(](?P<body>[^（）()\n]{2,200})[）)]")
_CLAUSE_SPLIT = "，,；;"
_PROSE = compiled(r"[的由是在将对把我其\d]|进行")  # a clause of prose, not a name: （这项工作由我负责）


def _postfix_units(
    text: str, start: int, end: int, m: MetadataRules, labelled: list[tuple[int, int]]
) -> list[UnitMention]:
    """Units named before a role word inside a bracket: （A、B牵头，C按职责分工负责）."""
    u = m.units
    if not (u.postfix_lead or u.postfix_plain):
        return []
    words = [(w, "lead") for w in u.postfix_lead] + [(w, "co") for w in u.postfix_co]
    words += [(w, "plain") for w in u.postfix_plain]
    words.sort(key=lambda wr: len(wr[0]), reverse=True)
    out: list[UnitMention] = []
    for bm in _BRACKET.finditer(text, start, end):
        a, b = bm.span("body")
        if any(x < b and a < y for x, y in labelled):
            continue  # a labelled list inside the bracket: read as labelled
        clauses: list[tuple[str, list[tuple[int, int]]]] = []
        for ca, cb in _split(text, a, b):
            role, names = _postfix_clause(text, ca, cb, words)
            if role is None:
                clauses = []
                break  # a clause that names no role: the bracket is prose, not a unit list
            clauses.append((role, names))
        if not any(r in ("lead", "plain") for r, _ in clauses):
            continue
        has_lead = any(r == "lead" for r, _ in clauses)
        for role, names in clauses:
            final: Literal["lead", "co"] = "co" if role == "co" or (role == "plain" and has_lead) else "lead"
            out.extend(UnitMention(final, text[s:e], (s, e)) for s, e in names)
    return out


def _split(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out, cur = [], a
    for j in range(a, b):
        if text[j] in _CLAUSE_SPLIT:
            out.append((cur, j))
            cur = j + 1
    out.append((cur, b))
    return [(x, y) for x, y in out if text[x:y].strip()]


def _postfix_clause(
    text: str, a: int, b: int, words: list[tuple[str, str]]
) -> tuple[str | None, list[tuple[int, int]]]:
    """(role, name spans) of one clause ``A、B牵头``; (None, []) when the clause does not end with a role word."""
    while b > a and text[b - 1] in _STRIP:
        b -= 1
    for w, role in words:
        if text.endswith(w, a, b):
            body_end = b - len(w)
            while a < body_end and text[a] in " \u3000":
                a += 1
            if text.startswith("由", a):
                a += 1
            names: list[tuple[int, int]] = []
            cur = a
            for j in range(a, body_end + 1):
                if j == body_end or text[j] == "、":
                    t = _trim(text, cur, j)
                    if t is None or not 2 <= t[1] - t[0] <= 30 or _PROSE.search(text, t[0], t[1]):
                        return None, []
                    names.append(t)
                    cur = j + 1
            return role, names
    return None, []


def _read_list(text: str, i: int, end: int, next_label_re) -> tuple[list[tuple[int, int]], int]:  # type: ignore[no-untyped-def]
    """Read names from ``i`` until the list ends; return their spans and where reading stopped."""
    names: list[tuple[int, int]] = []
    depth = 0
    cur = i
    j = i
    while j < end:
        ch = text[j]
        if depth == 0 and (ch in _END or ch in _CLOSE):
            break
        if depth == 0 and next_label_re.match(text, j):
            break
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif depth == 0 and ch in _SEPARATORS:
            names.append((cur, j))
            cur = j + 1
        j += 1
    names.append((cur, j))
    return [s for s in (_trim(text, a, b) for a, b in names) if s], j


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a] in _STRIP:
        a += 1
    while b > a and text[b - 1] in _STRIP:
        b -= 1
    if b <= a or b - a > 40:
        return None
    return (a, b)


def normalise_unit_name(name: str) -> str:
    """A unit's name without trailing bracketed qualifiers: 市商务局〔投资促进中心〕 → 市商务局.

    Only a qualifier at the end is dropped (an unclosed one too: 市自然资源和规划局〔低效整治办); a bracket in
    the middle belongs to the name (中铁建产发〔东阳〕建设有限公司).
    """
    s = name.strip()
    while s:
        if s[-1] in _CLOSE:
            depth = 0
            for k in range(len(s) - 1, -1, -1):
                if s[k] in _CLOSE:
                    depth += 1
                elif s[k] in _OPEN:
                    depth -= 1
                    if depth == 0:
                        break
            else:
                k = -1
            if k <= 0:
                break
            s = s[:k].rstrip()
            continue
        opened = max(s.rfind(c) for c in _OPEN)
        if opened > 0 and not any(c in _CLOSE for c in s[opened:]):
            s = s[:opened].rstrip()
            continue
        break
    return s or name.strip()
