"""Plain-text loader: detect the encoding, decode, split into line blocks.

Encoding detection is charset-normalizer's job (it handles GB18030/GBK/Big5 and BOMs better than any
hand-written heuristic); we only try strict UTF-8 first because it is both the commonest case and the one
detection occasionally mislabels on short texts.
"""

from __future__ import annotations

from rectiparse.models import Block, Loaded, Source, ValidationIssue

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


def load(data: bytes, name: str) -> Loaded:
    text, encoding, issues = decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\t\f\v")
    if control > 16:
        from rectiparse.loaders import LoadError

        raise LoadError(name, "binary file (control characters), not a text bulletin")
    return Loaded(
        source=Source(format="txt", encoding=encoding, pages=None, ocr=False),
        text=text,
        blocks=blocks_from_text(text),
        issues=issues,
    )
