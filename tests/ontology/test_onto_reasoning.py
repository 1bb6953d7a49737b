"""Reasoning: entailed edges in the KG (HermiT, the OWL-RL fallback), the cache, is-a answers, competency
questions (`grounding ontology test`), consistency in `validate`, entailments in `diff`.

The OEO-like test ontology (tests/ontology/data/oeo_like.ttl) states its grid components and fueled power
plants through equivalent-class intersections with existential restrictions, as OEO does: only a DL
reasoner turns them into subclass edges."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grounding.ontology import reasoner as reasoner_mod
from grounding.ontology.graph import OntologyGraph
from grounding.ontology.paths import kg_paths
from grounding.ontology.questions import is_a_answer, part_of_answer

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
OEO = DATA / "oeo_like.ttl"
X = "https://w3id.org/grounding/test/oeo-like/"
TRANSFORMER, GRID_COMPONENT = X + "OEO_00000420", X + "OEO_00000144"
OIL_PLANT, FUELED_PLANT = X + "OEO_00000311", X + "OEO_00000185"
needs_java = pytest.mark.skipif(reasoner_mod.java_executable() is None, reason="HermiT needs a Java runtime")


@pytest.fixture(scope="module")
def hermit():
    if reasoner_mod.java_executable() is None:
        pytest.skip("HermiT needs a Java runtime")
    return OntologyGraph.load([OEO], reasoner="hermit")


@needs_java
def test_hermit_entails_the_subclass_edges_of_equivalent_class_definitions(hermit):
    assert hermit.reasoning["reasoner"] == "hermit" and hermit.reasoning["consistent"]
    for a, b in ((TRANSFORMER, GRID_COMPONENT), (OIL_PLANT, FUELED_PLANT), (X + "OEO_00000410", GRID_COMPONENT),
                 (X + "OEO_00000430", GRID_COMPONENT), (X + "transformer_t1", GRID_COMPONENT)):
        ans = is_a_answer(hermit, a, b)
        assert ans.holds is True and ans.entailed, (a, b)
        assert ans.path.nodes[0] == a and ans.path.nodes[-1] == b and ans.path.entailed[-1]
        assert "(entailed)" in ans.path.render(hermit)
    ans = is_a_answer(hermit, TRANSFORMER, GRID_COMPONENT)
    assert ans.text(hermit).startswith("yes: transformer is an electricity grid component (entailed by the reasoner)")
    because = ans.path.because[0]
    assert any("EquivalentTo 'artificial object' and ('part of' some 'electricity grid')" in b for b in because)
    assert ans.as_dict(hermit)["path"]["entailed"] == [True]


@needs_java
def test_is_a_answers_no_and_unknown(hermit):
    no = is_a_answer(hermit, TRANSFORMER, X + "OEO_00000173")  # a transformer is not fuel: disjoint
    assert no.holds is False and no.disjoint == (X + "OEO_00000061", X + "OEO_00000331")
    unknown = is_a_answer(hermit, X + "OEO_00000045", FUELED_PLANT)  # wind farm: nothing says so
    assert unknown.holds is None and unknown.path is None
    asserted = is_a_answer(hermit, X + "OEO_00000289", X + "OEO_00000173")  # oil -> fossil fuel -> fuel
    assert asserted.holds and not asserted.entailed and asserted.path.hops == 2


@needs_java
def test_entailed_edges_in_kg_paths_and_no_hub_paths(hermit):
    paths = kg_paths(hermit, [TRANSFORMER], [GRID_COMPONENT], max_hops=3, k=3)
    assert paths[0].render(hermit) == "transformer -is a (entailed)-> electricity grid component"
    d = paths[0].as_dict(hermit)
    assert d["entailed"] == [True] and d["because"][0]
    for p in paths:  # "artificial object" is abstract: never an intermediate node
        assert X + "OEO_00000061" not in p.nodes[1:-1]
    hub = kg_paths(hermit, [X + "OEO_00000008"], [X + "OEO_00000143"], max_hops=2, k=5)
    assert all(X + "OEO_00000061" not in p.nodes for p in hub)
    assert any(X + "OEO_00000061" in p.nodes for p in kg_paths(hermit, [X + "OEO_00000008"], [X + "OEO_00000143"], 2, 5,
                                                                via=[X + "OEO_00000061"]))


@needs_java
def test_parts_of_through_a_transitive_part_of(hermit):
    ans = part_of_answer(hermit, X + "OEO_00000143")
    texts = [p.render(hermit) for p in ans.paths]
    assert "switchyard -part of-> substation -part of-> electricity grid" in texts
    assert X + "OEO_00000420" in ans.parts


def test_owlrl_finds_none_of_the_definitional_subclass_edges():
    onto = OntologyGraph.load([OEO], reasoner="owlrl")
    assert onto.reasoning["reasoner"] == "owlrl"
    assert is_a_answer(onto, TRANSFORMER, GRID_COMPONENT).holds is None
    assert is_a_answer(onto, OIL_PLANT, FUELED_PLANT).holds is None


def test_without_java_hermit_falls_back_to_owlrl_and_warns_once(monkeypatch, caplog):
    monkeypatch.setattr(reasoner_mod, "java_executable", lambda: None)
    monkeypatch.setattr(reasoner_mod, "_warned", set())
    with caplog.at_level(logging.WARNING, logger="grounding.ontology.reasoner"):
        assert reasoner_mod.resolve_reasoner("hermit") == "owlrl"
        onto = OntologyGraph.load([OEO], reasoner="hermit")
    assert onto.reasoning["reasoner"] == "owlrl" and onto.reasoning["requested"] == "hermit"
    warnings = [r for r in caplog.records if "Java runtime" in r.getMessage()]
    assert len(warnings) == 1 and "\n" not in warnings[0].getMessage()


@needs_java
def test_reasoned_view_is_cached_by_files_and_reasoner(tmp_path):
    cache = tmp_path / "cache"
    a = OntologyGraph.load([OEO], cache_dir=cache, reasoner="hermit")
    b = OntologyGraph.load([OEO], cache_dir=cache, reasoner="hermit")
    assert not a.from_cache and b.from_cache and b.reasoning["reasoner"] == "hermit"
    assert is_a_answer(b, TRANSFORMER, GRID_COMPONENT).entailed
    plain = OntologyGraph.load([OEO], cache_dir=cache, reasoner="none")  # another key: not the reasoned entry
    assert not plain.from_cache and is_a_answer(plain, TRANSFORMER, GRID_COMPONENT).holds is None
    assert OntologyGraph.load([OEO], cache_dir=cache, reasoner="owlrl", cache_only=True) is None


@needs_java
def test_a_question_never_reasons(tmp_path, caplog):
    from grounding.config import Config

    cfg = Config.model_validate({"storage": {"data_dir": str(tmp_path / "data")}, "root": tmp_path,
                                 "ontology": {"files": [str(OEO)], "reasoner": "hermit"}})
    reasoner_mod._warned.clear()
    with caplog.at_level(logging.WARNING):
        asked = OntologyGraph.from_config(cfg)  # no reasoned cache yet: asserted edges only, one warning
    assert not asked.reasoning and is_a_answer(asked, TRANSFORMER, GRID_COMPONENT).holds is None
    assert any("not materialized" in r.getMessage() for r in caplog.records)
    OntologyGraph.from_config(cfg, reason=True)  # what `ingest` / `ontology ...` do
    again = OntologyGraph.from_config(cfg)
    assert again.from_cache and is_a_answer(again, TRANSFORMER, GRID_COMPONENT).entailed


def _cfg(tmp_path, name: str, shared: str):
    from grounding.config import Config

    return Config.model_validate({"storage": {"data_dir": str(tmp_path / name)}, "root": tmp_path,
                                  "ontology": {"files": [str(OEO)], "reasoner": "owlrl", "reasoner_cache_dir": shared}})


def test_reasoner_results_are_shared_between_data_dirs_through_the_configured_folder(tmp_path, monkeypatch):
    first = OntologyGraph.from_config(_cfg(tmp_path, "a", "shared"), reason=True)
    assert first.reasoning["reasoner"] == "owlrl" and not first.from_cache
    assert len(list((tmp_path / "shared").glob("*.json"))) == 1  # relative: the config file's folder

    def no_reasoning(*_a, **_k):
        raise AssertionError("reasoned again although the result was shared")

    monkeypatch.setattr(reasoner_mod, "classify", no_reasoning)
    second = OntologyGraph.from_config(_cfg(tmp_path, "b", "shared"), reason=True)  # another data dir
    assert not second.from_cache and second.reasoning["reasoner"] == "owlrl"
    assert second.reasoning["entailed_edges"] == first.reasoning["entailed_edges"]
    with pytest.raises(AssertionError, match="reasoned again"):  # "off": nothing shared, so it reasons
        OntologyGraph.from_config(_cfg(tmp_path, "c", "off"), reason=True)


def test_reasoner_cache_dir_default_is_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cfg(tmp_path, "a", "").reasoner_cache_dir == tmp_path / "xdg" / "grounding" / "reasoner"
    assert _cfg(tmp_path, "a", "OFF").reasoner_cache_dir is None
    assert _cfg(tmp_path, "a", "/abs/r").reasoner_cache_dir == Path("/abs/r")


# --- competency questions ---------------------------------------------------------------------------
def _cli(tmp_path, *args):
    from grounding.cli.main import app

    return CliRunner().invoke(app, ["--data-dir", str(tmp_path / "data"), *args])


@needs_java
def test_competency_questions_of_the_test_ontology(tmp_path):
    from grounding.ontology.competency import run_folder

    rep = run_folder(DATA / "cq", OntologyGraph.load([OEO], reasoner="hermit"), "hermit")
    by = {r.name: r for r in rep.results}
    assert rep.ok and rep.count("pass") == 12 and rep.count("skip") == 3, [(r.name, r.status, r.detail) for r in rep.results]
    assert "data range" in by["050_power_plant_capacity.omn"].detail
    assert "deprecated" in by["deprecated/001_biofuel_is_renewable_fuel.omn"].detail
    assert "implementing" in by["implementing/050_power_plant_capacity.omn"].detail
    assert by["completeness/011_transformer_is_grid_component.omn"].question == "Is a transformer an electricity grid component?"
    # OWL-RL: the definitional subclass questions fail
    rl = run_folder(DATA / "cq", OntologyGraph.load([OEO], reasoner="owlrl"), "owlrl")
    failed = {r.name for r in rl.results if r.status == "fail"}
    assert "completeness/011_transformer_is_grid_component.omn" in failed and not rl.ok


@needs_java
def test_ontology_test_command_on_the_project_ontology(tmp_path):
    """`grounding ontology test ontology/tests`: the project's own competency questions (run by make test)."""
    res = _cli(tmp_path, "--config", str(REPO / "config.toml"), "ontology", "test", str(REPO / "ontology" / "tests"), "--json")
    out = json.loads(res.stdout)
    assert res.exit_code == 0, [r for r in out["results"] if r["status"] != "pass"]
    assert out["failed"] == 0 and out["passed"] >= 10 and out["reasoner"] == "hermit"


