"""Plain-text loader: detect the encoding, decode, split into line blocks.

Encoding detection is charset-normalizer's job (it handles GB18030/GBK/Big5 and BOMs better than any
hand-written heuristic); we only try strict UTF-8 first because it is both the commonest case and the one
detection occasionally mislabels on short texts.
"""

from __future__ import annotations

from rectiparse.models import Block, Loaded, LoadedTable, Source, ValidationIssue

_CJK_FAMILY = ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "utf_8", "utf_16", "utf_32", "hz")


def decode(data: bytes, name: str) -> tuple[str, str, list[ValidationIssue]]:
    """Return (text, encoding, issues). Raises LoadError when nothing decodes it as text."""
    from rectiparse.loaders import LoadError

    issues: list[ValidationIssue] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return _with_bom(data[3:], "utf-8", "utf-8-sig", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _with_bom(data, "utf-16", "utf-16", name)
    if b"\x00" in data[:4096]:
        found = utf16_without_bom(data, name)
        if found is None:
            raise LoadError(name, "binary file (NUL bytes), not a text bulletin")
        return found
    try:
        return data.decode("utf-8"), "utf-8", issues
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=None).best()
    if best is None:
        raise LoadError(name, "cannot determine the text encoding (not UTF-8, GBK, GB18030 or Big5)")
    enc = best.encoding
    # GB2312/GBK are subsets of GB18030: decoding with the superset never loses a character.
    if enc in ("gb2312", "gbk"):
        enc = "gb18030"
    text = str(best)
    # not UTF-8: say which encoding detection chose; outside the CJK encodings that is a real doubt
    cjk = enc in _CJK_FAMILY or enc.startswith(("big5", "cp950", "cp936"))
    issues.append(
        ValidationIssue(
            code="encoding_fallback",
            severity="info" if cjk else "warning",
            message=f"{name}: not UTF-8; decoded as {enc} by detection"
            + ("" if cjk else " (not a Chinese encoding: check the text)"),
        )
    )
    bad = text.count("\ufffd")
    if len(text) and bad / len(text) > 0.01:
        raise LoadError(name, f"undecodable text: {bad} replacement characters after decoding as {enc}")
    return text, enc, issues


