from grounding.config import CorpusConfig
from grounding.ingest.records import RawRecord, RecordError, clean_text, parse_date, to_draft


def _corpus(**kw):
    base = dict(name="nrc", path="x", format="jsonl", id="event_number", text=["event_text"], date="event_date", metadata=["facility"])
    return CorpusConfig(**{**base, **kw})


def test_clean_text_joins_hard_wraps_and_keeps_paragraphs():
    raw = "REACTOR TRIP\nAt 1435 hours the unit\ntripped.\n\n\n\nThe NRC was notified."
    assert clean_text(raw) == "REACTOR TRIP At 1435 hours the unit tripped.\n\nThe NRC was notified."


def test_parse_date_forms():
    assert parse_date("2007-10-12") == "2007-10-12"
    assert parse_date("10/12/2007") == "2007-10-12"
    assert parse_date("Evening") is None
    assert parse_date(None) is None


def test_to_draft_maps_fields_and_keeps_unparseable_date_raw():
    rec = RawRecord({"event_number": 56912, "event_text": "Leak.\nFound.", "event_date": "soon", "facility": "Saint Lucie"}, "f", "line 3")
    d = to_draft(_corpus(), rec, 10_000)
    assert d.id == "nrc:56912" and d.source_id == "56912"
    assert d.text == "Leak. Found."
    assert d.date is None and d.meta == {"facility": "Saint Lucie", "date_raw": "soon"}


def test_to_draft_rejects_with_reasons():
    c = _corpus()
    assert "missing id" in to_draft(c, RawRecord({"event_text": "x"}, "f", "line 1"), 100).reason
    empty = to_draft(c, RawRecord({"event_number": 1, "event_text": "  "}, "f", "line 2"), 100)
    assert isinstance(empty, RecordError) and empty.reason.startswith("empty text") and empty.location == "line 2"
    big = to_draft(c, RawRecord({"event_number": 2, "event_text": "x" * 101}, "f", "line 3"), 100)
    assert "over the limit" in big.reason


def test_template_turns_structured_rows_into_readable_text():
    c = _corpus(id="row", text=[], template="{event_type} in {area_affected} on {date}.", metadata=["demand_loss_mw"])
    d = to_draft(c, RawRecord({"row": "7", "event_type": "Ice Storm", "area_affected": "Oklahoma", "date": "2002-01-30", "demand_loss_mw": "500"}, "f", "row 7"), 1000)
    assert d.text == "Ice Storm in Oklahoma on 2002-01-30." and d.meta == {"demand_loss_mw": "500"}


NRC_STRIP = [r"(?s)^\s*EN Revision Imported Date:.*?EN Revision Text:\s*"]


def test_nrc_headline_becomes_the_title_after_the_export_preamble_is_stripped():
    c = _corpus(strip=NRC_STRIP, facility="facility")
    raw = (
        "EN Revision Imported Date: 8/17/2026\n\n\n\nEN Revision Text: REACTOR TRIP DURING CONTROL ROD DRIVE BREAKER TESTING\n"
        "At 1435 hours the unit\ntripped.\n\n\n\nThe NRC was notified."
    )
    d = to_draft(c, RawRecord({"event_number": 1, "event_text": raw, "facility": "  OCONEE "}, "f", "line 1"), 10_000)
    assert d.title == "REACTOR TRIP DURING CONTROL ROD DRIVE BREAKER TESTING"
    assert d.text == "REACTOR TRIP DURING CONTROL ROD DRIVE BREAKER TESTING\n\nAt 1435 hours the unit tripped.\n\nThe NRC was notified."
    assert d.facility == "OCONEE"
    # No headline: the first sentence is the title.
    d = to_draft(c, RawRecord({"event_number": 2, "event_text": "The licensee reported a leak. It stopped."}, "f", "line 2"), 10_000)
    assert d.title == "The licensee reported a leak."


def test_template_list_drops_parts_with_empty_fields_and_title_template():
    c = _corpus(id_fields=["sheet", "date", "area"], id="", text=[], title="{type} - {area}", date="date",
                template=["{type} affecting {area}.", "Restored {restored}.", "Loss: {mw} MW."], numeric=["mw", "customers"])
    rec = {"sheet": "2011", "date": "2011-08-27", "area": "New Jersey", "type": "Severe Weather", "restored": "", "mw": "Approx. 1,200",
           "customers": "Unknown"}
    d = to_draft(c, RawRecord(rec, "f", "sheet 2011 row 9"), 1000)
    assert d.text == "Severe Weather affecting New Jersey. Loss: Approx. 1,200 MW."
    assert d.title == "Severe Weather - New Jersey"
    assert d.meta == {"mw": 1200, "mw_raw": "Approx. 1,200", "customers": None, "customers_raw": "Unknown"}
    assert d.id.startswith("nrc:2011-08-27-") and d.composite_key
    same = to_draft(c, RawRecord({**rec, "mw": "5"}, "f", "sheet 2011 row 10"), 1000)
    assert same.id == d.id  # the key fields, not the numbers, make the id


def test_unsafe_characters_are_cleaned_not_fatal():
    c = _corpus()
    d = to_draft(c, RawRecord({"event_number": 1, "event_text": "Pump\x00 trip\ud800 ok.", "facility": "A\x00B"}, "f", "line 1"), 100)
    assert d.text == "Pump trip\ufffd ok." and d.meta["facility"] == "AB"


def test_huge_records_are_rejected_before_cleaning():
    c = _corpus()
    d = to_draft(c, RawRecord({"event_number": 1, "event_text": "word " * 2_000_000}, "f", "line 7"), 2_000_000)
    assert isinstance(d, RecordError) and "10,000,000 characters, over the limit of 2,000,000" in d.reason and d.location == "line 7"


def test_config_validates_corpus_keys():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="not a valid regular expression"):
        _corpus(strip=["(unclosed"])
    with pytest.raises(ValidationError, match="not both"):
        _corpus(id_fields=["a"])
    with pytest.raises(ValidationError, match="encoding"):
        _corpus(encoding="utf-99")
    with pytest.raises(ValidationError, match="name"):
        _corpus(name="bad name:1")
