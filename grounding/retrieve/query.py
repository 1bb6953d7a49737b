"""What a question says about *which* reports it means: facility, dates, unit, emergency class.

Operators name the plant and the day ("the reactor trip at Quad Cities on October
12, 2007"); matching that against report metadata is language-independent and far
more reliable than hoping the embedder ranks the right day first.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from grounding.verify.normalize import _MONTH_RE, _MONTHS, find_dates

_YEAR = re.compile(r"(?<!\d)(19[6-9]\d|20\d\d|21\d\d)(?!\d)")
_YEAR_KO = re.compile(r"(19[6-9]\d|20\d\d)\s*년")
_MONTH_YEAR = re.compile(_MONTH_RE + r"\.?\s+(?:of\s+)?(\d{4})", re.I)
_MONTH_YEAR_KO = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월(?!\s*\d{1,2}\s*일)")
_UNIT = re.compile(r"\bunit\s*(?:no\.?\s*)?(\d)\b|\b(\d)\s*호기", re.I)
_EMERGENCY = {
    "unusual event": "UNUSUAL EVENT",
    "notification of unusual event": "UNUSUAL EVENT",
    "site area emergency": "SITE AREA EMERGENCY",
    "general emergency": "GENERAL EMERGENCY",
    "alert": "ALERT",
}


@dataclass
class DateRange:
    start: str  # ISO, inclusive
    end: str  # ISO, inclusive
    exact: bool

    def contains(self, iso: str | None) -> bool:
        return iso is not None and self.start <= iso <= self.end


@dataclass
class QueryFilters:
    facilities: list[str] = field(default_factory=list)  # canonical keys
    dates: list[DateRange] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    emergency_class: str = ""

    @property
    def empty(self) -> bool:
        return not (self.facilities or self.dates or self.units or self.emergency_class)

    def describe(self) -> dict:
        return {
            "facilities": self.facilities,
            "dates": [f"{d.start}..{d.end}" if d.start != d.end else d.start for d in self.dates],
            "units": self.units,
            "emergency_class": self.emergency_class,
        }


def _month_range(y: int, m: int) -> DateRange:
    last = calendar.monthrange(y, m)[1]
    return DateRange(f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{last:02d}", False)


def parse_dates(question: str) -> list[DateRange]:
    """Exact days first; else month-year; else whole years."""
    days = find_dates(question)
    if days:
        return [DateRange(d, d, True) for d, _, _ in days]
    out = [_month_range(int(m.group(2)), _MONTHS[m.group(1).lower()]) for m in _MONTH_YEAR.finditer(question)]
    out += [_month_range(int(m.group(1)), int(m.group(2))) for m in _MONTH_YEAR_KO.finditer(question) if 1 <= int(m.group(2)) <= 12]
    if out:
        return out
    years = {int(m.group(1)) for m in _YEAR.finditer(question)} | {int(m.group(1)) for m in _YEAR_KO.finditer(question)}
    return [DateRange(f"{y}-01-01", f"{y}-12-31", False) for y in sorted(years)]


def parse_units(question: str) -> list[int]:
    return sorted({int(a or b) for a, b in _UNIT.findall(question)})


def parse_emergency_class(question: str) -> str:
    q = question.lower()
    for phrase in sorted(_EMERGENCY, key=len, reverse=True):
        if re.search(rf"\b{phrase}\b", q):
            return _EMERGENCY[phrase]
    return ""
