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
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig", issues
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", issues
    if b"\x00" in data[:4096]:
        raise LoadError(name, "binary file (NUL bytes), not a text bulletin")
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
    text, encoding, issues = decode(data, name)
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