def test_ontology_test_command_fails_and_names_the_line(tmp_path):
    cq = tmp_path / "cq"
    cq.mkdir()
    (cq / "wrong.omn").write_text(f"Prefix: : <{X}>\n\n# Is oil a grid component?\nClass: OEO_00000289\n    SubClassOf: OEO_00000144\n")
    (cq / "broken.omn").write_text(f"Prefix: : <{X}>\nClass: OEO_00000289\n    SubClassOf: (OEO_00000144\n")
    (cq / "bad.rq").write_text("ASK { ?s ?p \n")
    res = _cli(tmp_path, "ontology", "test", str(cq), "--ontology", str(OEO), "--reasoner", "owlrl", "--json")
    assert res.exit_code == 1
    by = {r["name"]: r for r in json.loads(res.stdout)["results"]}
    assert by["wrong.omn"]["status"] == "fail" and "not entailed" in by["wrong.omn"]["detail"]
    assert by["broken.omn"]["status"] == "fail" and f"{cq / 'broken.omn'}:" in by["broken.omn"]["detail"]
    assert by["bad.rq"]["status"] == "fail" and "SPARQL syntax error" in by["bad.rq"]["detail"]
    text = _cli(tmp_path, "ontology", "test", str(cq), "--ontology", str(OEO), "--reasoner", "owlrl")
    assert text.exit_code == 1 and "Traceback" not in text.output and "0 passed, 3 failed, 0 skipped" in text.output
    missing = _cli(tmp_path, "ontology", "test", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "not a folder" in " ".join(missing.output.split())


# --- validate and diff ----------------------------------------------------------------------------------
BROKEN = f"""@prefix : <{X}> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
:OEO_00009999 a owl:Class ; rdfs:label "fuel transformer"@en ;
    rdfs:subClassOf :OEO_00000420 , :OEO_00000173 .
"""


@needs_java
def test_validate_reports_unsatisfiable_classes_and_inconsistency(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text(BROKEN)
    res = _cli(tmp_path, "ontology", "validate", "--no-shacl", "--json", str(OEO), str(bad))
    out = json.loads(res.stdout)
    unsat = [i for i in out["issues"] if i["rule"] == "unsatisfiable"]
    assert res.exit_code == 1 and len(unsat) == 1 and unsat[0]["focus"] == X + "OEO_00009999"
    assert unsat[0]["file"] == str(bad) and unsat[0]["line"] == 4 and "reasoner (hermit)" in out["checked"]
    inc = tmp_path / "inconsistent.ttl"
    inc.write_text(BROKEN + ":x1 a owl:NamedIndividual , :OEO_00009999 .\n")
    res = _cli(tmp_path, "ontology", "validate", "--no-shacl", str(OEO), str(inc))
    assert res.exit_code == 1 and "[consistency] the ontology is inconsistent" in res.output
    ok = _cli(tmp_path, "ontology", "validate", "--no-shacl", str(OEO))
    assert ok.exit_code == 0, ok.output


@needs_java
def test_diff_shows_entailments_gained_and_lost(tmp_path):
    new = tmp_path / "new.ttl"
    text = OEO.read_text()
    cut = """:OEO_00000420 a owl:Class ; rdfs:label "transformer"@en ; skos:altLabel "power transformer"@en ;
    rdfs:subClassOf :OEO_00000061 ,
        [ a owl:Restriction ; owl:onProperty :RO_0000050 ; owl:someValuesFrom :OEO_00000143 ] ."""
    assert cut in text
    new.write_text(text.replace(cut, ':OEO_00000420 a owl:Class ; rdfs:label "transformer"@en ; rdfs:subClassOf :OEO_00000061 .'))
    res = _cli(tmp_path, "ontology", "diff", str(OEO), str(new), "--json")
    d = json.loads(res.stdout)
    assert res.exit_code == 0
    assert [e["text"] for e in d["entailments_lost"]] == ["transformer -is a-> electricity grid component"]
    assert d["entailments_gained"] == []
    back = json.loads(_cli(tmp_path, "ontology", "diff", str(new), str(OEO), "--json").stdout)
    assert [e["text"] for e in back["entailments_gained"]] == ["transformer -is a-> electricity grid component"]


@needs_java
def test_paths_command_answers_is_a_with_the_entailed_path(tmp_path):
    res = _cli(tmp_path, "ontology", "--help")
    assert res.exit_code == 0 and "test" in res.output
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[ontology]\nfiles = ["{OEO}"]\n[storage]\ndata_dir = "{tmp_path / "data"}"\n')
    res = CliRunnerInvoke(cfg, "ontology", "paths", "transformer", "electricity grid component", "--is-a")
    assert res.exit_code == 0 and res.output.startswith("yes: transformer is an electricity grid component (entailed")
    assert "because: 'electricity grid component' EquivalentTo" in res.output
    out = json.loads(CliRunnerInvoke(cfg, "ontology", "paths", "transformer", "electricity grid component", "--json").stdout)
    assert out["is_a"]["holds"] is True and out["paths"][0]["entailed"] == [True]
    no = CliRunnerInvoke(cfg, "ontology", "paths", "wind farm", "fueled power plant", "--is-a")
    assert no.exit_code == 1 and no.output.startswith("not entailed")


def CliRunnerInvoke(cfg: Path, *args):
    from grounding.cli.main import app

    return CliRunner().invoke(app, ["--config", str(cfg), *args])


def test_java_missing_is_not_an_error_for_the_cli(tmp_path, monkeypatch):
    monkeypatch.setattr(reasoner_mod, "java_executable", lambda: None)
    monkeypatch.setattr(shutil, "which", lambda *_a, **_k: None)
    res = _cli(tmp_path, "ontology", "test", str(DATA / "cq" / "sparql"), "--ontology", str(OEO), "--json")
    out = json.loads(res.stdout)
    assert out["reasoner"] in ("owlrl", "none") and out["skipped"] == 0
