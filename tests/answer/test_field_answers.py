"""Field answers: which questions ask for which stored field, and how the field is read (shipped config)."""

import pytest

from grounding.config import AnswerFieldConfig, ConfigError, load_config
from grounding.answer.fields import asked_fields, evidence_line, read_field
from tests.conftest import REPO

SPECS = load_config(REPO / "config.toml").answer_field


def _asked(question: str, corpus: str) -> list[str]:
    return [s.field for s in asked_fields(question, SPECS, corpus)]


@pytest.mark.parametrize(
    ("question", "corpus", "field"),
    [
        ("How many customers were affected by the ice storm in Maine that began on December 21, 2013?", "oe417", "customers_affected"),
        ("2018년 11월 15일 Indiana에서 시작된 severe weather 사건으로 영향을 받은 고객 수는 몇 명인가?", "oe417", "customers_affected"),
        ("How much demand (in MW) was lost in the winter storm in Oregon that began on January 5, 2004?", "oe417", "demand_loss_mw"),
        ("Which NERC region reported the thunderstorms in Southeastern Texas that began on June 8, 2010?", "oe417", "nerc_region"),
        ("On what date was service restored after the vandalism in Dutchess County, New York that began on March 12, 2018?", "oe417", "date_of_restoration"),
        ("OE-417 보고에 따르면 2020년 8월 10일 Indiana에 영향을 준 사건의 유형은 무엇인가?", "oe417", "event_type"),
        ("What operating mode was Farley Unit 1 in after the reactor trip on November 27, 2016?", "nrc", "reactor_units.current_rx_mode"),
        ("2011년 1월 22일 원자로 정지 후 Palisades는 어떤 운전 모드에 있었는가?", "nrc", "reactor_units.current_rx_mode"),
        ("At what power level (percent) was FitzPatrick operating before the reactor scram on January 23, 2016?", "nrc", "reactor_units.initial_power"),
        ("2008년 4월 18일 Palisades에서 선포된 비상 등급은 무엇인가?", "nrc", "emergency_class"),
        ("What happened at Byron Unit 1 on September 18, 2015, according to the NRC event report?", "nrc", "title"),
    ],
)
def test_shipped_patterns_route_questions_to_their_field(question, corpus, field):
    assert _asked(question, corpus)[:1] == [field]


@pytest.mark.parametrize(
    ("question", "corpus"),
    [
        ("What caused the reactor trip at Oconee on December 31, 1998?", "nrc"),
        ("What action did operators take after the loss of condenser vacuum at St. Lucie Unit 1?", "nrc"),
        ("How many customers were affected by the ice storm in Maine?", "nrc"),  # an OE-417 field, NRC report
    ],
)
def test_questions_that_ask_no_field_are_left_to_generation(question, corpus):
    assert _asked(question, corpus) == []


def _spec(**kw) -> AnswerFieldConfig:
    return AnswerFieldConfig(corpus="nrc", label="L", ask=["x"], **kw)


UNITS = {"reactor_units": [{"unit": 2, "initial_power": 100, "current_rx_mode": "Hot Standby"},
                           {"unit": 3, "initial_power": 0, "current_rx_mode": "Cold Shutdown"}]}


def test_per_unit_fields_pick_the_unit_the_question_names():
    spec = _spec(field="reactor_units.current_rx_mode", unit_key="unit")
    assert read_field(spec, {}, UNITS, "mode of Unit 3 after the trip").value == "Cold Shutdown"
    assert read_field(spec, {}, UNITS, "3호기 운전 모드").value == "Cold Shutdown"
    both = read_field(spec, {}, UNITS, "mode after the trip").value
    assert both == "unit 2: Hot Standby; unit 3: Cold Shutdown"
    # power 0 is a reading, not a missing value
    assert read_field(_spec(field="reactor_units.initial_power", unit_key="unit", kind="number"), {}, UNITS, "Unit 3").value == "0"


def test_codes_are_spelled_out_and_placeholders_mean_not_recorded():
    spec = _spec(field="emergency_class", values={"UNU": "Unusual Event"})
    assert read_field(spec, {}, {"emergency_class": "UNU"}, "q").value == "Unusual Event"
    for placeholder in ("N/A", "", None, "Unknown"):
        got = read_field(spec, {}, {"emergency_class": placeholder}, "q")
        assert got.missing and got.value == ""
    assert read_field(spec, {}, {}, "q").missing


def test_dates_are_iso_and_the_fallback_field_is_tried():
    spec = _spec(field="date_of_restoration", also=["time_of_restoration"], kind="date")
    assert read_field(spec, {}, {"date_of_restoration": "03/08/2017"}, "q").value == "2017-03-08"
    assert read_field(spec, {}, {"date_of_restoration": "Unknown", "time_of_restoration": "2012-07-03 15:00"}, "q").value == "2012-07-03"
    # no year: not a date answer
    assert read_field(spec, {}, {"date_of_restoration": "6:00 p.m. August 14"}, "q").missing


def test_columns_are_read_before_metadata():
    spec = _spec(field="title")
    assert read_field(spec, {"title": "REACTOR TRIP"}, {"title": "other"}, "q").value == "REACTOR TRIP"


def test_evidence_line_names_report_place_date_and_value():
    line = evidence_line("oe417:x", "Maine", "2013-12-21", "Customers affected", "91000")
    assert line == "Report oe417:x (Maine, 2013-12-21): Customers affected: 91000."


def test_a_bad_pattern_is_a_config_error(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[[answer_field]]\ncorpus = "nrc"\nfield = "f"\nlabel = "L"\nask = ["(unclosed"]\n')
    with pytest.raises(ConfigError, match="ask\\[0\\] is not a valid regular expression"):
        load_config(cfg)


def test_a_question_about_another_unit_conflicts_with_the_report():
    from grounding.retrieve.metadata import unit_conflict

    meta = {"unit": "[1] [] []", "reactor_units": [{"unit": 1}]}
    assert unit_conflict([4], meta)
    assert not unit_conflict([1], meta)
    assert not unit_conflict([], meta)  # no unit named
    assert not unit_conflict([4], {})  # report names no unit
