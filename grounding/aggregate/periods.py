"""The period a question asks about: a year, a month, "between 2010 and 2015", "since 2010", "before 2005"
(and the Korean forms "2010년부터 2015년까지", "2010년 이후", "2005년 이전")."""

from __future__ import annotations

import re

from grounding.aggregate.spec import Period
from grounding.retrieve.query import parse_dates

_Y = r"(19[6-9]\d|20\d\d)"
_RANGE = [
    re.compile(rf"(?i)\bbetween\s+{_Y}\s+and\s+{_Y}\b"),
    re.compile(rf"(?i)\bfrom\s+{_Y}\s+(?:to|through|until|till|-|–)\s+{_Y}\b"),
    re.compile(rf"(?<!\d){_Y}\s*(?:-|–|~|to|through)\s*{_Y}(?!\d)"),
    re.compile(rf"{_Y}\s*년?\s*(?:부터|에서|~)\s*{_Y}\s*년?\s*(?:까지|사이)?"),
]
_SINCE = [re.compile(rf"(?i)\b(?:since|from|starting in|as of)\s+{_Y}\b"), re.compile(rf"{_Y}\s*년\s*(?:이후|이래|부터|以後)")]
_AFTER = [re.compile(rf"(?i)\bafter\s+{_Y}\b")]
_BEFORE = [re.compile(rf"(?i)\b(?:before|prior to)\s+{_Y}\b"), re.compile(rf"{_Y}\s*년\s*(?:이전|전)")]
_UNTIL = [re.compile(rf"(?i)\b(?:until|through|up to)\s+{_Y}\b"), re.compile(rf"{_Y}\s*년\s*까지")]


def find_periods(question: str, span: tuple[str | None, str | None]) -> tuple[list[Period], list[str]]:
    """(periods, matched texts). Open ends ("since 2010") close at the corpus's first/last date."""
    lo = span[0] or "1900-01-01"
    hi = span[1] or "2100-12-31"
    for rx in _RANGE:
        m = rx.search(question)
        if m:
            a, b = sorted((int(m.group(1)), int(m.group(2))))
            return [Period(f"{a}-01-01", f"{b}-12-31", m.group(0))], [m.group(0)]
    for rx in _SINCE:
        m = rx.search(question)
        if m:
            return [Period(f"{m.group(1)}-01-01", max(hi, f"{m.group(1)}-12-31"), m.group(0))], [m.group(0)]
    for rx in _AFTER:
        m = rx.search(question)
        if m:
            y = int(m.group(1)) + 1
            return [Period(f"{y}-01-01", max(hi, f"{y}-12-31"), m.group(0))], [m.group(0)]
    for rx in _BEFORE:
        m = rx.search(question)
        if m:
            y = int(m.group(1)) - 1
            return [Period(min(lo, f"{y}-01-01"), f"{y}-12-31", m.group(0))], [m.group(0)]
    for rx in _UNTIL:
        m = rx.search(question)
        if m:
            return [Period(min(lo, f"{m.group(1)}-01-01"), f"{m.group(1)}-12-31", m.group(0))], [m.group(0)]
    out = []
    for d in parse_dates(question):
        label = d.start[:4] if d.start.endswith("-01-01") and d.end.endswith("-12-31") and d.start[:4] == d.end[:4] else (
            d.start[:7] if d.start[:7] == d.end[:7] and not d.exact else d.start)
        out.append(Period(d.start, d.end, label))
    return out, [p.text for p in out]


def exact_day(question: str) -> bool:
    """The question names a day: a single event, not the archive."""
    return any(d.exact for d in parse_dates(question))
