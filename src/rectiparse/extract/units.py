"""Responsible units: ``(责任单位：市发改局、经济开发区，协同单位：…)`` → lead and co-operating units.

Plans and bulletins name units in labelled lists, often several groups inside one measure and often
inside a bracket that closes the group. A list ends at the bracket that closes the group, at 。 or ；, at a
line break, or where the next label begins. Names are kept exactly as written — qualifiers such as
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


def find_units(
    text: str, start: int = 0, end: int | None = None, rules: Rules | MetadataRules | None = None
) -> list[UnitMention]:
    """Every labelled unit in ``text[start:end]``, in reading order, names as written."""
    m = _rules(rules)
    end = len(text) if end is None else min(end, len(text))
    label_re, next_label_re = _label_pattern(m)
    lead = set(m.units.lead_labels)
    out: list[UnitMention] = []
    pos = start
    while True:
        lm = label_re.search(text, pos, end)
        if not lm:
            break
        role: Literal["lead", "co"] = "lead" if lm.group("label") in lead else "co"
        names, stop = _read_list(text, lm.end(), end, next_label_re)
        out.extend(UnitMention(role, text[s:e], (s, e)) for s, e in names)
        pos = max(stop, lm.end())
    return out


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
