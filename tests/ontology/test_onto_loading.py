"""Loading: formats, local-only imports, hostile input, atomicity, the parse cache, typed edges."""

from __future__ import annotations

import glob
import json
import socket
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from grounding.ontology.graph import OntologyGraph
from grounding.ontology.loader import OntologyError, UnsafeInput, parse_file

from tests.ontology.conftest import GR, MINI_TTL

REPO = Path(__file__).resolve().parents[2]
THIRD = REPO / "ontology" / "third_party"
SHARED_CIM = Path("/work/shared/data/cim-cgmes-rdfs")


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _edges(o: OntologyGraph) -> set:
    return {(s, k, t) for s, t, k in o.nx.edges(keys=True)}


@pytest.mark.parametrize("fmt,suffix", [("xml", ".rdf"), ("nt", ".nt"), ("json-ld", ".jsonld"), ("xml", ".owl"), ("turtle", ".owl")])
def test_every_format_gives_the_same_view(tmp_path, mini_path, fmt, suffix, no_network):
    ref = OntologyGraph.load([mini_path])
    p = tmp_path / f"copy{suffix}"
    p.write_text(Graph().parse(mini_path).serialize(format=fmt), encoding="utf-8")
    o = OntologyGraph.load([p])
    assert set(o.concepts) == set(ref.concepts)
    assert _edges(o) == _edges(ref)
    assert o.label(GR + "EmergencyDieselGenerator", "ko") == "비상 디젤 발전기"


def test_typed_labelled_edges(mini):
    e = {(s.split("#")[-1], k.split("#")[-1], t.split("#")[-1]): d for s, t, k, d in mini.nx.edges(keys=True, data=True)}
    assert e[("EmergencyDieselGenerator", "partOf", "OnsiteACPower")]["label"] == "part of"
    assert e[("OnsiteACPower", "mitigates", "LossOfOffsitePower")]["how"] == "some"
    assert e[("Equipment", "mitigates", "Event")]["how"] == "domain-range"
    assert e[("MainTransformer", "subClassOf", "Transformer")]["label"] == "is a"
    assert ("AuxiliaryTransformer", "disjointWith", "MainTransformer") in e
    assert ("Equipment", "disjointWith", "Event") in e  # from owl:AllDisjointClasses
    assert mini.disjoint(GR + "Fire", GR + "Battery")
    assert mini.inverse_label(GR + "partOf") == "has part"
    assert mini.concepts[GR + "Equipment"].abstract and not mini.concepts[GR + "Fire"].abstract


def test_skos_mappings_equivalence_and_individuals(tmp_path):
    p = tmp_path / "m.ttl"
    p.write_text(MINI_TTL + """
@prefix cim: <https://cim.ucaiug.io/ns#> .
gr:CircuitBreaker owl:equivalentClass cim:Breaker ; skos:exactMatch cim:Breaker .
gr:Transformer skos:narrowMatch cim:PowerTransformer .
gr:Unit2EDG a owl:NamedIndividual , gr:EmergencyDieselGenerator ; rdfs:label "unit 2 EDG A"@en ; gr:partOf gr:SiteACPower .
gr:SiteACPower a gr:OnsiteACPower ; rdfs:label "site AC power"@en .
gr:Lightning a owl:Class ; rdfs:label "lightning"@en ; owl:equivalentClass [ owl:intersectionOf ( gr:Event
    [ a owl:Restriction ; owl:onProperty [ owl:inverseOf gr:hasPart ] ; owl:someValuesFrom gr:Switchyard ] ) ] .
""", encoding="utf-8")
    o = OntologyGraph.load([p])
    keys = {(s.split("#")[-1], k.split("#")[-1], t.split("#")[-1]) for s, t, k in o.nx.edges(keys=True)}
    assert ("CircuitBreaker", "equivalentClass", "Breaker") in keys and ("CircuitBreaker", "exactMatch", "Breaker") in keys
    assert ("Transformer", "narrowMatch", "PowerTransformer") in keys
    assert o.concepts[GR + "Unit2EDG"].kind == "individual"
    assert ("Unit2EDG", "type", "EmergencyDieselGenerator") in keys and ("Unit2EDG", "partOf", "SiteACPower") in keys
    assert GR + "EmergencyDieselGenerator" in o.ancestors(GR + "Unit2EDG")
    assert ("Lightning", "subClassOf", "Event") in keys  # intersection member
    assert ("Switchyard", "hasPart", "Lightning") in keys  # inverse property restriction, reversed


