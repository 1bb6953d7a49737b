import pytest

from tests.conftest import build_system, make_config, write_jsonl

GR = "https://w3id.org/grounding/onto#"


def test_facility_and_date_in_the_question_find_that_report(ingested):
    hits, f = ingested.retriever.search_with_filters("What caused the reactor trip at Oconee on December 31, 1998?", 5)
    assert hits[0].report_id == "nrc:35209"
    assert hits[0].scores["meta"] == pytest.approx(1.0)
    assert f.facilities == ["oconee"] and f.dates[0].start == "1998-12-31"


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid", "full"])
def test_every_mode_returns_traceable_hits(ingested, mode):
    hits = ingested.retriever.search("reactor trip during control rod drive breaker testing", 5, mode=mode)
    assert hits, mode
    assert all(h.report_id.startswith("nrc:") and h.text for h in hits)
    signal = {"dense": "dense", "bm25": "bm25", "hybrid": "rrf", "full": "final"}[mode]
    assert all(signal in h.scores for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_kg_demotes_the_sibling_the_embedder_confuses(tmp_path, embedder):
    onto = tmp_path / "o.ttl"
    onto.write_text(
        f"""@prefix gr: <{GR}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
gr:Transformer a owl:Class ; rdfs:label "transformer"@en .
gr:MainTransformer a owl:Class ; rdfs:subClassOf gr:Transformer ; rdfs:label "main transformer"@en .
gr:AuxiliaryTransformer a owl:Class ; rdfs:subClassOf gr:Transformer ; rdfs:label "auxiliary transformer"@en ;
  owl:disjointWith gr:MainTransformer .
"""
    )
    recs = [
        {"event_number": 1, "event_date": "2005-01-01", "facility": "A", "event_text": "A fault on the main transformer tripped the unit. Oil was found leaking from the main transformer."},
        {"event_number": 2, "event_date": "2005-02-01", "facility": "B", "event_text": "The unit tripped when a fault occurred. The auxiliary transformer was found with a failed bushing."},
    ]
    cfg = make_config(tmp_path, write_jsonl(tmp_path / "c.jsonl", recs))
    cfg.ontology.files = [str(onto)]
    cfg.corpus[0].metadata = ["facility"]
    g = build_system(cfg, embedder)
    g.ingestor().run()
    q = "Why did the auxiliary transformer fault?"
    concepts = g.linker.concepts(q)
    assert concepts == [GR + "AuxiliaryTransformer"]
    hits = {h.report_id: h for h in g.retriever.search(q, 4, question_concepts=concepts)}
    assert hits["nrc:1"].scores["kg_confusion"] == 1.0 and hits["nrc:1"].scores["kg_match"] == 0.0
    assert hits["nrc:2"].scores["kg_match"] == 1.0
    assert hits["nrc:2"].score > hits["nrc:1"].score
