"""Cited documents: ``《东阳市产业基金管理办法》（东政办发〔2021〕2 号）`` → title and number.

The title is what stands between the outermost 《 and its matching 》 (a nested 〈…〉 or 《…》 stays part
of it); the number is taken only from a bracket right after the title whose content looks like a
document number (a year in brackets followed by …号, or 第…号), so a bracketed remark is not mistaken
for one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rectiparse.rules import compiled

_NUMBER = compiled(
    r"[\p{Han}A-Za-z]{0,16}\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*(?:第\s*)?\d{1,5}\s*号"
    r"|[\p{Han}A-Za-z]{0,16}\s*\d{4}\s*年?\s*第\s*\d{1,5}\s*号"
    r"|[\p{Han}A-Za-z]{1,16}\s*第\s*\d{1,5}\s*号"
)
_AFTER = compiled(r"\s{0,2}[（(]\s*(?P<n>[^（）()\n]{2,40}?)\s*[）)]")


@dataclass(frozen=True)
class DocumentCitation:
    """``span`` covers the whole citation (marks and number); ``title_span``/``number_span`` the values."""

    title: str
    number: str | None
    span: tuple[int, int]
    title_span: tuple[int, int] = (0, 0)
    number_span: tuple[int, int] | None = None


def find_documents(text: str, start: int = 0, end: int | None = None) -> list[DocumentCitation]:
    """Every 《…》 in ``text[start:end]`` with its document number when one follows it."""
    end = len(text) if end is None else min(end, len(text))
    out: list[DocumentCitation] = []
    i = text.find("《", start, end)
    while i != -1:
        close = _matching(text, i, end)
        if close is None:
            i = text.find("《", i + 1, end)
            continue
        t0, t1 = i + 1, close
        while t0 < t1 and text[t0].isspace():
            t0 += 1
        while t1 > t0 and text[t1 - 1].isspace():
            t1 -= 1
        stop = close + 1
        number: str | None = None
        nspan: tuple[int, int] | None = None
        m = _AFTER.match(text, close + 1, end)
        if m and _NUMBER.fullmatch(m.group("n")):
            number, nspan, stop = m.group("n"), m.span("n"), m.end()
        if t1 > t0:
            out.append(DocumentCitation(text[t0:t1], number, (i, stop), (t0, t1), nspan))
        i = text.find("《", close + 1, end)
    return out


def _matching(text: str, i: int, end: int) -> int | None:
    """Offset of the 》 closing the 《 at ``i``; None when it is not closed within the paragraph."""
    depth = 0
    for j in range(i, end):
        ch = text[j]
        if ch == "《":
            depth += 1
        elif ch == "》":
            depth -= 1
            if depth == 0:
                return j
        elif ch == "\n":
            return None
    return None