def test_imports_are_resolved_from_local_folders_only(tmp_path, no_network):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "base.ttl").write_text(f"""@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/base> a owl:Ontology .
<{GR}Thing2> a owl:Class ; rdfs:label "imported thing"@en .
""")
    (lib / "cat.ttl").write_text(f"""@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{GR}Cat> a owl:Class ; rdfs:label "catalogued"@en .""")
    (lib / "catalog-v001.xml").write_text(
        '<?xml version="1.0"?><catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        '<uri name="http://elsewhere.org/cat-onto" uri="cat.ttl"/></catalog>')
    main = tmp_path / "main.ttl"
    main.write_text("""@prefix owl: <http://www.w3.org/2002/07/owl#> .
<http://example.org/main> a owl:Ontology ; owl:imports <http://example.org/base> , <http://elsewhere.org/cat-onto> ,
    <http://nowhere.example/missing.owl> .""")
    o = OntologyGraph.load([main], import_dirs=[lib])
    assert GR + "Thing2" in o.concepts and GR + "Cat" in o.concepts
    assert set(o.imports) == {"http://example.org/base", "http://elsewhere.org/cat-onto"}
    assert any("missing.owl" in w and "never fetched" in w for w in o.warnings)
    with pytest.raises(OntologyError, match="missing.owl"):
        OntologyGraph.load([main], import_dirs=[lib], missing_imports="error")


XXE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file://{secret}"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="http://x/a"><rdfs:label>&secret;</rdfs:label></rdf:Description>
</rdf:RDF>
"""
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [ <!ENTITY lol "lol"> <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="http://x/a"><rdfs:label>&lol3;</rdfs:label></rdf:Description>
</rdf:RDF>
"""


def test_xxe_is_refused_without_reading_the_entity(tmp_path, no_network):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    p = tmp_path / "xxe.rdf"
    p.write_text(XXE.format(secret=secret))
    with pytest.raises(UnsafeInput) as exc:
        OntologyGraph.load([p])
    assert "DOCTYPE" in str(exc.value) and "TOP-SECRET" not in str(exc.value)
    q = tmp_path / "xxe.owl"  # suffix sniffed as XML
    q.write_text(XXE.format(secret=secret))
    with pytest.raises(UnsafeInput):
        parse_file(q)


def test_entity_expansion_bomb_is_refused_fast(tmp_path):
    p = tmp_path / "bomb.rdf"
    p.write_text(BOMB)
    t0 = time.perf_counter()
    with pytest.raises(UnsafeInput, match="DOCTYPE"):
        OntologyGraph.load([p])
    assert time.perf_counter() - t0 < 2


def test_jsonld_remote_context_is_not_fetched(tmp_path, no_network):
    p = tmp_path / "a.jsonld"
    p.write_text(json.dumps({"@context": "https://schema.org/docs/jsonldcontext.json", "@id": "http://x/a", "name": "A"}))
    with pytest.raises(UnsafeInput, match="not fetched"):
        OntologyGraph.load([p])
    (tmp_path / "ctx.jsonld").write_text(json.dumps({"@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label"}}))
    p.write_text(json.dumps({"@context": "http://example.org/ctx.jsonld", "@id": "http://x/a", "@type": "http://www.w3.org/2002/07/owl#Class", "label": "local ctx"}))
    o = OntologyGraph.load([p])
    assert o.label("http://x/a") == "local ctx"


def test_size_limit_refuses_before_reading(tmp_path, mini_path):
    with pytest.raises(UnsafeInput, match="max_file_bytes"):
        OntologyGraph.load([mini_path], max_file_bytes=100)
    with pytest.raises(UnsafeInput, match="max_triples"):
        OntologyGraph.load([mini_path], max_triples=10)


def test_syntax_error_names_file_and_line_and_loads_nothing(tmp_path, mini_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e\nex:f ex:g .\n")
    cache = tmp_path / "cache"
    with pytest.raises(OntologyError) as exc:
        OntologyGraph.load([mini_path, bad], cache_dir=cache)
    assert exc.value.path == str(bad) and exc.value.line in (3, 4) and f"{bad}:" in str(exc.value)
    assert not cache.exists() or not list(cache.iterdir())  # nothing half-loaded was cached
    xml = tmp_path / "bad.rdf"
    xml.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description>\n</rdf:RDF>\n')
    with pytest.raises(OntologyError) as exc:
        OntologyGraph.load([xml])
    assert exc.value.line == 4


def test_system_keeps_no_half_loaded_graph(tmp_path, mini_path):
    from grounding.config import Config
    from grounding.system import Grounding

    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n")
    cfg = Config.model_validate({"storage": {"data_dir": str(tmp_path / "d")}, "ontology": {"files": [str(mini_path), str(bad)]}, "root": tmp_path})
    g = Grounding(cfg)
    with pytest.raises(OntologyError):
        g.ontology
    assert "ontology" not in g.__dict__  # the failed load is not cached as the system's ontology


def test_parse_cache_hits_and_invalidates(tmp_path, mini_path):
    cache = tmp_path / "cache"
    a = OntologyGraph.load([mini_path], cache_dir=cache)
    b = OntologyGraph.load([mini_path], cache_dir=cache)
    assert not a.from_cache and b.from_cache
    assert set(b.concepts) == set(a.concepts) and _edges(a) == _edges(b) and b.fingerprint == a.fingerprint
    assert len(b.rdf) == len(a.rdf)  # raw triples load lazily from the cache
    mini_path.write_text(MINI_TTL + f'\n<{GR}New> a <http://www.w3.org/2002/07/owl#Class> .\n', encoding="utf-8")
    c = OntologyGraph.load([mini_path], cache_dir=cache)
    assert not c.from_cache and GR + "New" in c.concepts and c.fingerprint != a.fingerprint


def test_project_ontology_and_third_party_copies_load(tmp_path):
    files = [REPO / "ontology" / "grounding.ttl", REPO / "ontology" / "alignments.ttl"]
    if not all(f.exists() for f in files):
        pytest.skip("project ontology not present")
    third = sorted(p for p in THIRD.rglob("*.ttl"))
    o = OntologyGraph.load(files + third, cache_dir=tmp_path / "c")
    assert len(o.concepts) > 500 and o.triples > 10000
    assert OntologyGraph.load(files + third, cache_dir=tmp_path / "c").from_cache


@pytest.mark.skipif(not SHARED_CIM.exists(), reason="../shared CIM/CGMES files absent")
def test_every_cim_cgmes_file_loads():
    files = sorted(glob.glob(str(SHARED_CIM / "**" / "*.ttl"), recursive=True))
    assert len(files) >= 29
    for f in files:  # each one alone (they are profiles of one model)
        o = OntologyGraph.load([f])
        assert o.triples > 0 and o.concepts, f
    union = OntologyGraph.load(files)
    assert union.triples > 30000 and len(union.concepts) > 1000
    assert any(k == "subClassOf" for _, _, k in union.nx.edges(keys=True))
