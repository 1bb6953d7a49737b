"""Small hand-written ontologies for the ontology tests (the project ontology is used where present)."""

from __future__ import annotations

from pathlib import Path

import pytest

GR = "https://w3id.org/grounding/onto#"

MINI_TTL = f"""@prefix gr: <{GR}> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# a comment the curator wants to keep
<https://w3id.org/grounding/onto> a owl:Ontology .
gr:partOf a owl:ObjectProperty ; rdfs:label "part of"@en ; owl:inverseOf gr:hasPart .
gr:hasPart a owl:ObjectProperty ; rdfs:label "has part"@en .
gr:mitigates a owl:ObjectProperty ; rdfs:label "mitigates"@en ; rdfs:domain gr:Equipment ; rdfs:range gr:Event .
gr:abstract a owl:AnnotationProperty ; rdfs:label "abstract"@en .
gr:Equipment a owl:Class ; rdfs:label "equipment"@en , "설비"@ko ; gr:abstract true ; skos:definition "Any equipment."@en .
gr:Event a owl:Class ; rdfs:label "event"@en , "사건"@ko ; gr:abstract true ; skos:definition "Any event."@en .
[] a owl:AllDisjointClasses ; owl:members ( gr:Equipment gr:Event ) .
gr:EmergencyDieselGenerator a owl:Class ; rdfs:subClassOf gr:Equipment ;
    rdfs:label "emergency diesel generator"@en , "비상 디젤 발전기"@ko ; skos:altLabel "EDG"@en , "E.D.G."@en ;
    skos:definition "Diesel generator supplying onsite AC power when offsite power is lost."@en ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty gr:partOf ; owl:someValuesFrom gr:OnsiteACPower ] .
gr:OnsiteACPower a owl:Class ; rdfs:subClassOf gr:Equipment ; rdfs:label "onsite AC power system"@en , "소내 교류 전원"@ko ;
    skos:definition "Onsite AC power."@en ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty gr:mitigates ; owl:someValuesFrom gr:LossOfOffsitePower ] .
gr:LossOfOffsitePower a owl:Class ; rdfs:subClassOf gr:Event ; rdfs:label "loss of offsite power"@en , "소외전원 상실"@ko ;
    skos:altLabel "LOOP"@en , "loss of off-site power"@en ; skos:definition "Loss of offsite power."@en .
gr:Transformer a owl:Class ; rdfs:subClassOf gr:Equipment ; rdfs:label "transformer"@en , "변압기"@ko ; skos:definition "T."@en .
gr:MainTransformer a owl:Class ; rdfs:subClassOf gr:Transformer ; rdfs:label "main transformer"@en , "주변압기"@ko ;
    skos:definition "Main."@en .
gr:AuxiliaryTransformer a owl:Class ; rdfs:subClassOf gr:Transformer ; rdfs:label "auxiliary transformer"@en , "보조 변압기"@ko ;
    owl:disjointWith gr:MainTransformer ; skos:definition "Aux."@en .
gr:FeedwaterPump a owl:Class ; rdfs:subClassOf gr:Equipment ; rdfs:label "feedwater pump"@en , "급수 펌프"@ko ; skos:definition "F."@en .
gr:Switchyard a owl:Class ; rdfs:subClassOf gr:Equipment ; rdfs:label "switchyard"@en , "개폐소"@ko ; skos:definition "S."@en .
gr:Fire a owl:Class ; rdfs:subClassOf gr:Event ; rdfs:label "fire"@en , "화재"@ko ; skos:definition "Fire."@en .
gr:Battery a owl:Class ; rdfs:subClassOf gr:Equipment ; rdfs:label "battery"@en , "축전지"@ko ; skos:definition "B."@en .
gr:CircuitBreaker a owl:Class ; rdfs:subClassOf gr:Equipment ; rdfs:label "circuit breaker"@en , "차단기"@ko ;
    skos:altLabel "breaker"@en ; skos:definition "Breaker."@en .
"""


@pytest.fixture
def mini_path(tmp_path) -> Path:
    p = tmp_path / "mini.ttl"
    p.write_text(MINI_TTL, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    from grounding.ontology.graph import OntologyGraph

    p = tmp_path_factory.mktemp("mini") / "mini.ttl"
    p.write_text(MINI_TTL, encoding="utf-8")
    return OntologyGraph.load([p])


@pytest.fixture(scope="module")
def mini_linker(mini):
    from grounding.ontology.linker import Linker

    return Linker(mini)
