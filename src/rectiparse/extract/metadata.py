"""Document metadata: the bulletin's own facts — title, type, issuer, dates, numbers, inspection, contacts.

Where each value comes from, and why:

* **title** — the first line of the head that reads like a title (ends with 通报/报告/方案… or says 关于),
  skipping red heads (…文件), document-number lines, web chrome (通知公告, 索引号 …) and salutations. A
  notice that only transmits a plan (…印发《X》的通知) is titled by the plan: the standalone line that
  repeats X, or X itself when the plan's own title line is missing.
* **issuer** — the signature organisation (the line before the final date, or the date line's own
  prefix), because the title often uses a short form (XX经济开发区D工委) while the signature gives the
  full name; then the title's prefix before 关于/印发; then the red head; then the web block's 发布机构.
* **date** — the signature date (a paragraph that is only an organisation and a date); publish_date and
  index_number come from the web metadata block (发布日期 is preferred to 生成日期).
* **text wins over container metadata**: every value found in the text has a span users can check; the
  container's values (HTML <meta>, DOCX properties) only fill fields the text leaves empty, without span.

All matching runs on ``text.folded`` (same length, punctuation unified) and values are cut from
``text.text``, so every span in ``DocumentMeta.spans`` gives back the value as written.
"""

from __future__ import annotations

import itertools

from rectiparse.dates import DateMention, YearContext, find_dates, first_full_date
from rectiparse.extract.documents import find_documents
from rectiparse.models import Contacts, DocType, DocumentMeta, Period, SourceReport
from rectiparse.normalise import Text, fold
from rectiparse.rules import MetadataRules, Rules, alternation, compiled, load_rules
from rectiparse.segment.front import (
    HEAD_PARAS,
    find_signature,
    find_title,
    org_like,
    trimmed_paragraphs,
)

Span = tuple[int, int]


def _rules(rules: Rules | MetadataRules | None) -> MetadataRules:
    if isinstance(rules, MetadataRules):
        return rules
    return (rules or load_rules()).metadata


# --------------------------------------------------------------------------- dates
# Dates come from the one date finder (``rectiparse.dates``), scanned once a document by ``extract``; a date's
# ``year`` is the year as written, the others take theirs from ``YearContext``.


# --------------------------------------------------------------------------- paragraphs


# --------------------------------------------------------------------------- title


_OCCASION = compiled(
    r"(?:^|\n|--)\s*-{0,2}\s*(?P<v>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*在[^\n]{2,60}?(?:\n[^\n]{0,40}?)?会议上"
)
# --------------------------------------------------------------------------- doc_type


def _doc_type(title: str | None, head: str, m: MetadataRules) -> DocType:
    if title:
        for code in ("plan", "audit", "inspection"):
            if any(compiled(p).search(title) for p in m.doc_types.get(code, [])):  # type: ignore[call-overload]
                return code  # type: ignore[return-value]
    for code in ("audit", "inspection"):
        if any(compiled(p).search(head) for p in m.doc_types.get(code, [])):  # type: ignore[call-overload]
            return code  # type: ignore[return-value]
    return "other"


# --------------------------------------------------------------------------- signature and issuer


def _title_prefix(title: str) -> int | None:
    """Length of the issuer prefix of a title (东阳市人民政府关于… → 7), None when there is none.

    A prefix stops at its first digit or colon: 安徽省审计厅2024年第3号公告：关于… → 安徽省审计厅.
    """
    for word in ("关于", "印发", "转发", "下发"):
        k = title.find(word)
        if k == 0:
            return None
        if k >= 2:
            cut = _PREFIX_STOP.search(title, 0, k)
            k = cut.start() if cut else k
            return k if k >= 2 else None
    return None


_PREFIX_STOP = compiled(r"[\d０-９:：〔\[(（]|[〇零一二三四五六七八九]{4}年")


# --------------------------------------------------------------------------- labelled fields


def _labelled(text: Text, labels: list[str], value: str, start: int = 0, end: int | None = None):  # type: ignore[no-untyped-def]
    import regex

    # a short label (日期) must not end a longer word (成文日期, 生成日期)
    # pages pad labels to one width with spaces between the characters: 文　　号, 索 引 号
    alts = [("(?<!\\p{Han})" if len(w) <= 2 else "") + r"[ \t\u3000]*".join(map(regex.escape, w)) for w in labels]
    pat = compiled(rf"(?:{'|'.join(alts)})\s*[:]?\s*(?P<v>{value})")
    return pat.search(text.folded, start, len(text.folded) if end is None else end)


