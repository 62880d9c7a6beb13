"""The block-role model: a spaCy text classifier that says what each paragraph *is* when the rules cannot.

Why a model at all: the rule grammar reads numbering (``一、``, ``（一）``, ``1.``) and field labels
(``整改情况：``). Bulletins that lost them — OCR, a web editor that dropped the markers, labels no rule has
seen — still say what each paragraph is through its words: ``关于…的问题。`` is an item heading,
``长期整改 I`` a status line, ``东阳市政府应…`` an audit opinion. A bag-of-words classifier over jieba
tokens learns that from the seeds in seconds and runs on a CPU in milliseconds.

How it is used (``segment_with_model``): the model gives every paragraph a role; a small decoder turns the
role sequence into items, and hands each item to the rule grammar's own ``build_item`` through a synthetic
heading, so titles (``关于“X”问题`` patterns), status clauses, group statuses and ``一是…`` measure chains
are read by exactly the same code as in numbered bulletins. What the model decided (that a paragraph is an
item, a status line, an opinion…) is recorded as origin ``"model"``; what a rule read off the text stays
``"rule"``.

Cost: spaCy and the model load lazily, only when the rules found no items (``load_model`` caches the
pipeline). The shipped model lives in ``model_data/blockrole`` inside the package; ``rectiparse train``
rebuilds it from ``configs/blockrole.cfg``.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectiparse.normalise import Text, fold
from rectiparse.rules import Rules
from rectiparse.segment import BlockRole, Candidate, Heading, ItemRole, Skeleton, Span
from rectiparse.segment.front import front_paragraphs
from rectiparse.segment.grammar import (
    classify,
    closing_start,
    grammar,
    only_status,
    status_of,
    strip_span,
    title_end,
)

if TYPE_CHECKING:
    from spacy.language import Language

ROLES: tuple[str, ...] = (
    "section_heading", "item_heading", "status_line", "opinion", "actions", "next_steps", "measure",
    "summary", "boilerplate", "metadata", "noise",
)
BODY_ROLES = frozenset({"status_line", "opinion", "actions", "next_steps", "measure"})
FIELD_ROLES = ("opinion", "actions", "next_steps")

# a model directory that replaces the shipped one (e.g. one trained with `rectiparse train --out`)
MODEL_ENV = "RECTIPARSE_MODEL"

_HEAD_CHARS = 120  # the model reads a paragraph's opening …
_TAIL_CHARS = 30  # … and its close; the middle of a long body adds words, not evidence


def default_model_dir() -> Path:
    """The shipped model, inside the installed package."""
    return Path(__file__).resolve().parent / "model_data" / "blockrole"


# --------------------------------------------------------------------------- model input


def _length_token(n: int) -> str:
    """A coarse length class as a pseudo-word: headings are short, bodies long, and BOW cannot count."""
    for limit, name in ((8, "zzlena"), (20, "zzlenb"), (45, "zzlenc"), (90, "zzlend"), (200, "zzlene")):
        if n <= limit:
            return name
    return "zzlenf"


_COLON_LEAD = None  # compiled lazily: a short unknown label before a colon, "整改成效：" or "问题描述:"


def model_input(paragraph: str, g: Any = None) -> str:
    """The string the classifier reads for one paragraph (folded, clipped, with shape pseudo-words).

    Shape words carry what a bag of words cannot see: the length, whether the paragraph ends in a full stop,
    whether it has a sentence after its first one (a heading with its body on the same line), whether it
    opens with a short ``label：`` (known or not), and — given the compiled grammar ``g`` — whether it is
    mostly a status phrase from ``rules/status.yaml`` (a status line reads "长期整改 I", a heading "指导思想").
    """
    global _COLON_LEAD
    if _COLON_LEAD is None:
        import regex

        _COLON_LEAD = regex.compile(r"^[\p{Han}]{2,8}\s*:")
    p = fold(paragraph.strip())
    n = len(p)
    clipped = p if n <= _HEAD_CHARS + _TAIL_CHARS else p[:_HEAD_CHARS] + " … " + p[-_TAIL_CHARS:]
    shape = [_length_token(n)]
    shape.append("zzendstop" if p.endswith(("。", ".")) else "zzendopen")
    first_stop = min((i for i in (p.find("。"), p.find(";")) if i >= 0), default=-1)
    if 0 <= first_stop < n - 1:
        shape.append("zzmore" if first_stop < 40 else "zzlongfirst")
    else:
        shape.append("zzsingle")
    if _COLON_LEAD.match(p):
        shape.append("zzcolonlead")
    if g is not None:
        _code, _grade, sp = status_of(g, p[:60])
        if sp:
            shape.append("zzstatusall" if sp[1] - sp[0] >= len(p.rstrip("。.")) - 3 else "zzstatusin")
    return " ".join(shape) + " " + clipped


# --------------------------------------------------------------------------- marker-stripped variants


def strip_markers(raw: str, rules: Rules, *, measures: bool = False) -> str:
    """The bulletin as if its numbering and field labels had been lost (an OCR or web-editor casualty).

    Removes leading heading markers (``一、`` ``（一）`` ``1.`` ``问题一：``) and field labels
    (``整改情况：`` ``审计报告处理意见：`` …) line by line; with ``measures`` also inline ``一是…`` chains.
    Used for training augmentation and for the marker-stripped evaluation variants.
    """
    g = grammar(rules)
    out: list[str] = []
    for line in raw.split("\n"):
        out.append(strip_line(line, g, measures=measures))
    return "\n".join(out)


def strip_line(line: str, g: Any, *, measures: bool = False) -> str:
    """One line without its heading marker and field labels (``g`` is a compiled ``Grammar``)."""
    folded = fold(line)
    cuts: list[Span] = []
    for _name, pat in g.markers:
        m = pat.match(folded)
        if m and m.end() < len(folded.rstrip()):
            lead = len(folded) - len(folded.lstrip())
            cuts.append((lead, m.end()))
            break
    for m in g.labels.finditer(folded):
        s, e = m.span()
        while s < e and folded[s] in " \t":
            s += 1
        cuts.append((s, e))
    if measures:
        for pat in g.measures:
            for m in pat.finditer(folded):
                cuts.append(m.span("m"))
    if not cuts:
        return line
    keep: list[str] = []
    pos = 0
    for s, e in sorted(cuts):
        if s < pos:
            s = pos
        if e <= s:
            continue
        keep.append(line[pos:s])
        pos = e
    keep.append(line[pos:])
    return "".join(keep)


# --------------------------------------------------------------------------- the spaCy pipeline


def make_nlp(segmenter: str = "jieba", pkuseg_model: str | Path | None = None) -> Language:
    """A blank Chinese pipeline: jieba by default, pkuseg only from a local model directory.

    spaCy's own pkuseg and zh_core_web models download from the internet, which rectiparse never does.
    """
    import spacy

    if pkuseg_model is not None:
        segmenter = "pkuseg"
    if segmenter == "pkuseg":
        if pkuseg_model is None or not Path(pkuseg_model).is_dir():
            raise ValueError(f"the pkuseg segmenter needs a local pkuseg model directory (got {pkuseg_model!r})")
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
        nlp.tokenizer.initialize(pkuseg_model=str(pkuseg_model))  # type: ignore[union-attr]
        return nlp
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


_LOADED: dict[str, Language] = {}


def load_model(path: str | Path | None = None) -> Language:
    """The block-role pipeline from ``path`` (default: $RECTIPARSE_MODEL, else the shipped model), cached."""
    import spacy

    where = Path(path or os.environ.get(MODEL_ENV) or default_model_dir())
    key = str(where.resolve())
    nlp = _LOADED.get(key)
    if nlp is None:
        if not (where / "config.cfg").is_file():
            raise FileNotFoundError(f"no block-role model in {where} (run `rectiparse train`)")
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter goes to stderr otherwise
        nlp = spacy.load(where)
        _LOADED[key] = nlp
    return nlp


def predict_roles(nlp: Language, paragraphs: list[str], g: Any = None) -> list[dict[str, float]]:
    """Role probabilities for each paragraph (``g``: the compiled grammar, for the status shape word)."""
    return [dict(doc.cats) for doc in nlp.pipe((model_input(p, g) for p in paragraphs), batch_size=64)]


def best(cats: dict[str, float], exclude: tuple[str, ...] = ()) -> tuple[str, float]:
    role, p = max(((r, v) for r, v in cats.items() if r not in exclude), key=lambda kv: kv[1])
    return role, float(p)


# --------------------------------------------------------------------------- from paragraph roles to item roles


@dataclass
class Para:
    """A paragraph with the role the model gave it, how sure it was, and all its role probabilities."""

    start: int
    end: int
    role: str
    prob: float
    cats: dict[str, float] | None = None


@dataclass
class _Open:
    head: Para
    heading: Heading
    groups: list[Heading]
    under_tasks: bool
    body: list[Para]


def _synthetic_heading(text: Text, p: Para, by_start: dict[int, Heading]) -> Heading:
    """The rule heading at this paragraph when there is one (unknown labels), else one without a marker."""
    h = by_start.get(p.start)
    if h is not None:
        return Heading(start=h.start, end=h.end, marker=h.marker, marker_span=h.marker_span, number=h.number,
                       title_span=h.title_span)
    folded = text.folded
    ts = strip_span(folded, p.start, p.end, " \t")[0]
    te = title_end(folded, ts, p.end)
    ts, te = strip_span(folded, ts, te)
    return Heading(start=p.start, end=p.end, marker="model", marker_span=(p.start, p.start), number="",
                   title_span=(ts, max(te, ts)))


def _rule_headings(skeleton: Skeleton) -> dict[int, Heading]:
    out: dict[int, Heading] = {}

    def walk(nodes: list[Heading]) -> None:
        for h in nodes:
            out[h.start] = h
            walk(h.children)

    walk(skeleton.headings)
    return out


def _looks_like_task_title(text: Text, p: Para) -> bool:
    """A paragraph that opens with a short clause closed by a full stop: ``实施…行动。一是…``."""
    folded = text.folded
    stop = folded.find("。", p.start, p.end)
    return 4 <= stop - p.start <= 40 if stop >= 0 else p.end - p.start <= 40


def paragraph_roles(text: Text, rules: Rules, nlp: Language | None = None) -> list[Para] | None:
    """The model's role for every paragraph; None when no model is installed."""
    if nlp is None:
        try:
            nlp = load_model()
        except (FileNotFoundError, OSError, ImportError):
            return None
    spans = text.paragraphs()
    roles = predict_roles(nlp, [text.text[s:e] for s, e in spans], grammar(rules))
    return [Para(s, e, *best(c), cats=c) for (s, e), c in zip(spans, roles, strict=True)]


