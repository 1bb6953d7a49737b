"""grounding.ontology.review: the one curation service under the CLI and the HTTP API.

The two used to differ in how a concept reference was resolved and which file an accepted
proposal went into; these tests pin the shared behaviour.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

TTL = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix gr: <https://w3id.org/grounding/onto#> .
@prefix ex: <https://example.org/other#> .

gr:Pump a owl:Class ; rdfs:label "pump"@en ; skos:altLabel "impeller unit"@en .
gr:FeedwaterPump a owl:Class ; rdfs:subClassOf gr:Pump ; rdfs:label "feedwater pump"@en .
ex:Pump a owl:Class ; rdfs:label "pump (other vocabulary)"@en .
ex:Valve a owl:Class ; rdfs:label "valve"@en .
"""
BASE = "https://w3id.org/grounding/onto#"


@pytest.fixture(scope="module")
def onto(tmp_path_factory):
    from grounding.ontology.graph import OntologyGraph

    p = tmp_path_factory.mktemp("review") / "mini.ttl"
    p.write_text(TTL, encoding="utf-8")
    return OntologyGraph.load([p])


@pytest.mark.parametrize(
    ("ref", "iri"),
    [
        (BASE + "Pump", BASE + "Pump"),  # the IRI itself
        ("gr:FeedwaterPump", BASE + "FeedwaterPump"),  # a declared prefix
        ("zz:FeedwaterPump", BASE + "FeedwaterPump"),  # an unknown prefix: the local name
        ("Pump", BASE + "Pump"),  # a local name two vocabularies share: the base namespace's
        ("Valve", "https://example.org/other#Valve"),  # a unique local name elsewhere
        ("Feedwater Pump", BASE + "FeedwaterPump"),  # a preferred label, any case
        ("impeller unit", BASE + "Pump"),  # an alternative label that only one concept has
        ("pumpp", None),  # no fuzzy matching without a linker
    ],
)
def test_resolve_concept(onto, ref, iri):
    from grounding.ontology.review import resolve_concept

    assert resolve_concept(onto, ref, BASE) == iri


def test_a_linker_adds_fuzzy_matching_for_look_ups(onto):
    from grounding.ontology.linker import Linker
    from grounding.ontology.review import resolve_concept

    assert resolve_concept(onto, "feedwater pumps", BASE, linker=Linker(onto)) == BASE + "FeedwaterPump"


def test_accepted_proposals_go_to_the_first_turtle_file(tmp_path: Path):
    """Not to ontology.files[0] when that is RDF/XML: accept writes Turtle only (the CLI's old choice failed)."""
    from grounding.ontology.review import turtle_target

    cfg = SimpleNamespace(ontology=SimpleNamespace(files=["base.owl", "local.ttl", "more.ttl"]), resolve=lambda f: tmp_path / f)
    assert turtle_target(cfg) == tmp_path / "local.ttl"
    cfg.ontology.files = ["base.owl"]
    assert turtle_target(cfg) is None