def _first_by_label(text: Text, labels: list[str], value: str, end: int):  # type: ignore[no-untyped-def]
    """The value after the first label in ``labels`` order that has one (发布日期 before 生成日期)."""
    for label in labels:
        hit = _labelled(text, [label], value, 0, end)
        if hit:
            return hit
    return None


def _source_org(text: Text, m: MetadataRules, end: int) -> Span | None:
    """The publishing body of the web block (发布机构：…, 来源：…) when it reads as an organisation.

    A value runs up to white space or to the next word of the block written without a space
    (来源:宁波市审计局浏览次数 → 宁波市审计局).
    """
    stop = alternation(m.web_block_words) or "(?!)"
    for label in m.source_labels:
        hit = _labelled(text, [label], rf"[^\s:]{{2,40}}?(?=\s|$|:|{stop}|[\[\]【】|])", 0, end)
        if hit and org_like(text.folded[hit.start("v") : hit.end("v")], m):
            return hit.span("v")
    return None


# --------------------------------------------------------------------------- inspection facts


def _sentences(folded: str, start: int, end: int) -> list[Span]:
    out, a = [], start
    for i in range(start, end):
        if folded[i] in "。!?\n":
            out.append((a, i + 1))
            a = i + 1
    if a < end:
        out.append((a, end))
    return out


def _inspector(text: Text, m: MetadataRules) -> Span | None:
    """The first mention naming both the body and the group (区委第二巡察组), else one naming the group
    (第二巡察组, 4个巡察组), else one naming the body (市委巡察组)."""
    pat = compiled(m.inspector.replace("{orgs}", alternation(m.inspector_orgs)))
    best: tuple[int, Span] | None = None
    for hit in pat.finditer(text.folded):
        rank = 0 if hit.group("num") and hit.group("org") else 1 if hit.group("num") else 2 if hit.group("org") else 3
        if rank == 0:
            return _trim_span(text.text, hit.span())
        if rank < 3 and (best is None or rank < best[0]):
            best = (rank, _trim_span(text.text, hit.span()))
    return best[1] if best else None


def _trim_span(s: str, span: Span) -> Span:
    a, b = span
    while a < b and s[a].isspace():
        a += 1
    while b > a and s[b - 1].isspace():
        b -= 1
    return a, b


def _period_and_feedback(
    text: Text, m: MetadataRules, dates: list[DateMention], years: YearContext
) -> tuple[tuple[Span, str | None, str | None] | None, tuple[Span, str] | None]:
    folded = text.folded
    sep = compiled(r"\s*" + m.period_separators + r"\s*")
    period = None
    feedback = None
    limit = min(len(folded), 4000)
    for a, b in _sentences(folded, 0, limit):
        s = folded[a:b]
        if "巡视" not in s and "巡察" not in s:
            continue
        ds = [d for d in dates if a <= d.span[0] and d.span[1] <= b]
        in_range: set[int] = set()
        if period is None:
            for x, y in itertools.pairwise(ds):
                if x.year and sep.fullmatch(folded[x.span[1] : y.span[0]]):
                    start = x.iso()
                    end_year = y.year or x.year
                    if y.year is None and (y.month, y.day or 0) < (x.month, x.day or 0):
                        end_year = x.year + 1
                    period = ((x.span[0], y.span[1]), start, y.iso(end_year))
                    in_range = {x.span[0], y.span[0]}
                    break
        if feedback is None:
            k = min((s.find(w) for w in m.feedback_words if w in s), default=-1)
            if k >= 0:
                pos = a + k
                cands = [d for d in ds if d.span[0] not in in_range and d.day]
                if period is not None:
                    cands = [d for d in cands if not (period[0][0] <= d.span[0] < period[0][1])]
                before = [d for d in cands if d.span[1] <= pos]
                pick = before[-1] if before else (cands[0] if cands else None)
                if pick is None:
                    # 于2022年8月反馈: the month is all the text says
                    months = [d for d in ds if d.span[0] not in in_range and d.year and d.day is None
                              and not (period is not None and period[0][0] <= d.span[0] < period[0][1])]
                    before = [d for d in months if d.span[1] <= pos] or months
                    pick = before[-1] if before else None
                if pick is not None:
                    iso = pick.iso(years.at(pick.span[0]))
                    if iso:
                        feedback = (pick.span, iso)
        if period is not None and feedback is not None:
            break
    return period, feedback