def propose(text: Text, rules: Rules, skeleton: Skeleton, paras: list[Para]) -> tuple[Skeleton, list[ItemRole]]:
    """Paragraph roles → the items' roles, for the decoder (``segment.decode``) to build.

    The model's reading is first made consistent with what the rules know for sure (the document's title is
    no item, a bare status phrase is a status line, …); then the role sequence is walked: a section heading
    opens a section, an item heading an item, body paragraphs go to the open item. Returns the skeleton the
    items will stand in (the grammar's headings, or the model's sections where the grammar has none) and the
    item roles, each with the paragraphs under it and their roles.
    """
    g = grammar(rules)
    t = rules.items.thresholds
    by_start = _rule_headings(skeleton)
    folded = text.folded
    # the document's own title, issuer and date lines are never items, sections or status lines, whatever the
    # model says ("关于…的实施方案" reads like an item heading, "标题：…整改完成" like a status line)
    fixed = front_paragraphs(text, rules)
    for p in paras:
        if p.start in fixed:
            p.role = "metadata"
    _agree_with_pattern_headings(text, g, paras, by_start, t.model_keep_unconfirmed, t.model_min_heading)
    _status_lines(text, g, paras)
    _headings_with_bodies(text, g, paras)
    _headings_before_status_lines(paras)
    _repeated_lines(text, paras, t.repeated_line_max)
    for p in paras:  # a tally of problems ("有642个面上问题未完成整改") is the summary's, not an item
        if p.role == "item_heading" and g.tally_title.match(folded, p.start, p.end):
            p.role = "summary"
    sections: list[Heading] = []  # the open section path (synthetic, flat)
    section_after_item = body_since_section = False
    opened: list[_Open] = []
    current: _Open | None = None
    roots: list[Heading] = []
    empty = Skeleton(text=text, headings=skeleton.headings, items=[], closing_start=skeleton.closing_start)

    def is_non_item(h: Heading) -> bool:
        return bool(g.non_item.search(folded, *h.title_span))

    def under_tasks() -> bool:
        return any(g.task_containers.search(folded, *h.title_span) for h in sections)

    def blocked() -> bool:
        return any(is_non_item(h) for h in sections)

    for p in paras:
        role = p.role
        if role == "section_heading":
            h = _synthetic_heading(text, p, by_start)
            h.title_span = (h.title_span[0], max(h.title_span[1], h.title_span[0]))
            # Without numbering there are no levels: a heading right under another opens a sub-section
            # ("整改落实情况" → "已整改完成的问题"); one after body text or items is the last one's sibling.
            # A numbered heading knows its level from the grammar: it closes the open sections at its level
            # and below, so an item's path holds its real ancestors, not the sections before it.
            ruled = by_start.get(p.start)
            if ruled is not None and ruled.level and all(by_start.get(x.start) is not None for x in sections):
                while sections and by_start[sections[-1].start].level >= ruled.level:
                    sections.pop()
            elif (section_after_item or body_since_section) and sections:
                sections.pop()
            sections.append(h)
            roots.append(h)
            section_after_item = body_since_section = False
            current = None
            continue
        # In a task section (工作任务…) the tasks are often written "实施…行动。一是…" — title and body on one
        # line, as the grammar's tasks are; a model trained on problem lists reads them as bodies. So a
        # title-like body paragraph opens a task there when no item is open, or when the open one is such a
        # one-line task itself (its siblings look the same).
        one_line_task = current is not None and current.under_tasks and current.heading.title_span[1] < current.head.end - 2
        if role == "item_heading" or (
            (current is None or one_line_task) and role in (*BODY_ROLES, "boilerplate") and under_tasks()
            and not blocked() and _looks_like_task_title(text, p)
        ):
            if blocked() and not _confirmed(text, g, p, by_start, strong=True):
                continue  # prose of 下一步/保障措施 sections is not an item unless it reads "关于…问题"
            h = _synthetic_heading(text, p, by_start)
            current = _Open(p, h, list(sections), under_tasks(), [])
            opened.append(current)
            section_after_item = True
            continue
        if role == "metadata" and p.start in fixed:
            current = None  # the signature, or a title printed at the page's foot, ends the item before it
            continue
        if current is not None:
            current.body.append(p)
        else:
            body_since_section = True
    if not opened:
        return empty, []
    # an item heading with nothing under it before the closing boilerplate, that no problem pattern confirms
    # and that states no status, is a line of prose the model misread ("对…开展“回头看”，推动…落地。" in a
    # bulletin that only reports totals)
    close = closing_start(text, g, opened[-1].head.start)
    opened = [o for o in opened
              if o.under_tasks or any(close is None or b.start < close for b in o.body)
              or _confirmed(text, g, o.head, by_start) or g.final_status.search(folded, o.head.start, o.head.end)]
    if not opened:
        return empty, []
    # the closing boilerplate (下一步…, 欢迎…, the signature) ends the last item
    close = closing_start(text, g, opened[-1].head.start)
    doc_end = close if close is not None else len(text.text)
    roles = [_item_role(text, g, o, (opened[k + 1].head.start if k + 1 < len(opened) else doc_end), k)
             for k, o in enumerate(opened)]
    for h in roots:
        h.level = 1
        h.node_end = max(h.end, h.node_end)
    return Skeleton(text=text, headings=skeleton.headings or roots, items=[], closing_start=close), roles


