"""Entity linking: normalization, abbreviations, ALL-CAPS text, Korean, fallbacks, fingerprint."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from grounding.ontology.graph import OntologyGraph
from grounding.ontology.linker import Linker, norm_token
from tests.ontology.conftest import GR, MINI_TTL

REPO = Path(__file__).resolve().parents[2]
PROJECT = [REPO / "ontology" / "grounding.ttl", REPO / "ontology" / "alignments.ttl"]


def names(linker, text, fuzzy=False):
    return [(m.surface, m.concept.rsplit("#", 1)[-1], m.method) for m in linker.link(text, fuzzy=fuzzy)]


def test_plural_and_irregular_normalization():
    assert [norm_token(w) for w in "switches losses buses gases batteries valves relays series causes pumps gas analyses".split()] == \
        ["switch", "loss", "bus", "gas", "battery", "valve", "relay", "series", "cause", "pump", "gas", "analysis"]


def test_case_plural_hyphen_and_spacing(mini_linker):
    got = names(mini_linker, "Both Emergency Diesel Generators started; feed-water pumps and the Feed Water Pump tripped in the switch yard.")
    assert ("Emergency Diesel Generators", "EmergencyDieselGenerator", "exact") in got
    assert [g[1] for g in got] == ["EmergencyDieselGenerator", "FeedwaterPump", "FeedwaterPump", "Switchyard"]
    assert names(mini_linker, "a loss of off-site power")[0][1] == "LossOfOffsitePower"
    # longest match wins: "main transformer" is not "transformer"
    assert [g[1] for g in names(mini_linker, "the main transformer and a transformer")] == ["MainTransformer", "Transformer"]


def test_abbreviations_are_case_sensitive(mini_linker):
    assert [g[1:] for g in names(mini_linker, "The EDGs and E.D.G. 'B' ran after the LOOP.")] == [
        ("EmergencyDieselGenerator", "abbrev"), ("EmergencyDieselGenerator", "abbrev"), ("LossOfOffsitePower", "abbrev")]
    assert names(mini_linker, "The recirculation loop seal and the edg of the plate.") == []
    assert names(mini_linker, "Loop seal") == []


def test_all_caps_text_accepts_a_word_like_abbreviation_only_with_its_full_label(mini_linker):
    caps = "AT 0300 THE PLANT EXPERIENCED A LOOP. THE EDG STARTED AS DESIGNED."
    assert [g[1] for g in names(mini_linker, caps)] == ["EmergencyDieselGenerator"]  # "LOOP" is also an English word
    caps2 = "LOSS OF OFFSITE POWER AT 0300. THE LOOP WAS CAUSED BY A FIRE IN THE SWITCHYARD."
    assert [g[1] for g in names(mini_linker, caps2)] == ["LossOfOffsitePower", "LossOfOffsitePower", "Fire", "Switchyard"]
    # in mixed-case prose an upper-case LOOP is the abbreviation
    assert names(mini_linker, "The plant had a LOOP at 0300.")[0][1] == "LossOfOffsitePower"


def test_korean_labels_with_particles_and_compounds(mini_linker):
    got = names(mini_linker, "주변압기가 고장나서 비상디젤발전기의 출력이 떨어졌고 소외전원 상실이 있었다. 보조 변압기는 정상.")
    assert [g[1] for g in got] == ["MainTransformer", "EmergencyDieselGenerator", "LossOfOffsitePower", "AuxiliaryTransformer"]
    assert [g[1] for g in names(mini_linker, "고압변압기에서 화재")] == ["Transformer", "Fire"]  # head noun of an unknown compound
    assert [g[1] for g in names(mini_linker, "EDG가 정지했다")] == ["EmergencyDieselGenerator"]


def test_fuzzy_fallback_is_for_questions(mini_linker):
    q = "Why did the emergency diesel generater fail?"
    assert names(mini_linker, q) == []
    (m,) = mini_linker.link(q, fuzzy=True)
    assert m.concept == GR + "EmergencyDieselGenerator" and m.method == "fuzzy" and 0.8 < m.score < 0.9


def test_embedding_fallback(mini):
    class Fake:  # maps texts mentioning "standby" or "diesel" close to the EDG label
        name, dim = "fake", 3

        def _v(self, t):
            t = t.lower()
            return [1.0, 0.0, 0.0] if ("diesel" in t or "standby" in t) else [0.0, 1.0, 0.0] if "transformer" in t else [0.0, 0.0, 1.0]

        def embed_queries(self, texts):
            return np.asarray([self._v(t) for t in texts], dtype=np.float32)

        embed_passages = embed_queries

    linker = Linker(mini, embedder=Fake(), embedding_threshold=0.9)
    ms = linker.link("what happened to the standby genset", fuzzy=True)
    assert [(m.concept, m.method) for m in ms][:1] == [(GR + "EmergencyDieselGenerator", "embedding")]
    assert linker.link("what happened to the standby genset", fuzzy=False) == []


def test_abstract_concepts_are_not_linked_by_default(mini):
    assert Linker(mini).link("equipment event") == []
    assert len(Linker(mini, link_abstract=True).link("equipment event")) == 2


def test_fingerprint_changes_only_when_links_could_differ(tmp_path):
    p = tmp_path / "o.ttl"
    p.write_text(MINI_TTL, encoding="utf-8")
    fp = Linker(OntologyGraph.load([p])).fingerprint
    p.write_text(MINI_TTL + f'\n<{GR}Fire> <http://www.w3.org/2004/02/skos/core#definition> "Changed definition."@en .\n', encoding="utf-8")
    assert Linker(OntologyGraph.load([p])).fingerprint == fp  # a definition does not change links
    p.write_text(MINI_TTL + f'\n<{GR}Fire> <http://www.w3.org/2004/02/skos/core#altLabel> "blaze"@en .\n', encoding="utf-8")
    assert Linker(OntologyGraph.load([p])).fingerprint != fp
    assert Linker(OntologyGraph.load([p])).fingerprint == Linker(OntologyGraph.load([p])).fingerprint


def test_ambiguous_labels_resolve_deterministically(tmp_path):
    p = tmp_path / "o.ttl"
    p.write_text(MINI_TTL + f'\n<{GR}Battery> <http://www.w3.org/2004/02/skos/core#altLabel> "breaker"@en .\n', encoding="utf-8")
    a, b = Linker(OntologyGraph.load([p])), Linker(OntologyGraph.load([p]))
    assert "breaker" in a.ambiguous and a.link("the breaker") == b.link("the breaker")


@pytest.fixture(scope="module")
def project_linker():
    if not all(p.exists() for p in PROJECT):
        pytest.skip("project ontology absent")
    return Linker(OntologyGraph.load(PROJECT))


def test_project_ontology_links_the_nrc_vocabulary(project_linker):
    onto = project_linker.onto
    labels = [onto.label(m.concept) for m in project_linker.link("The EDG started when the RCIC pump tripped and the S/G level dropped.")]
    assert any("diesel generator" in x for x in labels) and len(labels) >= 3


def test_most_nrc_reports_link_to_a_specific_concept(project_linker):
    nrc = REPO / "corpora" / "nrc" / "events.jsonl.gz"
    if not nrc.exists():
        pytest.skip("NRC corpus absent")
    with gzip.open(nrc, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line).get("event_text") or "" for line in itertools.islice(fh, 0, 11837, 40)]
    onto = project_linker.onto
    linked = sum(1 for t in texts if any(not onto.concepts[m.concept].abstract for m in project_linker.link(t)))
    assert linked / len(texts) >= 0.9
