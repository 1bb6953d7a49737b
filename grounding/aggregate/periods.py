"""The period a question asks about: a year, a month, "between 2010 and 2015", "since 2010", "before 2005"
(and the Korean forms "2010년부터 2015년까지", "2010년 이후", "2005년 이전")."""

from __future__ import annotations

from grounding.aggregate.spec import Period
from grounding.text.dates import parse_dates, year_span


def find_periods(question: str, span: tuple[str | None, str | None]) -> tuple[list[Period], list[str]]:
    """(periods, matched texts). Open ends ("since 2010") close at the corpus's first/last date."""
    lo = span[0] or "1900-01-01"
    hi = span[1] or "2100-12-31"
    span_ = year_span(question)
    if span_ is not None:
        kind, a, b, text = span_
        if kind == "range":
            return [Period(f"{a}-01-01", f"{b}-12-31", text)], [text]
        if kind == "since":
            return [Period(f"{a}-01-01", max(hi, f"{a}-12-31"), text)], [text]
        if kind == "after":
            return [Period(f"{a + 1}-01-01", max(hi, f"{a + 1}-12-31"), text)], [text]
        if kind == "before":
            return [Period(min(lo, f"{a - 1}-01-01"), f"{a - 1}-12-31", text)], [text]
        return [Period(min(lo, f"{a}-01-01"), f"{a}-12-31", text)], [text]  # until
    out = []
    for d in parse_dates(question):
        label = d.start[:4] if d.start.endswith("-01-01") and d.end.endswith("-12-31") and d.start[:4] == d.end[:4] else (
            d.start[:7] if d.start[:7] == d.end[:7] and not d.exact else d.start)
        out.append(Period(d.start, d.end, label))
    return out, [p.text for p in out]


def exact_day(question: str) -> bool:
    """The question names a day: a single event, not the archive."""
    return any(d.exact for d in parse_dates(question))
