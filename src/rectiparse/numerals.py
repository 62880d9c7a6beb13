"""Chinese numerals: the one place that reads them, for every stage.

Bulletins write numbers in three ways, and each stage meets all of them: heading and list numbers
(``一、`` ``（十二）`` ``③`` ``12.``), counts and amounts (``四百一十三个``, ``两亿元``, ``零点二九``) and
dates (``二〇二三年十二月二十二日``). Before this module five parsers disagreed on 两 and 〇; now there is one
rule, stated once:

* **两 is 二, 〇 (and the circle ○ that OCR and some fonts give) is 零**, everywhere;
* a positional numeral (with 十/百/千/万/亿) is read *strictly*: ``四五`` (four or five) and ``一一`` are not
  numbers; a leading bare multiplier counts as one of it (``千亿`` → 10^11, ``十二`` → 12);
* a run of digits without units (``二〇二三``) is a number only where the caller says so
  (:func:`chinese_digits`, for years);
* one to 九十九 are read here without cn2an, whose import costs 0.1 s (a quarter of a one-file
  ``rectiparse extract``); everything larger goes to cn2an's strict mode.

Pure functions, no imports from the rest of the package: every stage may use this module.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

__all__ = [
    "CIRCLED",
    "chinese_decimal",
    "chinese_digits",
    "chinese_int",
    "numeral_value",
    "small_chinese_number",
]

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")}
_SPELLING = str.maketrans({"两": "二", "〇": "零", "○": "零"})
_MULTIPLIER = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def _canonical(t: str) -> str:
    """The one spelling cn2an's strict mode reads: 两 → 二, 〇/○ → 零, a leading multiplier gets its 一."""
    t = t.strip().translate(_SPELLING)
    if t and t[0] in "百千万亿":
        t = "一" + t
    return t


def small_chinese_number(t: str) -> int | None:
    """零 … 九十九 without cn2an (heading numerals and most counts are this small); None for anything else.

    Accepts the variant spellings (两, 〇). The forms it leaves to cn2an are exactly those cn2an must decide:
    ``一十``, ``百``, ``一百`` … (and ``四五``, ``一一``, which no reader accepts).
    """
    d = _DIGIT_VALUE
    t = t.translate(_SPELLING)
    if len(t) == 1:
        return 10 if t == "十" else d.get(t)
    if len(t) == 2 and t[0] == "十" and t[1] in d and t[1] != "零":
        return 10 + d[t[1]]
    if len(t) == 2 and t[1] == "十" and t[0] in d and t[0] not in "零一":
        return 10 * d[t[0]]
    if len(t) == 3 and t[1] == "十" and t[0] in d and t[2] in d and t[0] not in "零一" and t[2] != "零":
        return 10 * d[t[0]] + d[t[2]]
    return None


@functools.lru_cache(maxsize=4096)
def chinese_int(token: str) -> int | None:
    """The integer a positional Chinese numeral writes (``四百一十三`` → 413, ``两亿`` → 2×10^8); None if malformed."""
    t = _canonical(token)
    if not t:
        return None
    small = small_chinese_number(t)
    if small is not None:
        return small
    if any(c not in _DIGIT_VALUE and c not in _MULTIPLIER for c in t):
        return None
    import cn2an  # 0.1 s to import: only numbers past 九十九 pay it

    try:
        value = cn2an.cn2an(t, "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if float(value).is_integer() else None


def chinese_decimal(token: str) -> Decimal | None:
    """A Chinese numeral with an optional decimal part and trailing multipliers, as figures write them.

    ``四百一十三`` → 413, ``零点二九`` → 0.29, ``一点二亿`` → 1.2×10^8, ``千亿`` → 10^11; None if malformed
    (``四五``, ``十四五``).
    """
    t = _canonical(token)
    if not t:
        return None
    if "点" not in t:
        n = chinese_int(t)
        return Decimal(n) if n is not None else None
    whole, _, rest = t.partition("点")
    frac = rest.rstrip("十百千万亿")
    mult = rest[len(frac):]
    if not frac or any(c not in _DIGIT_VALUE for c in frac):
        return None
    base = chinese_int(whole) if whole else 0
    if base is None:
        return None
    try:
        value = Decimal(f"{base}.{''.join(str(_DIGIT_VALUE[c]) for c in frac)}")
    except InvalidOperation:
        return None
    for c in mult:
        value *= _MULTIPLIER[c]
    return value


def chinese_digits(token: str) -> int | None:
    """A number written digit by digit (``二〇二三`` → 2023, ``2023`` → 2023), as years are; None otherwise."""
    t = token.strip()
    if t.isdecimal():
        return int(t)
    t = t.translate(_SPELLING)
    if not t or any(c not in _DIGIT_VALUE for c in t):
        return None
    return int("".join(str(_DIGIT_VALUE[c]) for c in t))


@functools.lru_cache(maxsize=4096)
def numeral_value(num: str) -> int | None:
    """The integer behind a heading or list number in any script: ``12`` → 12, ``③`` → 3, ``十二`` → 12."""
    num = num.strip()
    if num.isdecimal():  # not isdigit(): "①".isdigit() is True and int("①") raises
        return int(num)
    if len(num) == 1 and num in CIRCLED:
        return CIRCLED.index(num) + 1
    return chinese_int(num)