# --------------------------------------------------------------------------- contacts

_EMAIL = compiled(r"[A-Za-z0-9][A-Za-z0-9._%+\-]*[@＠][A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE_ANY = compiled(r"(?<![\d/-])(?:0\d{2,3}-\d{7,8}|\(0\d{2,3}\)\s?\d{7,8}|400-\d{3}-\d{4})(?:-\d{1,5})?(?![\d])")
_PHONE_TOKEN = r"(?:\(?0\d{2,3}\)?\s?-?\s?\d{7,8}(?:-\d{1,5})?|1[3-9]\d{9}|400-?\d{3}-?\d{4}|\d{7,8}|1\d{4})"


def _contacts(text: Text, m: MetadataRules, spans: dict[str, Span]) -> Contacts:
    folded = text.folded
    phones: dict[Span, None] = {}
    label = compiled(rf"(?:{alternation(m.phone_labels)})\s*[:]?\s*")
    token = compiled(rf"(?<![\d-]){_PHONE_TOKEN}(?![\d])")
    for lm in label.finditer(folded):
        pos = lm.end()
        while True:
            t = token.match(folded, pos)
            if not t:
                break
            phones[t.span()] = None
            nxt = compiled(r"\s*(?:[、,/]|或|和|及)\s*").match(folded, t.end())
            if not nxt:
                break
            pos = nxt.end()
    for t in _PHONE_ANY.finditer(folded):
        if not any(a <= t.start() < b for a, b in phones):
            phones[t.span()] = None
    emails = [e.span() for e in _EMAIL.finditer(text.text)]
    postcodes: dict[Span, None] = {}
    for pm in compiled(rf"(?:{alternation(m.postcode_labels)})\s*[:]?\s*(?P<v>\d{{6}})(?!\d)").finditer(folded):
        postcodes[pm.span("v")] = None
    addresses: list[Span] = []
    addr = compiled(
        rf"(?:{alternation(m.address_labels)})\s*[:]\s*(?P<v>[^;。\n]+?)"
        rf"(?:\s*[,，(]?\s*(?:{alternation(m.postcode_labels)})|[,\s]\s*(?P<pc>\d{{6}})(?!\d)|(?=[;。\n)])|$)"
    )
    for am in addr.finditer(folded):
        v = _trim_span(text.text, am.span("v"))
        if v[1] > v[0] and not _EMAIL.fullmatch(text.text[v[0] : v[1]]):
            addresses.append(v)
        if am.group("pc"):
            postcodes[am.span("pc")] = None
    out = Contacts()
    for name, found in (("phones", list(phones)), ("emails", emails), ("postcodes", list(postcodes)),
                        ("addresses", addresses)):
        values: list[str] = getattr(out, name)
        for span in sorted(found):
            value = text.text[span[0] : span[1]]
            if value not in values:
                spans[f"contacts.{name}.{len(values)}"] = span
                values.append(value)
    return out


# --------------------------------------------------------------------------- the extractor


def extract_metadata(
    text: Text, container_meta: dict[str, str] | None = None, rules: Rules | MetadataRules | None = None, *,
    dates: list[DateMention] | None = None,
) -> DocumentMeta:
    """The document's own facts, each with its span in ``DocumentMeta.spans``.

    ``dates``: the document's dates when the caller has scanned for them already (``extract`` does, once a
    document); found here otherwise.
    """
    m = _rules(rules)
    if dates is None:
        dates = find_dates(text.text)
    container = container_meta or {}
    folded, raw = text.folded, text.text
    paras = trimmed_paragraphs(text)
    spans: dict[str, Span] = {}
    meta = DocumentMeta()
    head_end = paras[min(len(paras), HEAD_PARAS) - 1][1] if paras else 0

    def put(field: str, span: Span | None) -> str | None:
        if span is None or span[1] <= span[0]:
            return None
        spans[field] = span
        return raw[span[0] : span[1]]

    # title and doc_type
    title_span, head_line = find_title(text, paras, m)
    title = put("title", title_span)
    meta.title = "".join(title.split("\n")) if title else container.get("title") or None
    head_text = folded[:1500]
    meta.doc_type = _doc_type(fold(meta.title) if meta.title else None, head_text, m)

    # doc number: a standalone line of the head, or a labelled 文号
    doc_no_line = compiled(r"\s*(?P<v>" + m.doc_number + r")")
    for a, b in paras[:HEAD_PARAS]:
        if b - a <= 60:
            hit = doc_no_line.match(folded, a, b)
            if hit:
                meta.doc_number = put("doc_number", hit.span("v"))
                break
    if meta.doc_number is None:
        hit = _labelled(text, m.doc_number_labels, m.doc_number, 0, head_end)
        meta.doc_number = put("doc_number", hit.span("v")) if hit else container.get("doc_number")

    # signature: issuer and date
    org_span, date_span, sig = find_signature(text, paras, m, dates)
    if sig is not None and date_span is not None:
        spans["date"] = date_span
        meta.date = sig.iso()
    if org_span is not None:
        meta.issuer = put("issuer", org_span)
    if meta.issuer is None and head_line is not None:
        k = _title_prefix(raw[head_line[0] : head_line[1]])
        if k:
            meta.issuer = put("issuer", (head_line[0], head_line[0] + k))
    if meta.issuer is None:
        for a, b in paras[:4]:
            s = raw[a:b].strip()
            if s.endswith("文件") and 4 <= len(s) <= 40 and " " not in s:
                meta.issuer = put("issuer", (a, b - 2))
                break
    if meta.issuer is None:
        meta.issuer = put("issuer", _source_org(text, m, head_end))
    if meta.issuer is None:
        meta.issuer = container.get("issuer")

    # web metadata block
    date_value = r"(?:\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    hit = _first_by_label(text, m.publish_date_labels, date_value, len(folded))
    if hit:
        spans["publish_date"] = hit.span("v")
        meta.publish_date = first_full_date(raw[hit.start("v") : hit.end("v")])
    elif container.get("publish_date") or container.get("generated_date"):
        meta.publish_date = first_full_date(container.get("publish_date") or container["generated_date"])
    if meta.date is None:
        hit = _labelled(text, m.written_date_labels, date_value, 0, head_end)
        occasion = _OCCASION.search(folded, 0, head_end)
        if hit:
            spans["date"] = hit.span("v")
            meta.date = first_full_date(raw[hit.start("v") : hit.end("v")])
        elif occasion:
            # a report to a congress is dated by its occasion: ——2023年12月26日在…会议上
            spans["date"] = occasion.span("v")
            meta.date = first_full_date(raw[occasion.start("v") : occasion.end("v")])
        elif container.get("date"):
            meta.date = first_full_date(container["date"])
    hit = _labelled(text, m.index_number_labels, r"[A-Za-z0-9][A-Za-z0-9/\-_.]*", 0, head_end)
    meta.index_number = put("index_number", hit.span("v")) if hit else container.get("index_number")

    # inspection facts
    meta.inspector = put("inspector", _inspector(text, m))
    period, feedback = _period_and_feedback(text, m, dates, YearContext(dates))
    if period is not None:
        spans["inspection_period"] = period[0]
        meta.inspection_period = Period(start=period[1], end=period[2])
    if feedback is not None:
        spans["feedback_date"] = feedback[0]
        meta.feedback_date = feedback[1]

    # the audit's source report
    if meta.doc_type == "audit":
        after = compiled(m.source_report_after)
        for cite in find_documents(raw, 0, min(len(raw), 1500)):
            acknowledged = after.match(folded, cite.span[1]) is not None
            if acknowledged or compiled(m.source_report_title).search(cite.title):
                meta.source_report = SourceReport(title=cite.title, doc_number=cite.number)
                spans["source_report.title"] = cite.title_span
                if cite.number_span:
                    spans["source_report.doc_number"] = cite.number_span
                break

    meta.contacts = _contacts(text, m, spans)
    meta.spans = spans
    return meta
