"""Aggregate questions over a synthetic archive, on SQLite and on the PostgreSQL server.

Every expected number is counted by hand from tests/aggregate/conftest.py REPORTS, never by the code
under test.
"""

from __future__ import annotations

import re

import pytest

from grounding.aggregate.engine import _CONTEXT, answer_across
from tests.aggregate.conftest import fake_agent, make_store

QUESTIONS = [
    # (question, kind, expected result subset)
    ("How many reactor scrams were reported at Diablo Canyon in 1999?", "count", {"value": 3}),
    ("How many automatic scrams did Diablo Canyon report between 1999 and 2001?", "count", {"value": 3}),
    ("How many reactor scrams did unit 2 at Diablo Canyon have in 1999?", "count", {"value": 1}),
    ("How many reactor scrams were reported at plants in New Jersey in 2001?", "count", {"value": 1}),
    ("How many Unusual Event declarations were made at nuclear plants in 2000?", "count", {"value": 1}),
    ("How many disturbance events hit the RF region in 2011?", "count", {"value": 1}),  # "RF", not "RFC"
    ("How many disturbance events hit the RF region in 2012?", "count", {"value": 1}),  # "SERC/RF"
    ("How many OE-417 events were reported in Texas in 2011?", "count", {"value": 2}),
    ("How many severe weather events were reported to OE-417 in 2011?", "count", {"value": 2}),
    ("How many customers were affected by OE-417 events in Texas in 2011?", "count", {"value": 1000, "reports": 2, "recorded": 1}),
    ("What share of reactor scrams in 2000 were automatic?", "share", {"part": 2, "total": 3}),
    ("What share of OE-417 events in 2012 were caused by severe weather?", "share", {"part": 1, "total": 3}),
    ("1999년 Diablo Canyon에서 보고된 원자로 스크램은 몇 건인가요?", "count", {"value": 3}),
    ("2011년 TRE 지역의 OE-417 사건은 몇 건인가요?", "count", {"value": 2}),
    # Korean state names (grounding/data/us_states.tsv), with and without 주 ("state") and a particle
    ("2011년 텍사스에서 보고된 OE-417 사건은 몇 건인가요?", "count", {"value": 2}),
    ("2001년 뉴저지주의 원전에서 보고된 원자로 스크램은 몇 건인가요?", "count", {"value": 1}),
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'agg.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    st = make_store(url)
    _CONTEXT.pop(st.url, None)
    yield st
    st.dispose()


@pytest.mark.parametrize("question,kind,expected", QUESTIONS)
def test_counts(store, question, kind, expected):
    ans = answer_across(fake_agent(store), question, 0.5)
    assert ans is not None and ans.route == "aggregate", question
    assert not ans.abstained, ans.answer
    agg = ans.aggregate
    assert agg["kind"] == kind
    for k, v in expected.items():
        assert agg["result"][k] == v, (question, agg["result"], agg["readable"])
    # every citation names a passage that is in the evidence, and every cited report was counted
    keys = {p.key: p.report_id for p in ans.passages}
    for s in ans.sentences:
        assert s.citations and all(c in keys for c in s.citations)
    assert set(keys.values()) <= set(agg["report_ids"])
    assert ans.confidence > 0.5


def test_rank_trend_compare(store):
    agent = fake_agent(store)
    rank = answer_across(agent, "Which plant reported the most reactor scrams between 1999 and 2001?", 0.5).aggregate["result"]
    # DIABLO CANYON 101 102 104 105 and OCONEE 106 107 108 109: 4 each; SALEM 111: 1
    assert [(r["group"], r["value"]) for r in rank["rows"]] == [("DIABLO CANYON", 4), ("OCONEE", 4), ("SALEM", 1)]
    fewest = answer_across(agent, "Which plant reported the fewest reactor scrams between 1999 and 2001?", 0.5).aggregate["result"]
    assert fewest["top"] == "SALEM" and fewest["value"] == 1
    trend = answer_across(agent, "How have reactor scrams trended since 1999?", 0.5).aggregate["result"]
    assert trend["series"] == {"1999": 4, "2000": 3, "2001": 2}
    cmp = answer_across(agent, "Did Diablo Canyon or Oconee report more reactor scrams in 1999?", 0.5).aggregate["result"]
    assert {r["group"]: r["value"] for r in cmp["rows"]} == {"DIABLO CANYON": 3, "OCONEE": 1}
    region = answer_across(agent, "Which NERC region reported the most OE-417 events in 2011?", 0.5).aggregate["result"]
    assert region["top"] == "TRE" and region["value"] == 2
    ko = answer_across(agent, "1999년부터 2001년까지 자동 스크램을 가장 많이 보고한 원전은 어디인가요?", 0.5)
    assert {r["group"] for r in ko.aggregate["result"]["rows"] if r["value"] == 3} == {"DIABLO CANYON", "OCONEE"}
    assert "원전" in ko.answer


@pytest.mark.parametrize("question,says", [
    ("How many reactor scrams were reported at Fukushima Daiichi in 2011?", "no plant or place named 'Fukushima Daiichi'"),
    ("How many reactor scrams were reported at Oconee in 1990?", "1990 is outside"),
    ("How many OE-417 events were reported in Texas in 2030?", "2030 is outside"),
    ("How many customers were restored after OE-417 events in Texas in 2011?", "no field records 'customers were restored'"),
    ("How many fatalities were caused by OE-417 events in 2012?", "records 'fatalities'"),
    ("How many events were reported in 2011?", "which archive"),
    # Korean: the reason in Korean too (it was English after the Korean lead); the trace keeps the English.
    ("2011년 Texas에서 복구된 고객 수는 몇 명인가요?", "을(를) 기록하는 필드가 없습니다"),
    ("2030년 Texas에서 보고된 OE-417 사건은 몇 건인가요?", "2011-2012년을 다룹니다. 2030은(는) 그 범위 밖입니다"),
])
def test_unmapped_abstains_naming_the_part(store, question, says):
    ans = answer_across(fake_agent(store), question, 0.5)
    assert ans is not None and ans.abstained and not ans.sentences
    assert says in ans.answer, ans.answer
    assert ans.aggregate["unmapped"]
    if ans.answer.startswith("근거가 부족하여"):
        assert not re.search(r"\b(?:no|the|records|outside)\b", ans.answer), ans.answer
        assert ans.aggregate["unmapped"] != ans.answer and re.search(r"[a-z]{3}", ans.aggregate["unmapped"])


def test_confidence_follows_what_the_route_knows(store):
    agent = fake_agent(store)
    exact = answer_across(agent, "How many reactor scrams were reported at Diablo Canyon in 1999?", 0.5)
    fuzzy = answer_across(agent, "How many reactor scrams were reported at Diablo Canyn in 1999?", 0.5)
    empty = answer_across(agent, "How many reactor scrams were reported at Salem in 1999?", 0.5)
    assert fuzzy.aggregate["result"]["value"] == 3 and fuzzy.signals["agg_place_fuzzy"] == 1.0
    assert empty.aggregate["result"]["value"] == 0 and empty.signals["agg_empty"] == 1.0
    assert "no reactor scrams" in empty.answer
    assert exact.confidence > fuzzy.confidence and exact.confidence > empty.confidence
    assert answer_across(agent, "How many reactor scrams were reported at Diablo Canyon in 1999?", 0.99).abstained


def test_sql_binds_every_value(store):
    ans = answer_across(fake_agent(store), "How many automatic scrams did Diablo Canyon report between 1999 and 2001?", 0.5)
    sql = " ".join(ans.aggregate["sql"])
    for literal in ("diablo canyon", "1999-01-01", "A/R", "'N'"):
        assert literal not in sql.lower() if literal.islower() else literal not in sql
    assert any("diablo canyon" in str(v) for p in ans.aggregate["params"] for v in p.values())
    assert ans.aggregate["report_ids"] == ["nrc:101", "nrc:104", "nrc:105"]
    js = ans.to_json()
    assert js["route"] == "aggregate" and js["aggregate"]["result"]["value"] == 3
    assert set(js["evidence"]) == {"P1", "P2", "P3"}


def test_single_event_questions_are_not_routed(sqlite_store):
    agent = fake_agent(sqlite_store)
    for q in ["What caused the reactor trip at Oconee on March 3, 1999?",
              "How many customers were affected by the severe weather in Texas that began on February 2, 2011?",
              "Why did the emergency diesel generator fail to start?",
              "At what power level (percent) was Oconee Unit 1 operating before the reactor scram on March 3, 1999?"]:
        assert answer_across(agent, q, 0.5) is None, q


def test_disabled_routes_nothing(sqlite_store):
    agent = fake_agent(sqlite_store, enabled=False)
    assert answer_across(agent, "How many reactor scrams were reported at Diablo Canyon in 1999?", 0.5) is None


def test_agent_ask_returns_the_aggregate_answer(sqlite_store):
    from types import SimpleNamespace

    from grounding.answer.agent import AnswerAgent

    cfg = fake_agent(sqlite_store).cfg
    retriever = SimpleNamespace(dense=SimpleNamespace(index=SimpleNamespace(ntotal=1, count=lambda: 1)))
    agent = AnswerAgent(cfg, sqlite_store, retriever, embedder=None, generator=SimpleNamespace(name="unused"))
    ans = agent.ask("How many reactor scrams were reported at Diablo Canyon in 1999?")
    assert ans.route == "aggregate" and ans.aggregate["result"]["value"] == 3
    assert ans.answer.startswith("DIABLO CANYON reported 3 reactor scrams in 1999.")


def test_bad_measure_config_names_the_key(tmp_path):
    from grounding.config import ConfigError, load_config

    p = tmp_path / "c.toml"
    p.write_text('[[measure]]\nname = "x"\ncorpus = "nrc"\nlabel = "x"\nask = ["(unclosed"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"measure 'x': ask\[0\]"):
        load_config(p)
    p.write_text('[[measure]]\nname = "x"\ncorpus = "nrc"\nlabel = "x"\nask = ["x"]\nkind = "sum"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="needs 'field'"):
        load_config(p)
