"""grounding.text.dates: metadata values, dates in text, question periods."""

from __future__ import annotations

from grounding.text.dates import find_dates, parse_date, parse_dates, year_span


def test_parse_date_values():
    assert parse_date("2/27/2025 8:15") == "2025-02-27"
    assert parse_date("Feb 27, 2025") == "2025-02-27"
    assert parse_date("27.02.2025") == "2025-02-27"
    assert parse_date("2025-02-27T10:00") == "2025-02-27"
    assert parse_date("27/02/2025", "%d/%m/%Y") == "2025-02-27"


def test_parse_date_never_guesses_a_partial_date():
    assert parse_date("March 2005") is None
    assert parse_date("6:00 p.m. August 14") is None
    assert parse_date("") is None and parse_date(None) is None


def test_korean_dates():
    assert parse_date("2008년 2월 26일") == "2008-02-26"
    assert parse_date("2008년 2월 30일") is None
    assert [d for d, _, _ in find_dates("사건은 2008년 2월 26일에 발생했다")] == ["2008-02-26"]
    (r,) = parse_dates("2008년 2월에 무슨 일이 있었나?")
    assert (r.start, r.end, r.exact) == ("2008-02-01", "2008-02-29", False)


def test_dates_in_text_with_spans():
    text = "On Oct. 12, 2007 and 2007-10-13 and 10/14/07 and 15 October 2007"
    found = find_dates(text)
    assert sorted(d for d, _, _ in found) == ["2007-10-12", "2007-10-13", "2007-10-14", "2007-10-15"]
    for iso, s, e in found:
        assert text[s:e].strip()


def test_question_ranges():
    (d,) = parse_dates("the trip at Quad Cities on October 12, 2007")
    assert d.exact and d.start == d.end == "2007-10-12"
    assert [(r.start, r.end) for r in parse_dates("events in 2010")] == [("2010-01-01", "2010-12-31")]


def test_year_spans_english_and_korean():
    assert year_span("between 2015 and 2010") == ("range", 2010, 2015, "between 2015 and 2010")
    assert year_span("2010년부터 2015년까지 몇 건?")[:3] == ("range", 2010, 2015)
    assert year_span("since 2010")[:3] == ("since", 2010, 2010)
    assert year_span("2005년 이전")[:3] == ("before", 2005, 2005)
    assert year_span("what happened?") is None


def test_old_import_paths_still_work():
    from grounding.ingest.records import parse_date as p1
    from grounding.retrieve.query import DateRange, parse_dates as p2  # noqa: F401
    from grounding.verify.normalize import find_dates as f1

    assert p1 is parse_date and p2 is parse_dates and f1 is find_dates


def test_find_periods_unchanged_by_the_move_to_text_dates():
    """Periods of 19 questions, recorded with aggregate/periods.py's own regexes before they moved here."""
    import json
    from pathlib import Path

    from grounding.aggregate.periods import exact_day, find_periods

    recorded = json.loads((Path(__file__).parent / "data" / "periods_before_refactor.json").read_text(encoding="utf-8"))
    for q, periods, exact in recorded:
        got = [[p.start, p.end, p.text] for p in find_periods(q, ("1999-01-04", "2023-06-30"))[0]]
        assert got == periods, q
        assert exact_day(q) == exact, q