def _with_bom(data: bytes, codec: str, label: str, name: str) -> tuple[str, str, list[ValidationIssue]]:
    """The byte order mark promises an encoding; a few bytes that break it (a file cut mid-character, a stray
    byte from an editor) are replaced and reported as ``encoding_fallback`` instead of losing the whole file."""
    from rectiparse.loaders import LoadError

    try:
        return data.decode(codec), label, []
    except UnicodeDecodeError as exc:
        first = exc.start + (3 if codec == "utf-8" else 0)
        reason = exc.reason
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if not text.strip("\ufffd \r\n\t") or bad > max(1, len(text) // 100):
        raise LoadError(name, f"starts with a {codec.upper()} byte order mark but is not {codec.upper()}: "
                              f"{bad} invalid byte sequence(s), the first at byte {first} ({reason})")
    issue = ValidationIssue(
        code="encoding_fallback", severity="warning",
        message=f"{name}: {bad} invalid {codec.upper()} byte sequence(s) replaced by U+FFFD, the first at byte "
                f"{first} ({reason})",
    )
    return text, label, [issue]


def _plausible(text: str) -> bool:
    """Does decoded text look like a bulletin: almost no control characters, and mostly CJK, ASCII and the
    punctuation between them (a wrong UTF-16 byte order gives a soup of rare CJK blocks and symbols)."""
    if not text:
        return False
    sample = text[:20000]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    good = sum(1 for c in sample if c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
               or "\uff00" <= c <= "\uffef" or c in "“”‘’—…·")
    return control <= len(sample) // 100 and good >= 0.9 * len(sample)


def utf16_without_bom(data: bytes, name: str) -> tuple[str, str, list[ValidationIssue]] | None:
    """UTF-16 saved without a byte order mark (Windows "Unicode" text from some exporters): its ASCII characters
    give zero bytes all at odd offsets (little endian) or all at even ones (big endian). None when the zero bytes
    do not fall that way or the text does not read as Chinese or ASCII in that byte order."""
    head = data[:8192]
    odd = sum(1 for i in range(1, len(head), 2) if head[i] == 0)
    even = sum(1 for i in range(0, len(head), 2) if head[i] == 0)
    if odd + even == 0 or 3 * min(odd, even) > max(odd, even):  # CJK characters give a few on the other side
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    text = data.decode(codec, errors="replace")  # an odd length leaves one byte: replaced at the end
    if not _plausible(text) or text.count("\ufffd") > max(1, len(text) // 100):
        return None
    issues = [ValidationIssue(
        code="encoding_fallback", severity="info",
        message=f"{name}: no byte order mark; decoded as {codec.upper()} by the pattern of its zero bytes",
    )]
    if len(data) % 2:
        issues.append(ValidationIssue(
            code="encoding_fallback", severity="warning",
            message=f"{name}: UTF-16 text of odd length: the last byte is not a whole character and was dropped",
        ))
    return text.removesuffix("\ufffd") if len(data) % 2 else text, codec, issues


def blocks_from_text(text: str) -> list[Block]:
    """One block per line; offsets into ``text``."""
    blocks: list[Block] = []
    pos = 0
    for line in text.split("\n"):
        blocks.append(Block(text=line, start=pos))
        pos += len(line) + 1
    return blocks


def find_tab_tables(blocks: list[Block]) -> list[tuple[int, int, LoadedTable]]:
    """Tab-separated runs of lines (a table pasted or extracted from a PDF) → tables.

    Returns (first block, last block, table). A run is ≥ 3 lines with ≥ 2 tabs each (blank lines
    may stand between); a header line repeated on every page is kept once as the columns; a line whose
    first cell is empty continues the row above it (a cell wrapped over several lines).
    """
    out: list[tuple[int, int, LoadedTable]] = []
    i = 0
    n = len(blocks)
    while i < n:
        if blocks[i].text.count("\t") < 2:
            i += 1
            continue
        j = i
        rows_idx = []
        while j < n and (blocks[j].text.count("\t") >= 2 or not blocks[j].text.strip()):
            if blocks[j].text.strip():
                rows_idx.append(j)
            j += 1
        if len(rows_idx) >= 3:
            lines = [blocks[k].text.split("\t") for k in rows_idx]
            header = [c.strip() for c in lines[0]] if not lines[0][0].strip()[:1].isdigit() else []
            width = max(len(r) for r in lines)
            rows: list[list[str | None]] = []
            for cells in lines:
                cells = [c.strip() for c in cells]
                if header and cells == header:
                    continue
                cells += [""] * (width - len(cells))
                if rows and not cells[0]:
                    prev = rows[-1]
                    rows[-1] = [((prev[k] or "") + cells[k]) or None for k in range(width)]
                else:
                    rows.append([c or None for c in cells])
            title = None
            k = i - 1
            while k >= 0 and not blocks[k].text.strip():
                k -= 1
            if k >= 0 and len(blocks[k].text.strip()) <= 40 and "\t" not in blocks[k].text:
                title = blocks[k].text.strip()
            out.append((i, rows_idx[-1], LoadedTable(title=title, columns=header, rows=rows)))
        i = j
    return out


def load(data: bytes, name: str) -> Loaded:
    from rectiparse.loaders import check_text_size

    text, encoding, issues = decode(data, name)
    check_text_size(text, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\t\f\v")
    if control > 16:
        from rectiparse.loaders import LoadError

        raise LoadError(name, "binary file (control characters), not a text bulletin")
    blocks = blocks_from_text(text)
    tables = []
    for first, last, table in find_tab_tables(blocks):
        tables.append(table)
        for b in blocks[first : last + 1]:
            b.style = "table"  # kept in `tables`; the normaliser leaves it out of the body text
    return Loaded(
        source=Source(format="txt", encoding=encoding, pages=None, ocr=False),
        text=text,
        blocks=blocks,
        tables=tables,
        issues=issues,
    )
