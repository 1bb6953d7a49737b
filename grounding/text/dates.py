"""Dates: metadata values to ISO days, dates written in text, and the periods questions name.

One place for what three modules parsed by hand before (ingest/records.py, verify/normalize.py,
retrieve/query.py, aggregate/periods.py). Values go through python-dateutil; text uses fixed
patterns (English month names, ISO, U.S. slashes, Korean "2008년 2월 26일"), because a date found
in a sentence must come with its exact span and never be guessed from a lone number.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

MONTHS: dict[str, int] = {
    m: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for m in names
}
MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_MDY_TEXT = re.compile(MONTH_RE + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I)
_DATE_DMY_TEXT = re.compile(r"(\d{1,2})\s+" + MONTH_RE + r"\.?,?\s+(\d{4})", re.I)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DATE_US = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
_DATE_KO = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """(ISO date, start, end) for every date written in a recognised form."""
    out: list[tuple[str, int, int]] = []
    for m in _DATE_MDY_TEXT.finditer(text):
        iso = _iso(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
        if iso:
            out.append((iso, m.start(), m.end()))
    for m in _DATE_DMY_TEXT.finditer(text):
        iso = _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
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


# --- metadata values --------------------------------------------------------------------
_DAY_FIRST = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\b")  # 27.02.2025: the European order
_NO_DATE_A = datetime(1901, 1, 1)
_NO_DATE_B = datetime(1902, 2, 2)


def parse_date(value: Any, fmt: str = "") -> str | None:
    """ISO date (YYYY-MM-DD) or None; a value that does not name a whole date is never guessed.

    `fmt` (a corpus's `date_format`, strptime syntax) is tried first; then ISO; then the Korean
    form ("2008년 2월 26일"); then python-dateutil for what people write: "2/27/2025 8:15",
    "Feb 27, 2025", "27.02.2025". Slashed dates are read month first, as U.S. agencies write them.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    s = " ".join(str(value).split())
    if not s or len(s) > 64:
        return None
    if fmt:
        try:
            return datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        pass
    ko = _DATE_KO.match(s)
    if ko:
        return _iso(int(ko.group(1)), int(ko.group(2)), int(ko.group(3)))
    from dateutil import parser as date_parser

    dayfirst = bool(_DAY_FIRST.match(s))
    try:
        # Parsed twice with different defaults: a part missing from the text ("March 2005",
        # "6:00 p.m. August 14") shows as a difference, and such a value is not a date.
        a = date_parser.parse(s, default=_NO_DATE_A, dayfirst=dayfirst)
        b = date_parser.parse(s, default=_NO_DATE_B, dayfirst=dayfirst)
    except (ValueError, OverflowError):
        return None
    return a.date().isoformat() if a.date() == b.date() else None


# --- what a question names --------------------------------------------------------------
_YEAR = re.compile(r"(?<!\d)(19[6-9]\d|20\d\d|21\d\d)(?!\d)")
_YEAR_KO = re.compile(r"(19[6-9]\d|20\d\d)\s*년")
_MONTH_YEAR = re.compile(MONTH_RE + r"\.?\s+(?:of\s+)?(\d{4})", re.I)
_MONTH_YEAR_KO = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)")


@dataclass
class DateRange:
    start: str  # ISO, inclusive
    end: str  # ISO, inclusive
    exact: bool

    def contains(self, iso: str | None) -> bool:
        return iso is not None and self.start <= iso <= self.end


def _month_range(y: int, m: int) -> DateRange:
    last = calendar.monthrange(y, m)[1]
    return DateRange(f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{last:02d}", False)


def parse_dates(question: str) -> list[DateRange]:
    """Exact days first; else month-year; else whole years."""
    days = find_dates(question)
    if days:
        return [DateRange(d, d, True) for d, _, _ in days]
    out = [_month_range(int(m.group(2)), MONTHS[m.group(1).lower()]) for m in _MONTH_YEAR.finditer(question)]
    out += [_month_range(int(m.group(1)), int(m.group(2))) for m in _MONTH_YEAR_KO.finditer(question) if 1 <= int(m.group(2)) <= 12]
    if out:
        return out
    years = {int(m.group(1)) for m in _YEAR.finditer(question)} | {int(m.group(1)) for m in _YEAR_KO.finditer(question)}
    return [DateRange(f"{y}-01-01", f"{y}-12-31", False) for y in sorted(years)]


# Year spans: "between 2010 and 2015", "since 2010", "before 2005" and the Korean forms
# "2010년부터 2015년까지", "2010년 이후", "2005년 이전". Tried in this order; the first match wins.
_Y = r"(19[6-9]\d|20\d\d)"
YEAR_SPANS: tuple[tuple[str, tuple[re.Pattern, ...]], ...] = (
    ("range", (
        re.compile(rf"(?i)\bbetween\s+{_Y}\s+and\s+{_Y}\b"),
        re.compile(rf"(?i)\bfrom\s+{_Y}\s+(?:to|through|until|till|-|–)\s+{_Y}\b"),
        re.compile(rf"(?<!\d){_Y}\s*(?:-|–|~|to|through)\s*{_Y}(?!\d)"),
        re.compile(rf"{_Y}\s*년?\s*(?:부터|에서|~)\s*{_Y}\s*년?\s*(?:까지|사이)?"),
    )),
    ("since", (re.compile(rf"(?i)\b(?:since|from|starting in|as of)\s+{_Y}\b"), re.compile(rf"{_Y}\s*년\s*(?:이후|이래|부터|以後)"))),
    ("after", (re.compile(rf"(?i)\bafter\s+{_Y}\b"),)),
    ("before", (re.compile(rf"(?i)\b(?:before|prior to)\s+{_Y}\b"), re.compile(rf"{_Y}\s*년\s*(?:이전|전)"))),
    ("until", (re.compile(rf"(?i)\b(?:until|through|up to)\s+{_Y}\b"), re.compile(rf"{_Y}\s*년\s*까지"))),
)


def year_span(question: str) -> tuple[str, int, int, str] | None:
    """(kind, first year, last year, matched text) of the first year span the question names;
    kind is range | since | after | before | until (one-year kinds give the year twice)."""
    for kind, patterns in YEAR_SPANS:
        for rx in patterns:
            m = rx.search(question)
            if m:
                if kind == "range":
                    a, b = sorted((int(m.group(1)), int(m.group(2))))
                    return kind, a, b, m.group(0)
                y = int(m.group(1))
                return kind, y, y, m.group(0)
    return None