def _item_role(text: Text, g: Any, o: _Open, limit: int, index: int) -> ItemRole:
    """The open item as the decoder takes it: its heading spans its body, measure paragraphs are its
    sub-headings (as numbered ones are in the grammar), and its body paragraphs keep the model's roles."""
    h = o.heading
    body = [p for p in o.body if p.start < limit]
    end = body[-1].end if body else min(o.head.end, limit)
    h.node_end = max(end, h.end)
    h.children = [Heading(start=p.start, end=p.end, marker="model", marker_span=(p.start, p.start), number="",
                          title_span=(p.start, p.end), parent=h, node_end=p.end)
                  for p in body if p.role == "measure"]
    rule = "model_item_heading" if o.head.role == "item_heading" else "model_task_title"
    cand = classify(text, g, h, o.under_tasks)
    if cand is None:
        cand = Candidate(h, "task" if o.under_tasks else "problem", "weak", h.title_span, None, None)
    cand.rule = rule
    return ItemRole(cand, [(s, None) for s in o.groups], proposer="model",
                    body=[BlockRole(p.start, p.end, p.role) for p in body], index=index)


def _confirmed(text: Text, g: Any, p: Para, by_start: dict[int, Heading], strong: bool = False) -> bool:
    """Does the grammar read this paragraph as a problem / suggestion heading (``关于“X”问题`` …)?"""
    cand = classify(text, g, _synthetic_heading(text, p, by_start), False)
    return cand is not None and (not strong or cand.strength == "strong")


