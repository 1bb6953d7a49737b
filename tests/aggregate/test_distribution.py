"""Distribution answers ("what usually causes X") and concept filters, over a tiny fake ontology and
hand-made report-concept links (so every expected count is known by construction)."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from grounding.aggregate.engine import _CONTEXT, answer_across
from grounding.store.schema import ReportConcept
from tests.aggregate.conftest import fake_agent, make_store

NS = "urn:t#"
TREE = {  # concept -> parent
    "Cause": None, "Weather": "Cause", "Maintenance": "Cause",
    "Equipment": None, "EDG": "Equipment", "Breaker": "Equipment",
    "LOOP": None,
}
LABELS = {"EDG": "emergency diesel generator", "LOOP": "loss of offsite power", "Weather": "severe weather",
          "Maintenance": "maintenance activity", "Breaker": "breaker", "Cause": "cause", "Equipment": "equipment"}
LINKS = {  # report -> concepts
    "nrc:101": ["LOOP", "Weather", "Breaker"], "nrc:106": ["LOOP", "Weather"], "nrc:107": ["LOOP", "Maintenance", "Breaker"],
    "nrc:102": ["EDG", "Maintenance"],
}


class FakeOnto:
    rdf: list = []

    def __init__(self) -> None:
        self.concepts = {NS + c: SimpleNamespace(label=LABELS[c], labels={}) for c in TREE}

    def label(self, iri: str, lang: str = "en") -> str:
        return LABELS[iri.removeprefix(NS)]

    def parents(self, iri: str) -> set[str]:
        p = TREE[iri.removeprefix(NS)]
        return {NS + p} if p else set()

    def ancestors(self, iri: str) -> set[str]:
        out, cur = set(), self.parents(iri)
        while cur:
            out |= cur
            cur = set().union(*(self.parents(c) for c in cur)) - out
        return out

    def descendants(self, iri: str) -> set[str]:
        return {c for c in self.concepts if iri in self.ancestors(c)}


@dataclass
class M:
    concept: str
    start: int
    end: int


class FakeLinker:
    def link(self, text: str, fuzzy: bool = False):
        low = text.lower()
        return [M(NS + c, low.find(lab), low.find(lab) + len(lab)) for c, lab in LABELS.items() if lab in low and c not in ("Cause", "Equipment")]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def agent(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'dist.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    store = make_store(url)
    with store.session() as s:
        for rid, cs in LINKS.items():
            for c in cs:
                s.merge(ReportConcept(report_id=rid, concept=NS + c, mentions=1))
    _CONTEXT.pop(store.url, None)
    a = fake_agent(store)
    a.onto, a.linker = FakeOnto(), FakeLinker()
    yield a
    store.dispose()


def test_what_usually_causes(agent):
    ans = answer_across(agent, "What usually causes loss of offsite power?", 0.5)
    assert ans.route == "distribution" and not ans.abstained, ans.answer
    rows = ans.aggregate["result"]["rows"]
    assert ans.aggregate["result"]["base_reports"] == 3
    assert [(r["label"], r["reports"]) for r in rows] == [("severe weather", 2), ("maintenance activity", 1)]
    assert set(rows[0]["examples"]) == {"nrc:101", "nrc:106"}
    keys = {p.key: p.report_id for p in ans.passages}
    assert all(c in keys for s in ans.sentences for c in s.citations)
    assert "severe weather (2 reports)" in ans.answer


def test_which_equipment(agent):
    ans = answer_across(agent, "Which equipment is most often involved in loss of offsite power events?", 0.5)
    assert ans.aggregate["category"] == "equipment"
    assert [(r["label"], r["reports"]) for r in ans.aggregate["result"]["rows"]] == [("breaker", 2)]


def test_too_thin_to_say(agent):
    ans = answer_across(agent, "What usually causes emergency diesel generator failures?", 0.5)
    assert ans.abstained and ans.aggregate["thin"] and "too thin to say" in ans.answer


def test_concept_filter_in_a_count(agent):
    ans = answer_across(agent, "How many loss of offsite power events were reported in 1999?", 0.5)
    assert ans.route == "aggregate" and ans.aggregate["result"]["value"] == 2  # nrc:101 and nrc:106
    assert ans.aggregate["query"]["concepts"][0]["label"] == "loss of offsite power"
    assert ans.signals["agg_concepts"] == 1.0
