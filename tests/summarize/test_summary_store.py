"""The summary statistics through the store's `SummaryQueries`: scram counts defined by the configured
[[measure]] / [[qualifier]]s (no corpus field names in grounding/summarize), on SQLite and PostgreSQL,
and the same counts from the Python fallback other SQL dialects use."""

from __future__ import annotations

import pytest

from grounding.config import Config, load_config
from grounding.store.schema import Report
from grounding.store.summaries import OVERALL
from grounding.summarize.concepts import ConceptIndex
from grounding.summarize.request import SummarizeRequest
from grounding.summarize.select import plan_groups
from grounding.summarize.stats import compute_stats, scram_conditions
from tests.aggregate.conftest import make_store
from tests.conftest import REPO

ODD = [  # a list holding a non-object item, and an object where a list is expected: only object items count
    Report(id="nrc:900", corpus="nrc", source_id="900", title="odd", date="2000-02-02", facility="SALEM", facility_key="salem",
           text="x", meta={"reactor_units": [5, {"unit": 1, "scram_code": " m/r "}], "emergency_class": "ALE"}, content_hash="9"),
    Report(id="nrc:901", corpus="nrc", source_id="901", title="odd2", date="2000-03-03", facility="OCONEE", facility_key="oconee",
           text="x", meta={"reactor_units": {"unit": 1, "scram_code": "A/R"}}, content_hash="9"),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'summ.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    st = make_store(url)
    with st.session() as s:
        for r in ODD:
            s.merge(r)
    st.ensure_summary_tables()
    yield st
    st.dispose()


def test_scram_statistics_come_from_the_configured_measure(store):
    cfg = load_config(REPO / "config.toml")
    cidx = ConceptIndex(None, cfg.summarize)
    sel = plan_groups(store, cidx, SummarizeRequest(by="facility", where={"corpus": "nrc"}))
    store.write_summary_members("rk", {g.key: g.report_ids for g in sel.groups})
    scram = scram_conditions(cfg)
    per, overall, _ = compute_stats(store, "rk", "facility", cidx, cfg.summarize, scram)
    # tests/aggregate/conftest.py: scrams 101 A, 102 M, 104 A, 105 A, 106-108 A, 109 M, 111 A; 900 M (its object unit)
    assert (overall["scram_reports"], overall["scram_automatic"], overall["scram_manual"]) == (10, 7, 3)
    assert (per["salem"]["scram_reports"], per["salem"]["scram_manual"]) == (2, 1)
    assert per["oconee"]["scram_reports"] == 4  # 901's units are not a list
    assert overall["emergency"] == {"ALERT": 1, "UNUSUAL EVENT": 1}
    # Without the settings the statistic is not counted (a corpus with no scrams).
    bare = compute_stats(store, "rk", "facility", cidx, cfg.summarize, None)[1]
    assert bare["scram_reports"] == 0 and bare["n_reports"] == overall["n_reports"] == 16
    # The Python fallback (SQL dialects without JSON list functions) counts the same.
    where, subsets = scram
    for flag in (False, True):
        sql = sorted((r.group_key, r.reports, r.subsets) for r in store.summary_matches("rk", flag, where, subsets))
        py = sorted((r.group_key, r.reports, r.subsets) for r in store._matches_python("rk", flag, where, subsets))
        assert sql == py
    assert [r.group_key for r in store.summary_matches("rk", True, where, subsets)] == [OVERALL]


def test_checkpoints_round_trip_through_the_store(store):
    store.write_summary_members("rk2", {"a": ["nrc:101"]})
    store.save_summary_checkpoint("rk2", "a", "h", 1, {"x": [1]}, 0.12345)
    got = store.summary_checkpoints("rk2")
    assert list(got) == ["a"] and got["a"].payload == {"x": [1]} and got["a"].seconds == 0.123
    assert store.clear_summary_checkpoints("rk2") == 1 and store.summary_checkpoints("rk2") == {}


def test_a_misspelt_statistics_measure_is_a_config_error():
    with pytest.raises(ValueError, match="summarize.scram_measure: no \\[\\[measure\\]\\] is named 'scrams'"):
        Config.model_validate({"summarize": {"scram_measure": "scrams"}})
    with pytest.raises(ValueError, match="summarize.scram_manual"):
        Config.model_validate({"summarize": {"scram_manual": "by-hand"}})