def _agree_with_pattern_headings(text: Text, g: Any, paras: list[Para], by_start: dict[int, Heading],
                                 keep_unconfirmed: float, min_heading: float) -> None:
    """Where most predicted item headings read as problems to the grammar (``关于“X”问题``, ``…的问题``),
    an item heading the grammar does not confirm is a body paragraph the model mistook — a short one-sentence
    opinion such as "东阳市政府应尽快修订…办法。" has a heading's shape. Bulletins write their items alike,
    so the confirmed ones set the standard (the grammar's ``_promote_siblings`` argues the same way).
    """
    heads = [p for p in paras if p.role == "item_heading"]
    confirmed = {id(p) for p in heads if _confirmed(text, g, p, by_start)}
    # with a standard to compare against, a doubtful heading must be a sure one; without, a coin toss
    # ("公园里有很多人。" in plain prose) is not enough either
    keep = keep_unconfirmed if len(confirmed) >= 2 and len(confirmed) * 2 >= len(heads) else min_heading
    for p in heads:
        if id(p) not in confirmed and p.prob < keep and p.cats:
            p.role, p.prob = best(p.cats, exclude=("item_heading",))


def _repeated_lines(text: Text, paras: list[Para], longest: int) -> None:
    """A short line the page prints more than once — a photo caption, a button, a slogan — is furniture, not an
    item heading: the items of a list differ in their words. (Status lines repeat too; they are not headings.)"""
    folded = text.folded
    lines = [folded[p.start : p.end].strip() for p in paras]
    seen = Counter(lines)
    for p, line in zip(paras, lines, strict=True):
        if p.role == "item_heading" and seen[line] >= 2 and len(line) <= longest:
            p.role = "noise"


