"""Dates as people write them: parsed by python-dateutil, never guessed, and a set date that does not parse is named."""

import csv

import pytest

from grounding.ingest.records import parse_date
from tests.conftest import build_system
from tests.ingest.fakes import HashEmbedder


@pytest.mark.parametrize(
    "raw, iso",
    [
        ("2025-02-27", "2025-02-27"),
        ("2025-02-27T08:15:00", "2025-02-27"),
        ("2/27/2025 8:15", "2025-02-27"),  # regression: month/day/year with a time silently lost its date
        ("2/27/2025", "2025-02-27"),
        ("02/27/2025 08:15 PM", "2025-02-27"),
        ("Feb 27, 2025", "2025-02-27"),
        ("February 27, 2025 14:00", "2025-02-27"),
        ("27.02.2025", "2025-02-27"),
        ("3/4/2025", "2025-03-04"),  # slashed: month first, as U.S. agencies write it
    ],
)
def test_common_formats_parse(raw, iso):
    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["March 2005", "6:00 p.m. August 14", "Ongoing", "7/01//05", "", "2025", "13/45/2025"])
def test_incomplete_or_invalid_dates_are_not_guessed(raw):
    assert parse_date(raw) is None


def test_explicit_date_format_wins():
    assert parse_date("03/04/2025", "%d/%m/%Y") == "2025-04-03"
    assert parse_date("2025-04-03", "%d/%m/%Y") is None  # a set format is the only one tried


def _csv_corpus(tmp_path, rows):
    path = tmp_path / "events.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "when", "site", "text"])
        w.writeheader()
        w.writerows(rows)
    return path


def test_csv_corpus_us_dates_are_stored_and_bad_ones_are_warnings(tmp_path):
    from grounding.config import Config

    rows = [
        {"id": "a1", "when": "2/27/2025 8:15", "site": "Plant A", "text": "A transformer tripped on differential protection."},
        {"id": "a2", "when": "Feb 28, 2025", "site": "Plant B", "text": "A breaker failed to close during restoration."},
        {"id": "a3", "when": "sometime in spring", "site": "Plant C", "text": "Lightning struck a line and it was reclosed."},
    ]
    cfg = Config.model_validate({
        "storage": {"data_dir": str(tmp_path / "data")},
        "ontology": {"files": []},
        "corpus": [{"name": "grid", "path": str(_csv_corpus(tmp_path, rows)), "format": "csv", "id": "id",
                    "text": ["text"], "date": "when", "facility": "site"}],
        "root": tmp_path,
    })
    g = build_system(cfg, HashEmbedder())
    summary = g.ingestor().run()
    assert (summary.ingested, summary.rejected, summary.undated) == (3, 0, 1)
    assert g.store.get_report("grid:a1").date == "2025-02-27"
    assert g.store.get_report("grid:a2").date == "2025-02-28"
    undated = g.store.get_report("grid:a3")
    assert undated.date is None and undated.meta["date_raw"] == "sometime in spring"
    assert any("'sometime in spring' in field 'when' does not parse" in w and "line 4" in w for w in summary.warnings)
    rows_ = g.store.rejects()
    assert [(r.record_id, r.severity) for r in rows_] == [("a3", "warning")]
    stats = g.store.stats()
    assert stats["rejects"] == 0 and stats["warnings"] == 1
