import pytest

from grounding.ontology.graph import OntologyGraph
from grounding.ontology.linker import Linker
from grounding.verify.kg_check import judge, misaligned, relations

GR = "https://w3id.org/grounding/onto#"
TTL = f"""@prefix gr: <{GR}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
gr:partOf a owl:ObjectProperty ; rdfs:label "part of"@en .
gr:canCause a owl:ObjectProperty ; rdfs:label "can cause"@en .
gr:Equipment a owl:Class ; rdfs:label "equipment"@en .
gr:Transformer a owl:Class ; rdfs:subClassOf gr:Equipment ; rdfs:label "transformer"@en .
gr:MainTransformer a owl:Class ; rdfs:subClassOf gr:Transformer ; rdfs:label "main transformer"@en .
gr:AuxiliaryTransformer a owl:Class ; rdfs:subClassOf gr:Transformer ; rdfs:label "auxiliary transformer"@en ;
  owl:disjointWith gr:MainTransformer .
gr:Switchyard a owl:Class ; rdfs:subClassOf gr:Equipment ; rdfs:label "switchyard"@en .
gr:Breaker a owl:Class ; rdfs:subClassOf gr:Equipment ; rdfs:label "breaker"@en ;
  rdfs:subClassOf [ a owl:Restriction ; owl:onProperty gr:partOf ; owl:someValuesFrom gr:Switchyard ] .
gr:Lightning a owl:Class ; rdfs:label "lightning"@en ;
  rdfs:subClassOf [ a owl:Restriction ; owl:onProperty gr:canCause ; owl:someValuesFrom gr:Breaker ] .
"""


@pytest.fixture(scope="module")
def onto(tmp_path_factory):
    p = tmp_path_factory.mktemp("o") / "o.ttl"
    p.write_text(TTL)
    return OntologyGraph.load([p])


def test_part_of_agrees_and_reversed_part_of_contradicts(onto):
    assert judge(onto, "partOf", GR + "Breaker", GR + "Switchyard")[0] == "agrees"
    verdict, reason = judge(onto, "partOf", GR + "Switchyard", GR + "Breaker")
    assert verdict == "contradicts" and "reversed" in reason


def test_is_a_between_disjoint_classes_contradicts(onto):
    assert judge(onto, "subClassOf", GR + "MainTransformer", GR + "AuxiliaryTransformer")[0] == "contradicts"
    assert judge(onto, "subClassOf", GR + "MainTransformer", GR + "Transformer")[0] == "agrees"


def test_relations_are_read_from_sentences(onto):
    linker = Linker(onto)
    (r,) = relations(onto, linker, "The switchyard is part of the breaker.")
    assert (r.relation, r.verdict) == ("partOf", "contradicts")
    (r,) = relations(onto, linker, "The breaker was caused by lightning.")
    assert r.relation == "canCause" and r.subject == GR + "Lightning" and r.verdict == "agrees"


def test_concept_alignment_flags_the_confused_sibling(onto):
    assert misaligned(onto, [GR + "AuxiliaryTransformer"], [GR + "MainTransformer"]) == [(GR + "AuxiliaryTransformer", GR + "MainTransformer")]
    assert misaligned(onto, [GR + "AuxiliaryTransformer"], [GR + "AuxiliaryTransformer", GR + "MainTransformer"]) == []
    assert misaligned(onto, [GR + "Transformer"], [GR + "MainTransformer"]) == []
