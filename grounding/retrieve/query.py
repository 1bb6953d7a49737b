"""What a question says about *which* reports it means: facility, dates, unit, emergency class.

Operators name the plant and the day ("the reactor trip at Quad Cities on October
12, 2007"); matching that against report metadata is language-independent and far
more reliable than hoping the embedder ranks the right day first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The dates a question names are parsed in grounding/text/dates.py (re-exported here).
from grounding.text.dates import DateRange, parse_dates  # noqa: F401

_UNIT = re.compile(r"\bunit\s*(?:no\.?\s*)?(\d)\b|\b(\d)\s*호기", re.I)
_EMERGENCY = {
    "unusual event": "UNUSUAL EVENT",
    "notification of unusual event": "UNUSUAL EVENT",
    "site area emergency": "SITE AREA EMERGENCY",
    "general emergency": "GENERAL EMERGENCY",
    "alert": "ALERT",
}


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


def parse_units(question: str) -> list[int]:
    return sorted({int(a or b) for a, b in _UNIT.findall(question)})


def parse_emergency_class(question: str) -> str:
    q = question.lower()
    for phrase in sorted(_EMERGENCY, key=len, reverse=True):
        if re.search(rf"\b{phrase}\b", q):
            return _EMERGENCY[phrase]
    return ""
