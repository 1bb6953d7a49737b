"""Key facts are extractive and rule-based: quoted sentences of the report, metadata as stored."""

from __future__ import annotations

import pytest

from grounding.config import CorpusConfig
from grounding.ingest.records import RawRecord, to_draft
from grounding.summarize.facts import emergency_class, report_facts, scram_units
from grounding.summarize.request import SummarizeRequest, parse_where
from tests.conftest import nrc_records

NRC = CorpusConfig(
    name="nrc", path="x", format="jsonl", id="event_number", text=["event_text"], date="event_date", facility="facility",
    metadata=["facility", "emergency_class", "reactor_units", "cfr_sections", "page_url"],
)


@pytest.fixture(scope="module")
def drafts():
    return [to_draft(NRC, RawRecord(r, "nrc.jsonl", f"line {i}"), 2_000_000) for i, r in enumerate(nrc_records(200))]


def test_oconee_trip_facts(drafts):
    d = next(d for d in drafts if d.id == "nrc:35209")
    rf = report_facts(d)
    assert rf.get("failure").text == "At 1435 hours on December 31, 1998, Oconee Unit 3 reactor tripped from 100% steady state operation."
    assert "unknown" in rf.get("cause").text
    assert rf.scram == ["A/R"]
    assert rf.get("scram").text == "Unit 3 had an automatic reactor scram (scram code A/R) from 100% power in Power Operation."
    assert rf.notability == 5


def test_every_text_fact_is_a_sentence_of_its_report_and_never_boilerplate(drafts):
    n = 0
    for d in drafts:
        flat = " ".join(d.text.split())
        for f in report_facts(d).facts:
            if f.source == "text":
                n += 1
                assert f.text in flat, (d.id, f.text)
                assert "resident inspector" not in f.text.lower()
                assert len(f.text) <= 320
    assert n > 300


def test_metadata_codes():
    assert emergency_class("UNU") == emergency_class("Unusual Event") == "UNUSUAL EVENT"
    assert emergency_class("NON EMERGENCY") == emergency_class("N/A") == emergency_class(None) == ""
    units = [{"unit": 1, "scram_code": "N"}, {"unit": 2, "scram_code": ""}, {"unit": 3, "scram_code": "M/R"}, "junk"]
    assert [u["unit"] for u in scram_units({"reactor_units": units})] == [3]
    assert scram_units({"reactor_units": "A/R"}) == []


def test_request_validation():
    r = SummarizeRequest(by="Facility", where={"Facility": " OCONEE "}, since="1999", until="1999-02")
    assert (r.by, r.where, r.since, r.until) == ("facility", {"facility": "OCONEE"}, "1999-01-01", "1999-02-28")
    assert SummarizeRequest(by="event_type").by == "event_type"  # any metadata key
    for bad in (dict(by="fa cility"), dict(fmt="pdf"), dict(since="1999-13"), dict(since="2001", until="2000"), dict(where={"x": ""})):
        with pytest.raises(ValueError):
            SummarizeRequest(**bad)
    assert parse_where(["facility=OCONEE", "corpus=nrc"]) == {"facility": "OCONEE", "corpus": "nrc"}
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_where(["facility"])
