from grounding.retrieve.query import parse_dates, parse_emergency_class, parse_units


def test_exact_day_month_and_year_ranges():
    (d,) = parse_dates("What caused the reactor trip at Quad Cities on October 12, 2007?")
    assert (d.start, d.end, d.exact) == ("2007-10-12", "2007-10-12", True)
    (m,) = parse_dates("What happened at Wolf Creek in February 2004?")
    assert (m.start, m.end, m.exact) == ("2004-02-01", "2004-02-29", False)
    (y,) = parse_dates("Any scrams at Salem in 2011?")
    assert (y.start, y.end) == ("2011-01-01", "2011-12-31")
    (k,) = parse_dates("2007년 10월 12일 Quad Cities 원자로 정지 원인은?")
    assert k.start == "2007-10-12" and k.exact
    assert parse_dates("What is a scram?") == []


def test_units_and_emergency_class():
    assert parse_units("Oconee Unit 3 and unit 1") == [1, 3]
    assert parse_units("Oconee 3호기") == [3]
    assert parse_emergency_class("Why was an Unusual Event declared at Fermi?") == "UNUSUAL EVENT"
    assert parse_emergency_class("Why did the pump trip?") == ""


def test_place_names_followed_by_korean_particles_still_match():
    from grounding.retrieve.metadata import norm_place

    q = norm_place("2001년 8월 12일 원자로 정지 후 Duane Arnold는 어떤 운전 모드에 있었는가?")
    assert " duane arnold " in q
    assert " indiana " in norm_place("Indiana에서 시작된 severe weather")
    assert " saint lucie " in norm_place("St. Lucie 2호기")
