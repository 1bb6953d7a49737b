"""Canonical forms of numbers, dates and units, so "100%" = "100 percent" and "Oct. 12, 2007" = "2007-10-12"."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for m in names
}
_MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_MDY_TEXT = re.compile(_MONTH_RE + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)
_DATE_DMY_TEXT = re.compile(r"(\d{1,2})\s+" + _MONTH_RE + r"\.?,?\s+(\d{4})", re.I)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DATE_US = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
_DATE_KO = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|(?<![\w.])-?\d+(?:\.\d+)?")
_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}
_WORD_NUM_RE = re.compile(r"\b(" + "|".join(_WORD_NUMBERS) + r")\b", re.I)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """(ISO date, start, end) for every date written in a recognised form."""
    out: list[tuple[str, int, int]] = []
    for m in _DATE_MDY_TEXT.finditer(text):
        iso = _iso(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
        if iso:
            out.append((iso, m.start(), m.end()))
    for m in _DATE_DMY_TEXT.finditer(text):
        iso = _iso(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
        if iso:
            out.append((iso, m.start(), m.end()))
    for m in _DATE_ISO.finditer(text):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            out.append((iso, m.start(), m.end()))
    for m in _DATE_US.finditer(text):
        y = int(m.group(3))
        y = y + 2000 if y < 50 else (y + 1900 if y < 100 else y)
        iso = _iso(y, int(m.group(1)), int(m.group(2)))
        if iso:
            out.append((iso, m.start(), m.end()))
    for m in _DATE_KO.finditer(text):
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            out.append((iso, m.start(), m.end()))
    return out


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
