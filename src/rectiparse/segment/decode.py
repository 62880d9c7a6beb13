"""The decoder: item roles → items. One builder, whoever proposed the item.

The grammar (numbered headings, ``segment.grammar``), the block-role model (``segment.model``) and the
real-page layer (``segment.lists``) each say which blocks are items (``ItemRole``, ``EntryRole``); this module
alone turns a role into a ``SkelItem``. Every decision it
takes is one of the named rules below, tried in order; the rule that decided is recorded in
``SkelItem.decided_by`` (the same field the real-page layouts of ``segment.lists`` fill), so a surprising
status can be traced to the rule — and the rule's words and thresholds to ``rules/`` — without a debugger.

Status, first rule that finds one wins (``STATUS_RULES``):

1. ``status_label`` — a labelled status inside the item: ``整改结果：已完成``;
2. ``heading_clause`` — a clause on the heading itself: ``关于…问题，已完成整改。``, ``【已完成】关于…``;
3. ``status_line`` — a paragraph the model read as a status line: ``长期整改 I``;
4. ``group_heading`` — the nearest enclosing group that names one: ``（一）已整改完成的问题``;
5. ``opening_sentence`` — a short first sentence that states it: ``该问题已完成整改。``;
6. ``closing_sentence`` — how the account ends: ``…，已整改到位。``, ``…，剩余资金正在积极推进使用。``.

Fields (``FIELD_RULES``): ``field_labels`` (``审计意见：`` …), else ``model_roles`` (paragraphs the model read as
opinion / actions / next steps), else ``unlabelled_body`` (the whole body is the account of the work).

Measures (``MEASURE_RULES``): ``sub_headings`` (numbered paragraphs under the item, or paragraphs the model
read as measures), unless they are only the pieces of an ``inline_chain``; else ``chains_in_fields``
(``一是…二是…`` field by field).

The entries of real pages' lists (``segment.lists``: ``1.…；2.…`` run into a sentence, a problem under a
label, a reporter line) have no heading of their own; ``build_entry`` builds them, their status by
``ENTRY_STATUS_RULES``: ``status_on_title_line`` (``灭火器放置不规范，已立即整改。``), ``status_ends_title``
(``…等问题已按时整改到位。``), ``status_opens_account``
(``整改情况：未整改到位，…``), ``status_closes_account`` (``…，继续跟踪督办。``).
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from rectiparse.normalise import Text
from rectiparse.numerals import numeral_value
from rectiparse.rules import Rules
from rectiparse.segment import (
    BlockRole,
    Candidate,
    EntryRole,
    Heading,
    ItemRole,
    Skeleton,
    SkelItem,
    SkelMeasure,
    Span,
)
from rectiparse.segment.grammar import (
    Grammar,
    grammar,
    only_status,
    opening_status,
    status_of,
    strip_span,
)

FIELD_NAMES = ("opinion", "actions", "next_steps")
# labelled values that are never a progress report: a closing status found inside one is not the item's
_NOT_PROGRESS = {"deadline", "units_lead", "units_co", "leader", "goal"}


# --------------------------------------------------------------------------- the decoder


def decode(text: Text, rules: Rules, roles: list[ItemRole], skeleton: Skeleton) -> Skeleton:
    """``skeleton`` with the items built from ``roles`` (its headings and closing as the proposer found them)."""
    g = grammar(rules)
    items = [build_item(text, rules, g, r) for r in roles]
    skeleton.items = items
    skeleton.item_region = (items[0].span[0], items[-1].span[1]) if items else None
    return skeleton


def build_item(text: Text, rules: Rules, g: Grammar, role: ItemRole) -> SkelItem:
    """One item from its role: where it stands and what it is called, then its fields, status and measures,
    each decided by the first of its named rules that applies."""
    cand = role.candidate
    h = cand.heading
    folded = text.folded
    ancestors = _ancestors(h)
    item = SkelItem(
        kind=cand.kind, id=_item_id(ancestors, h), number=h.number,
        span=(h.start, strip_span(folded, h.start, h.node_end)[1]), title_span=cand.title_span,
        parent_title_span=cand.parent_span, heading=h, path=ancestors, proposer=role.proposer,
    )
    if role.proposer == "model":  # a heading of its own, outside the grammar's tree: its path is its sections
        item.path = [gh for gh, _ in role.groups]
        item.number = h.number or None
        item.id = item.id if item.number else str(role.index + 1)
        item.origin = {"item": "model", "title": "model", "status": "rule"}
    else:
        item.origin = {"title": "rule", "status": "rule"}
    item.decided_by = {"item": cand.rule}
    groups = _category(text, g, item, role.groups)
    # the body: after the heading's title (and its status clause) to the end of the section
    body_start = h.title_span[1]
    if cand.status_span:
        body_start = max(body_start, cand.status_span[1])
    body_start = strip_span(folded, body_start, item.span[1], " \t\n.。")[0]
    body = (body_start, item.span[1])
    fields, labels = _labelled_fields(text, g, *body)
    status_label = fields.pop("status", None)
    labels.pop("status", None)
    item.label_spans = labels
    ctx = _Context(text, rules, g, role, groups, body, fields, labels, status_label)
    for name, rule in FIELD_RULES:
        if rule(ctx, item):
            item.decided_by["fields"] = name
            break
    for name, rule in STATUS_RULES:
        if rule(ctx, item):
            item.decided_by["status"] = name
            break
    if item.status_code is None and item.status_span is None and role.proposer == "model":
        item.origin.pop("status", None)
    for name, rule in MEASURE_RULES:
        if rule(ctx, item):
            if item.measures:
                item.decided_by["measures"] = name
            break
    if role.proposer == "model" and h.children:
        item.origin["measures"] = "model"
    return item


class _Context:
    """What the rules of one item read: the text, the grammar, the role, its groups and its labelled body."""

    def __init__(self, text: Text, rules: Rules, g: Grammar, role: ItemRole,
                 groups: list[tuple[Heading, Candidate | None]], body: Span,
                 fields: dict[str, Span], labels: dict[str, Span], status_label: Span | None):
        self.text, self.rules, self.g, self.role, self.groups = text, rules, g, role, groups
        self.body, self.fields, self.labels, self.status_label = body, fields, labels, status_label
        self.folded = text.folded


# --------------------------------------------------------------------------- where it stands, what it is called


def _ancestors(h: Heading) -> list[Heading]:
    out = []
    p = h.parent
    while p is not None:
        out.append(p)
        p = p.parent
    return out[::-1]


def _item_id(path: list[Heading], h: Heading) -> str:
    parts = []
    for node in [*path, h]:
        if not node.number:  # an unnumbered status group line counts as its place among its like
            siblings = node.parent.children if node.parent is not None else [node]
            same = [x for x in siblings if x.marker == node.marker]
            parts.append(str(same.index(node) + 1) if node in same else "0")
            continue
        v = numeral_value(node.number)
        parts.append(str(v) if v is not None else node.number)
    return ".".join(parts)


def _category(text: Text, g: Grammar, item: SkelItem, groups: list[tuple[Heading, Candidate | None]]
              ) -> list[tuple[Heading, Candidate | None]]:
    """The item's outer problem and category from its enclosing headings; the groups left for its status.

    An enclosing heading that quotes a problem of its own ("1.关于“X”问题的整改" above "（1）关于“Y”问题") is
    the outer problem: the parent title, not the category. An unquoted "（三）关于基层党组织建设薄弱的问题"
    over numbered items reads as a heading of the list, like its siblings "（一）关于…方面存在的问题".
    """
    folded = text.folded
    outer = groups[-1] if groups else None
    if (outer is not None and outer[1] is not None and outer[1].kind == "problem" and outer[1].strength == "strong"
            and not outer[1].group_label and status_of(g, folded[slice(*outer[0].title_span)])[0] is None
            and not g.aspect_tail.search(folded, *outer[1].title_span)
            and folded[outer[1].title_span[0] - 1 : outer[1].title_span[0]] in ('"', "'")):
        if item.parent_title_span is None:
            item.parent_title_span = outer[1].title_span
        groups = groups[:-1]
    # the nearest group heading that is not a mere container
    for gh, gc in reversed(groups):
        if g.containers.search(folded, *gh.title_span) and not (gc and gc.group_label):
            topic = _container_topic(g, folded, gh.title_span)
            if topic is None:
                continue
            item.category_span = topic
            break
        item.category_span = gc.title_span if gc is not None and gc.group_label else gh.title_span
        break
    return groups


def _container_topic(g: Grammar, folded: str, span: Span) -> Span | None:
    """A container heading names a topic when something is left of it once the generic words are gone:
    "二、财政管理审计查出问题的整改情况" → 财政管理审计查出问题; "一、审计报告反映问题整改情况" → nothing."""
    s, e = span
    m = g.container_tail.search(folded, s, e)
    if m is None or m.start() <= s:
        return None
    s2, e2 = strip_span(folded, s, m.start())
    if e2 - s2 < 2 or g.generic_topic.match(folded[s2:e2]) or not g.topic_nouns.search(folded, s2, e2):
        return None
    about = g.about.match(folded, s2, e2)
    return (about.end() if about else s2, e2)


# --------------------------------------------------------------------------- fields


def _labelled_fields(text: Text, g: Grammar, start: int, end: int) -> tuple[dict[str, Span], dict[str, Span]]:
    """Labelled fields in [start, end): field → span of its text, field → span of its label."""
    folded = text.folded
    marks = [(m.start(), m.end(), g.label_fields[m.group("label")], m.span("label"))
             for m in g.labels.finditer(folded, start, end)]
    fields: dict[str, Span] = {}
    labels: dict[str, Span] = {}
    for i, (_ls, le, fname, lspan) in enumerate(marks):
        nxt = marks[i + 1][0] if i + 1 < len(marks) else end
        s, e = strip_span(folded, le, nxt, " \t\n")
        if e <= s:
            continue
        if fname not in ("status", "deadline") and only_status(g, folded, s, e):
            # "整改进展：已完成。" says nothing but the status; "完成时限：长期坚持" stays a time limit
            fname = "status"
        if fname in fields:
            continue
        fields[fname] = (s, e)
        labels[fname] = lspan
    fields.pop("title", None)  # a "问题：…" label inside the item overrides nothing: the heading's title stays
    return fields, labels


def _field_labels(ctx: _Context, item: SkelItem) -> bool:
    """Labelled opinion / actions / next steps (``审计意见：``, ``整改措施：``, ``下一步：``)."""
    found = {n: ctx.fields[n] for n in FIELD_NAMES if n in ctx.fields}
    for name, span in found.items():
        item.fields[name] = span
        item.origin[name] = "rule"
    return bool(found)


def _labelled_body(ctx: _Context, item: SkelItem) -> bool:
    """A body with labels of its own (a time limit, a responsible unit) but none of the three: its unlabelled
    rest is still the account of the work, whatever the model read in it."""
    return bool(ctx.labels) and ctx.role.candidate.kind != "task" and _unlabelled_body(ctx, item)


def _model_roles(ctx: _Context, item: SkelItem) -> bool:
    """Paragraphs the model read as opinion / actions / next steps (measures count as actions)."""
    folded = ctx.folded
    body = _model_body(ctx)
    fields: dict[str, Span] = {}
    for name in FIELD_NAMES:
        ps = [p for p in body if p.role == name or (name == "actions" and p.role == "measure")]
        if ps:
            fs, fe = strip_span(folded, ps[0].start, ps[-1].end, " \t\n")
            lead = ctx.g.unknown_label.match(folded, fs, fe)  # "落实举措：…": a label no rule knows
            fields[name] = (lead.end(), fe) if lead and lead.end() < fe else (fs, fe)
    for name, span in fields.items():
        item.fields[name] = span
        item.origin[name] = "model"
    return bool(fields)


def _unlabelled_body(ctx: _Context, item: SkelItem) -> bool:
    """An unlabelled body is the account of the work (a task's body is its description, not an account)."""
    s, e = ctx.body
    if ctx.role.candidate.kind != "task" and e > s:
        item.fields["actions"] = (s, e)
        item.origin["actions"] = "rule"
    return True


FIELD_RULES: tuple[tuple[str, Callable[[_Context, SkelItem], bool]], ...] = (
    ("field_labels", _field_labels),
    ("labelled_body", _labelled_body),
    ("model_roles", _model_roles),
    ("unlabelled_body", _unlabelled_body),
)


# --------------------------------------------------------------------------- status


def _set(ctx: _Context, item: SkelItem, span: Span, origin: str, code_grade: tuple[str | None, str | None] | None = None
         ) -> bool:
    code, grade = code_grade if code_grade is not None else status_of(ctx.g, ctx.folded[span[0] : span[1]])[:2]
    item.status_code, item.status_grade, item.status_span, item.status_origin = code, grade, span, origin
    return True


def _status_label(ctx: _Context, item: SkelItem) -> bool:
    if ctx.status_label is None:
        return False
    s, e = ctx.status_label
    line_end = ctx.folded.find("\n", s, e)
    return _set(ctx, item, strip_span(ctx.folded, s, line_end if line_end != -1 else e), "label")


def _heading_clause(ctx: _Context, item: SkelItem) -> bool:
    sp = ctx.role.candidate.status_span
    return sp is not None and _set(ctx, item, sp, "heading")


def _status_line(ctx: _Context, item: SkelItem) -> bool:
    lines = [p for p in _model_body(ctx) if p.role == "status_line"]
    if not lines:
        return False
    code, grade, _sp = status_of(ctx.g, ctx.folded[lines[0].start : lines[0].end])
    if not code:
        return False
    _set(ctx, item, strip_span(ctx.folded, lines[0].start, lines[0].end), "model", (code, grade))
    item.origin["status"] = "model"
    return True


def _group_heading(ctx: _Context, item: SkelItem) -> bool:
    for gh, _gc in reversed(ctx.groups):
        code, grade, sp = status_of(ctx.g, ctx.folded[gh.title_span[0] : gh.title_span[1]])
        if (code and sp is not None
                and not ctx.g.status_not_group.match(ctx.folded, gh.title_span[0] + sp[1], gh.title_span[1])
                and not any(c in ctx.folded[gh.title_span[0] : gh.title_span[0] + sp[0]] for c in ",;。")):
            # (a heading whose status words follow a clause is a sentence: "9月1日至9月30日，各单位完成自查")
            s = gh.title_span[0] + sp[0]
            return _set(ctx, item, (s, gh.title_span[0] + sp[1]), "group", (code, grade))
    return False


def _opening_sentence(ctx: _Context, item: SkelItem) -> bool:
    sp = opening_status(ctx.text, ctx.g, ctx.role.candidate.heading)
    return sp is not None and _set(ctx, item, sp, "body")


def _closing_sentence(ctx: _Context, item: SkelItem) -> bool:
    """The status from how the account ends.

    * a short closing sentence: "目前该问题已整改到位。", or one that is nothing but a status phrase ("已整改。");
    * else a closing clause after the last comma, short and led by a status phrase of four characters or
      more: "…，并印发《…》，已整改到位。", "…，剩余资金正在积极推进使用。" — audit offices end their
      paragraphs so.

    Words inside a labelled time limit or name ("完成时限：长期坚持") are not a status.
    """
    span = _closing_status(ctx)
    if span is None or ctx.g.tally_after_status.match(ctx.folded, span[1]):
        return False
    if any(ctx.labels[f][0] <= span[0] < ctx.fields[f][1] for f in _NOT_PROGRESS if f in ctx.labels and f in ctx.fields):
        return False
    return _set(ctx, item, span, "body")


def _closing_status(ctx: _Context) -> Span | None:
    folded, g, t = ctx.folded, ctx.g, ctx.rules.items.thresholds
    s, e = strip_span(folded, *ctx.body)
    cut = max(folded.rfind("。", s, e), folded.rfind("\n", s, e), folded.rfind(";", s, e))
    sent_s = cut + 1 if cut >= s else s
    sentence = folded[sent_s:e]
    if not sentence:
        return None
    if only_status(g, folded, sent_s, e):
        code, _grade, sp = status_of(g, sentence)
        return (sent_s + sp[0], sent_s + sp[1]) if code and sp else None
    if len(sentence) <= t.closing_sentence_max and (
        g.closing_words.search(sentence) or len(sentence) <= t.status_clause_max
    ):
        m = g.final_status.search(folded, sent_s, e)
        return m.span() if m and status_of(g, m.group())[0] else None
    # the last two clauses ("…，剩余2个项目正在加快推进，预计6月底前完工。")
    ce = e
    for _ in range(2):
        comma = folded.rfind(",", sent_s, ce)
        if comma < 0 and ce == e:
            return None  # one clause: the sentence test above has judged it
        cs = strip_span(folded, max(comma, sent_s - 1) + 1, ce)[0]
        if 0 < ce - cs <= t.closing_clause_max:
            m = g.final_status.search(folded, cs, ce)
            # the clause is about the status, not a figure that holds one
            if m and m.start() - cs <= t.closing_clause_lead and status_of(g, m.group())[0]:
                return m.span()
        if comma < 0:
            return None
        ce = comma
    return None


STATUS_RULES: tuple[tuple[str, Callable[[_Context, SkelItem], bool]], ...] = (
    ("status_label", _status_label),
    ("heading_clause", _heading_clause),
    ("status_line", _status_line),
    ("group_heading", _group_heading),
    ("opening_sentence", _opening_sentence),
    ("closing_sentence", _closing_sentence),
)


# --------------------------------------------------------------------------- measures


def find_measures(text: Text, g: Grammar, start: int, end: int, field: str | None) -> list[SkelMeasure]:
    """一是…二是… chains in folded[start:end]; a chain must start at 一 and count up."""
    folded = text.folded
    hits: list[tuple[int, int, str]] = []
    for pattern in g.measures:  # each marker style on its own; the longest chain wins
        chain: list[tuple[int, int, str]] = []
        expected = 1
        for m in pattern.finditer(folded, start, end):
            num = m.group("num")
            if numeral_value(num) == expected:
                chain.append((m.start("m"), m.end("m"), num))
                expected += 1
        if len(chain) >= 2 and len(chain) > len(hits):
            hits = chain
    if len(hits) < 2:
        return []
    out = []
    for i, (ms, me, _num) in enumerate(hits):
        nxt = hits[i + 1][0] if i + 1 < len(hits) else end
        s, e = strip_span(folded, me, nxt, " \t\n;；,，")
        out.append(SkelMeasure(ordinal=i + 1, marker=text.text[ms:me], marker_span=(ms, me), span=(s, e), field=field))
    return out


def _subs(ctx: _Context) -> list[Heading]:
    """Sub-headings that are measures: not those that are field labels ("（二）整改措施：…")."""
    h, g, folded = ctx.role.candidate.heading, ctx.g, ctx.folded
    return [c for c in h.children if not g.label_start.match(folded, c.title_span[0], c.title_span[1])]


def _inline_chain(ctx: _Context, item: SkelItem) -> bool:
    """Numbered paragraphs that are only the pieces of an inline chain: "（1）修订规则；（2）建立清单；（3）开展
    培训。" standing as one paragraph, or "整改措施：1.…；2.…；" with "3.…" wrapped onto a line of its own."""
    subs = _subs(ctx)
    if not subs:
        return False
    g, folded, text = ctx.g, ctx.folded, ctx.text
    c = subs[0]
    lab = g.labels.search(folded, c.title_span[1], c.node_end)
    chains = [find_measures(text, g, c.marker_span[0], lab.start() if lab else c.node_end, "actions")]
    chains += [find_measures(text, g, fs, fe, fname) for fname, (fs, fe) in sorted(item.fields.items())]
    starts = {sub.marker_span[0] for sub in subs}
    for chain in chains:
        if len(chain) > len(subs) and starts <= {m.marker_span[0] for m in chain}:
            item.measures.extend(chain)
            return True
    return False


def _sub_headings(ctx: _Context, item: SkelItem) -> bool:
    subs = _subs(ctx)
    g, folded, text = ctx.g, ctx.folded, ctx.text
    for i, c in enumerate(subs):
        # a numbered measure ends where the next field label begins ("2.…。\n整改进展：已完成。")
        lab = g.labels.search(folded, c.title_span[1], c.node_end)
        s, e = strip_span(folded, c.marker_span[1], lab.start() if lab else c.node_end)
        item.measures.append(SkelMeasure(ordinal=i + 1, marker=text.text[c.marker_span[0] : c.marker_span[1]],
                                         marker_span=c.marker_span, span=(s, e), field="actions"))
    return bool(subs)


def _chains_in_fields(ctx: _Context, item: SkelItem) -> bool:
    h = ctx.role.candidate.heading
    body_start, body_end = ctx.body
    first_child = h.children[0].start if h.children else body_end
    regions = list(item.fields.items()) or [("body", (body_start, min(first_child, body_end)))]
    for fname, (s, e) in sorted(regions, key=lambda x: x[1][0]):
        for m in find_measures(ctx.text, ctx.g, s, e, fname):
            m.ordinal = len(item.measures) + 1
            item.measures.append(m)
    return True


MEASURE_RULES: tuple[tuple[str, Callable[[_Context, SkelItem], bool]], ...] = (
    ("inline_chain", _inline_chain),
    ("sub_headings", _sub_headings),
    ("chains_in_fields", _chains_in_fields),
)


def _model_body(ctx: _Context) -> list[BlockRole]:
    """The paragraphs under the item with the roles the model gave them (none for the grammar's items)."""
    return ctx.role.body if ctx.role.proposer == "model" else []


# --------------------------------------------------------------------------- entries of real pages' lists


def build_entry(text: Text, rules: Rules, entry: EntryRole) -> SkelItem:
    """An item from an entry of a list (``segment.lists``): its category is the entry or unit above it, its
    account the rest of the entry, its status the first of ``ENTRY_STATUS_RULES`` that finds one — the words of
    its own title line or account (a list has no group headings or labelled status lines of its own)."""
    folded = text.folded
    item = SkelItem(kind="problem", id=entry.index, number=entry.number, span=entry.span,
                    title_span=entry.title_span, heading=entry.heading, path=entry.path, proposer="lists")
    item.origin = {"item": "rule", "title": "rule"}
    item.decided_by = {"item": entry.rule}
    if entry.path:
        item.category_span = entry.path[-1].title_span
    g = grammar(rules)
    for name, rule in ENTRY_STATUS_RULES:
        found = rule(text, rules, g, item)
        if found is not None:
            item.status_code, item.status_grade, item.status_span, item.status_origin = found
            item.decided_by["status"] = name
            break
    body = strip_span(folded, entry.title_span[1], entry.span[1])
    if body[1] > body[0] and body[0] < entry.span[1]:
        item.fields["actions"] = body
        item.origin["actions"] = "rule"
    return item


_Found = tuple[str, str | None, Span, str] | None  # code, grade, where the words stand, status_origin
_TITLE_CLAUSE = regex.compile(r"[,;]\s*|--\s*|-\s*")


def _status_on_title_line(text: Text, rules: Rules, g: Grammar, item: SkelItem) -> _Found:
    """A clause after the title on its line: "灭火器放置不规范，已立即整改。", "…——已整改" (the title then ends
    before it)."""
    folded = text.folded
    ts, te = item.title_span
    line_end = folded.find("\n", ts, item.span[1])
    line_end = item.span[1] if line_end < 0 else line_end
    for m in _TITLE_CLAUSE.finditer(folded, ts, line_end):
        clause_s = m.end()
        stop = min((i for i in (folded.find(x, clause_s, line_end) for x in ",;。") if i >= 0), default=line_end)
        clause = folded[clause_s:stop]
        code, grade, sp = status_of(g, clause)
        if code and sp and sp[0] <= 2 and len(clause) - sp[1] <= 4:
            if m.start() < te:  # the title ends before its status clause
                item.title_span = strip_span(folded, ts, m.start())
            return code, grade, (clause_s + sp[0], clause_s + sp[1]), "title"
    return None


def _status_opens_account(text: Text, rules: Rules, g: Grammar, item: SkelItem) -> _Found:
    """A labelled account or status whose first clause is a status: "整改情况：未整改到位，预计…"."""
    folded = text.folded
    for m in g.labels.finditer(folded, item.title_span[1], item.span[1]):
        if g.label_fields[m.group("label")] not in ("actions", "status"):
            continue
        vs = m.end()
        stop = min((i for i in (folded.find(x, vs, item.span[1]) for x in ",;。\n") if i >= 0), default=item.span[1])
        clause = folded[vs:stop].strip()
        code, grade, sp = status_of(g, clause)
        if code and sp and sp[0] <= 2 and len(clause) - sp[1] <= 2:
            off = folded.find(clause, vs, stop)
            return code, grade, (off + sp[0], off + sp[1]), "label"
    return None


def _status_closes_account(text: Text, rules: Rules, g: Grammar, item: SkelItem) -> _Found:
    """The account's last clause, when it says nothing but a status ("…尚未完全解决，继续跟踪督办。")."""
    te = item.title_span[1]
    body = text.folded[te : item.span[1]].rstrip(" \n。.;")
    cut = max(body.rfind(x) for x in ",;。\n:")
    clause = body[cut + 1 :].strip()
    if clause and len(clause) <= rules.items.thresholds.status_clause_max:
        code, grade, sp = status_of(g, clause)
        if code and sp is not None and sp[1] - sp[0] >= len(clause) - 2:
            off = te + cut + 1 + (len(body[cut + 1 :]) - len(body[cut + 1 :].lstrip()))
            return code, grade, (off + sp[0], off + sp[1]), "body"
    return None


def _status_ends_title(text: Text, rules: Rules, g: Grammar, item: SkelItem) -> _Found:
    """The entry's one sentence ends by stating its status: "前期通报该点位存在…等问题已按时整改到位。"."""
    folded = text.folded
    ts = item.title_span[0]
    stop = folded.find("。", ts, item.span[1])  # the sentence, whose title may stop at a ";" of the list
    te = strip_span(folded, ts, stop if stop >= 0 else item.span[1])[1]
    k = folded.rfind("问题", ts, te)
    if k < 0:
        return None
    s = k + 2
    code, grade, sp = status_of(g, folded[s:te])
    if code and sp and sp[0] <= 4 and (te - s) - sp[1] <= 2:
        return code, grade, (s + sp[0], s + sp[1]), "title"
    return None


ENTRY_STATUS_RULES: tuple[tuple[str, Callable[[Text, Rules, Grammar, SkelItem], _Found]], ...] = (
    ("status_on_title_line", _status_on_title_line),
    ("status_ends_title", _status_ends_title),
    ("status_opens_account", _status_opens_account),
    ("status_closes_account", _status_closes_account),
)


__all__ = ["ENTRY_STATUS_RULES", "FIELD_RULES", "MEASURE_RULES", "STATUS_RULES", "build_entry", "build_item", "decode",
           "find_measures"]