def _status_lines(text: Text, g: Any, paras: list[Para]) -> None:
    """A short paragraph that is nothing but a phrase of ``rules/status.yaml`` ("长期整改 I", "基本完成")
    is a status line, whatever the model says: the vocabulary is the rules' and it is exact.
    A short status-bearing line that says more than the status ("已整改完成的问题", "长期整改 II 的整改事项")
    heads a group of items with that status: a section heading, as in the grammar's status groups.
    """
    folded = text.folded
    for p in paras:
        if p.end - p.start > g.status_line_max:
            continue
        if only_status(g, folded, p.start, p.end):
            p.role = "status_line"
        else:
            line = folded[p.start : p.end].strip()
            _code, _grade, sp = status_of(g, line)
            if sp is None or line.endswith(("。", ".")) or g.about.match(line) or not g.group_nouns.search(line):
                continue
            if p.role == "status_line" or (p.role == "item_heading" and (sp[1] - sp[0]) * 2 >= len(line) - 3):
                p.role = "section_heading"


def _headings_with_bodies(text: Text, g: Any, paras: list[Para]) -> None:
    """A "section heading" whose next paragraph is an item's body (a status line, an opinion, an account of
    the work) heads an item: "（一）理论学习走过场" followed by "核查结论：长期整改 I". Short problem titles without
    关于/问题 look like group headings to a bag of words; what follows them tells them apart. Sections the
    grammar knows as prose or containers (指导思想, 工作任务, …整改情况) stay sections.
    """
    folded = text.folded
    for p, nxt in itertools.pairwise(paras):
        if p.role != "section_heading" or nxt.role not in BODY_ROLES:
            continue
        span = (p.start, p.end)
        if g.non_item.search(folded, *span) or g.containers.search(folded, *span) or g.task_containers.search(
            folded, *span
        ):
            continue
        p.role = "item_heading"


def _headings_before_status_lines(paras: list[Para]) -> None:
    """Where the bulletin puts each item's status line right under its heading (most item headings are
    followed by one), a body paragraph followed by a status line, and not itself under an item heading,
    is an item heading the model read as a body: [heading, status, account] repeats through the list.
    """
    heads = [i for i, p in enumerate(paras) if p.role == "item_heading"]
    before_status = [i for i in heads if i + 1 < len(paras) and paras[i + 1].role == "status_line"]
    if len(before_status) < 2 or len(before_status) * 2 < len(heads):
        return
    for i in range(1, len(paras) - 1):
        p, prev, nxt = paras[i], paras[i - 1], paras[i + 1]
        if p.role in BODY_ROLES - {"status_line"} and nxt.role == "status_line" and prev.role != "item_heading":
            p.role = "item_heading"


__all__ = [
    "MODEL_ENV", "ROLES", "Para", "default_model_dir", "load_model", "make_nlp", "model_input",
    "paragraph_roles", "predict_roles", "propose", "strip_line", "strip_markers",
]
