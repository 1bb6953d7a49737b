"""Curation commands: stats, validate, diff, propose / review / accept / reject, audit, link, paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS
from typer.testing import CliRunner

from grounding.cli.main import app
from grounding.ontology.curation import diff_ontologies, ontology_stats, validate_files
from grounding.ontology.graph import OntologyGraph
from tests.ontology.conftest import GR, MINI_TTL

runner = CliRunner()

BAD_TTL = f"""@prefix gr: <{GR}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
gr:A a owl:Class ; rdfs:label "pump"@en ; rdfs:subClassOf gr:B .
gr:B a owl:Class ; rdfs:label "valve"@en ; rdfs:subClassOf gr:A .
gr:C a owl:Class .
gr:D a owl:Class ; rdfs:label "pumps"@en ; rdfs:subClassOf gr:Nowhere .
gr:E a owl:Class ; rdfs:label "valve"@en .
"""


@pytest.fixture
def project(tmp_path, mini_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n\n[ontology]\nfiles = ["{mini_path}"]\nimport_dirs = []\n'
                   'propose_min_reports = 2\n', encoding="utf-8")
    return cfg


def cli(cfg: Path, *args: str):
    return runner.invoke(app, ["--config", str(cfg), "ontology", *args], catch_exceptions=False)


def test_stats_counts(mini_path, project):
    s = ontology_stats(Graph().parse(mini_path))
    assert (s["classes"], s["object_properties"], s["annotation_properties"], s["individuals"]) == (13, 3, 1, 0)
    assert s["labels_by_lang"] == {"en": 17, "ko": 13} and s["alt_labels"] == 5 and s["disjointness_axioms"] == 2
    r = cli(project, "stats", "--json")
    assert r.exit_code == 0 and json.loads(r.output)["total"]["classes"] == 13
    assert "object properties" in cli(project, "stats").output


def test_validate_reports_every_convention(tmp_path, project, mini_path):
    assert cli(project, "validate").exit_code == 0
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD_TTL, encoding="utf-8")
    rep = validate_files([bad])
    rules = {(i.rule, i.focus.rsplit("#", 1)[-1]) for i in rep.errors}
    assert ("class-labelled", "C") in rules
    assert ("no-subclass-cycle", "A") in rules or ("no-subclass-cycle", "B") in rules
    assert ("no-dangling-reference", "D") in rules
    assert ("unique-label", "B") in rules  # "valve" twice
    assert ("unique-label", "A") in rules  # "pump" / "pumps": same key after normalization
    assert all(i.file == str(bad) and i.line for i in rep.errors)
    r = cli(project, "validate", str(bad))
    assert r.exit_code == 1 and f"{bad}:" in r.output and "invalid" in r.output


def test_validate_syntax_errors_of_every_file(tmp_path, project):
    b1, b2 = tmp_path / "b1.ttl", tmp_path / "b2.rdf"
    b1.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ;\n ex:g .\n")
    b2.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    r = cli(project, "validate", "--json", str(b1), str(b2))
    assert r.exit_code == 1
    issues = json.loads(r.output)["issues"]
    assert {(Path(i["file"]).name, i["line"]) for i in issues if i["rule"] == "syntax"} >= {("b1.ttl", 4), ("b2.rdf", 2)}


def test_diff(tmp_path, mini_path, project):
    new = tmp_path / "new.ttl"
    new.write_text(MINI_TTL.replace('"battery"@en', '"station battery"@en')
                   + '\ngr:Relay a owl:Class ; rdfs:label "relay"@en ; rdfs:subClassOf gr:Equipment .\n'
                   + 'gr:Fire rdfs:subClassOf [ a owl:Restriction ; owl:onProperty gr:partOf ; owl:someValuesFrom gr:Switchyard ] .\n',
                   encoding="utf-8")
    d = diff_ontologies(OntologyGraph.load([mini_path]), OntologyGraph.load([new]))
    assert [c["label"] for c in d["classes_added"]] == ["relay"]
    ch = {c["iri"].rsplit("#")[-1]: c for c in d["changed"]}
    assert ch["Battery"]["labels"] == {"added": ["station battery@en"], "removed": ["battery@en"]}
    assert any(r["text"] == "fire -part of-> switchyard" for r in d["relations_added"])
    r = cli(project, "diff", str(mini_path), str(new))
    assert r.exit_code == 0 and "+ class relay" in r.output and "fire -part of-> switchyard" in r.output


def _reports(cfg_path: Path, texts: dict[str, str]) -> None:
    from grounding.config import load_config
    from grounding.store.schema import Report
    from grounding.store.sql import SqlStore

    cfg = load_config(cfg_path)
    store = SqlStore(cfg.database_url)
    with store.session() as s:
        for rid, text in texts.items():
            s.add(Report(id=rid, corpus="nrc", source_id=rid.split(":")[1], title="", text=text, meta={}, content_hash="x"))
    store.dispose()


REPORTS = {
    "nrc:1": "The reactor core isolation cooling (RCIC) pump tripped. The jockey pump started. The circuit breaker (CB) opened.",
    "nrc:2": "Operators started the reactor core isolation cooling (RCIC) system. The jockey pump failed. The output circuit breaker (CB) was closed.",
    "nrc:3": "RCIC was declared inoperable. A jockey pump leak was found. The circuit breaker (CB) failed to close.",
    "nrc:4": "NOTHING TO SEE HERE IN CAPITALS ONLY RCIC.",
}


def test_propose_review_accept_reject(tmp_path, project, mini_path):
    _reports(project, REPORTS)
    r = cli(project, "propose", "--json")
    assert r.exit_code == 0, r.output
    r = cli(project, "review", "--json", "--status", "all")
    cands = {(c["kind"], c["term"]): c for c in json.loads(r.output)["candidates"]}
    syn = cands[("synonym", "CB")]
    assert syn["concept"] == GR + "CircuitBreaker" and syn["reports"] == 3 and set(syn["examples"]) == {"nrc:1", "nrc:2", "nrc:3"}
    rcic = next(c for (k, t), c in cands.items() if k == "concept" and t.lower() == "reactor core isolation cooling")
    assert rcic["abbreviation"] == "RCIC"
    jockey = next(c for (k, t), c in cands.items() if k == "concept" and t == "jockey pump")
    # accept the synonym: appended with axiom provenance, comments kept, backup made
    r = cli(project, "accept", str(syn["id"]), "--by", "alice")
    assert r.exit_code == 0, r.output
    text = mini_path.read_text(encoding="utf-8")
    assert text.startswith(MINI_TTL) and "# a comment the curator wants to keep" in text
    g = Graph().parse(mini_path)
    assert (URIRef(GR + "CircuitBreaker"), SKOS.altLabel, Literal("CB", lang="en")) in g
    ax = next(g.subjects(OWL.annotatedTarget, Literal("CB", lang="en")))
    assert {str(o) for o in g.objects(ax, DCTERMS.source)} == {"nrc:1", "nrc:2", "nrc:3"}
    assert str(g.value(ax, DCTERMS.creator)) == "alice" and g.value(ax, DCTERMS.created) is not None
    backups = list((tmp_path / "data" / "ontology-backups").iterdir())
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == MINI_TTL
    # accept a new concept under a parent given by label, with a Korean label
    r = cli(project, "accept", str(rcic["id"]), "--by", "bob", "--label", "reactor core isolation cooling system",
            "--parent", "equipment", "--ko", "원자로 노심 격리 냉각계통")
    assert r.exit_code == 0, r.output
    g = Graph().parse(mini_path)
    new = URIRef(GR + "ReactorCoreIsolationCoolingSystem")
    assert (new, RDF.type, OWL.Class) in g and (new, SKOS.altLabel, Literal("RCIC", lang="en")) in g
    assert str(g.value(new, DCTERMS.creator)) == "bob" and g.value(new, SKOS.changeNote) is not None
    o = OntologyGraph.load([mini_path])
    assert GR + "Equipment" in o.parents(str(new))
    # the edited file still validates; a second accept of the same candidate is refused
    assert cli(project, "validate").exit_code == 0
    assert cli(project, "accept", str(rcic["id"]), "--by", "bob").exit_code == 1
    # reject is remembered: proposing again does not bring it back as pending
    assert cli(project, "reject", str(jockey["id"]), "--by", "alice", "--reason", "plant-specific").exit_code == 0
    cli(project, "propose")
    rows = json.loads(cli(project, "review", "--json", "--status", "all").output)["candidates"]
    j = [c for c in rows if c["term"] == "jockey pump"]
    assert len(j) == 1 and j[0]["status"] == "rejected" and j[0]["note"] == "plant-specific"
    assert not any(c["status"] == "pending" and c["term"] in ("CB", "RCIC") for c in rows)


def test_accept_refuses_a_label_that_names_another_concept(tmp_path, mini_path):
    from grounding.ontology.accept import AcceptError, accept_into_file

    with pytest.raises(AcceptError, match="already names"):
        accept_into_file(mini_path, kind="concept", term="Transformers", by="x", reports=["nrc:1"])
    with pytest.raises(AcceptError, match="Turtle"):
        accept_into_file(tmp_path / "x.rdf", kind="concept", term="y", by="x", reports=[])
    assert mini_path.read_text(encoding="utf-8") == MINI_TTL


def test_link_and_paths_commands(project):
    r = cli(project, "link", "The EDG tripped after the LOOP", "--json")
    assert [m["label"] for m in json.loads(r.output)] == ["emergency diesel generator", "loss of offsite power"]
    r = cli(project, "paths", "EDG", "loss of offsite power")
    assert "emergency diesel generator -part of-> onsite AC power system -mitigates-> loss of offsite power" in r.output


def test_audit_finds_the_confusable_siblings(mini, embedder):
    from grounding.ontology.audit import audit

    res = audit(mini, embedder, top=10, threshold=0.5, far=3)
    assert res.concepts == 13 and res.pairs == 78 and -1 <= res.spearman <= 1
    pair = {frozenset((p.label_a, p.label_b)): p for p in res.misaligned}
    p = pair[frozenset(("main transformer", "auxiliary transformer"))]
    assert p.relation == "disjoint" and p.similarity > 0.6
    assert all(p.relation in ("disjoint", "sibling", "distant") for p in res.misaligned)
