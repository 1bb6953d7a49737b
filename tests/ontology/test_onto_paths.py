"""KG paths: typed, readable, bounded, k shortest, citable."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from grounding.ontology.graph import OntologyGraph
from grounding.ontology.paths import kg_paths
from tests.ontology.conftest import GR

REPO = Path(__file__).resolve().parents[2]


def test_readable_typed_path(mini):
    (p,) = kg_paths(mini, [GR + "EmergencyDieselGenerator"], [GR + "LossOfOffsitePower"], max_hops=3, k=1)
    assert p.render(mini) == "emergency diesel generator -part of-> onsite AC power system -mitigates-> loss of offsite power"
    assert p.as_list(mini) == ["emergency diesel generator", "part of", "onsite AC power system", "mitigates", "loss of offsite power"]
    assert p.triples()[0] == (GR + "EmergencyDieselGenerator", GR + "partOf", GR + "OnsiteACPower")
    assert p.id.startswith("kg:") and p.id == kg_paths(mini, [GR + "EmergencyDieselGenerator"], [GR + "LossOfOffsitePower"], 3, 1)[0].id


def test_walking_back_uses_the_inverse_label(mini):
    (p,) = kg_paths(mini, [GR + "OnsiteACPower"], [GR + "EmergencyDieselGenerator"], max_hops=1, k=1)
    assert p.render(mini) == "onsite AC power system -has part-> emergency diesel generator"
    (q,) = kg_paths(mini, [GR + "LossOfOffsitePower"], [GR + "OnsiteACPower"], max_hops=1, k=1)
    assert q.render(mini) == "loss of offsite power <-mitigates- onsite AC power system"


def test_hops_bound_k_and_many_to_many(mini):
    assert kg_paths(mini, [GR + "EmergencyDieselGenerator"], [GR + "LossOfOffsitePower"], max_hops=1, k=3) == []
    srcs, tgts = [GR + "EmergencyDieselGenerator", GR + "Fire"], [GR + "LossOfOffsitePower", GR + "Battery"]
    # "battery -is a-> equipment <-is a- emergency diesel generator" runs through the abstract hub: not cited
    (only,) = kg_paths(mini, srcs, tgts, max_hops=3, k=2)
    assert GR + "Equipment" not in only.nodes
    paths = kg_paths(mini, srcs, tgts, max_hops=3, k=2, via=[GR + "Equipment"])  # a question about "equipment"
    assert len(paths) == 2 and [p.cost for p in paths] == sorted(p.cost for p in paths)
    assert all(p.nodes[0] in (GR + "EmergencyDieselGenerator", GR + "Fire") for p in paths)
    assert any(GR + "Equipment" in p.nodes for p in paths)
    assert kg_paths(mini, [GR + "Fire"], [GR + "Fire"]) == []


def test_disjointness_is_never_a_path(mini):
    # siblings: "main transformer -is a-> transformer <-is a- auxiliary transformer" is cited only when the
    # question names "transformer" (via); without it there is no path at all, never the disjointness
    assert kg_paths(mini, [GR + "MainTransformer"], [GR + "AuxiliaryTransformer"], max_hops=3, k=5) == []
    paths = kg_paths(mini, [GR + "MainTransformer"], [GR + "AuxiliaryTransformer"], max_hops=3, k=5, via=[GR + "Transformer"])
    assert paths
    for p in paths:
        assert "disjoint" not in p.render(mini)
        assert p.nodes[1] == GR + "Transformer"


def test_project_ontology_path_latency():
    files = [REPO / "ontology" / "grounding.ttl", REPO / "ontology" / "alignments.ttl"]
    if not all(f.exists() for f in files):
        pytest.skip("project ontology absent")
    onto = OntologyGraph.load(files)
    concepts = sorted(c for c, x in onto.concepts.items() if not x.abstract)[:60]
    kg_paths(onto, concepts[:1], concepts[1:2])  # builds the cached view
    t0 = time.perf_counter()
    n = 0
    for i in range(0, 40, 2):
        paths = kg_paths(onto, concepts[i : i + 2], concepts[30:40], max_hops=3, k=3)
        n += len(paths)
        for p in paths:
            assert p.hops <= 3 and " -" in p.render(onto) or "<-" in p.render(onto)
    assert (time.perf_counter() - t0) / 20 < 1.0
