"""Canonical forms of numbers, dates and units, so "100%" = "100 percent" and "Oct. 12, 2007" = "2007-10-12"."""

from __future__ import annotations

import re

# Dates are found in one place for every stage (grounding/text/dates.py); re-exported here.
from grounding.text.dates import find_dates

_NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|(?<![\w.])-?\d+(?:\.\d+)?")
_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}
_WORD_NUM_RE = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", re.I)


def canonical_number(s: str) -> str:
    s = s.replace(",", "")
    try:
        v = float(s)
    except ValueError:
        return s
    return str(int(v)) if v.is_integer() else repr(v)


def find_numbers(text: str, skip_dates: bool = True) -> set[str]:
    """Canonical numbers outside dates ("1,200" -> "1200", "100%" -> "100", "two" -> "2")."""
    spans = [(s, e) for _, s, e in find_dates(text)] if skip_dates else []
    out: set[str] = set()
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        out.add(canonical_number(m.group(0)))
    for m in _WORD_NUM_RE.finditer(text):
        out.add(str(_WORD_NUMBERS[m.group(1).lower()]))
    return out


def facts(text: str) -> tuple[set[str], set[str]]:
    """(dates, numbers) a sentence asserts, in canonical form."""
    return {d for d, _, _ in find_dates(text)}, find_numbers(text)
