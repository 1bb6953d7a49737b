"""Ontology endpoints: concept search and details (labels, relations, linked reports)."""

from __future__ import annotations

from urllib.parse import quote

GR = "https://w3id.org/grounding/onto#"
EDG = GR + "EmergencyDieselGenerator"


def test_concept_search(client):
    for q in ("emergency diesel generator", "EDG", "비상디젤발전기", "EmergencyDiesel"):
        r = client.get("/ontology/concepts", params={"q": q})
        assert r.status_code == 200, r.text
        hits = r.json()["hits"]
        assert EDG in [h["iri"] for h in hits[:3]], (q, hits[:3])
    top = client.get("/ontology/concepts", params={"q": "EDG", "limit": 1}).json()["hits"]
    assert len(top) == 1 and top[0]["iri"] == EDG and top[0]["matched"] == "EDG" and top[0]["score"] == 1.0
    assert client.get("/ontology/concepts", params={"q": ""}).status_code == 422
    assert client.get("/ontology/concepts", params={"q": "zzzzqqqq"}).json()["hits"] == []


def test_concept_detail(client):
    by_iri = client.get("/ontology/concepts/" + quote(EDG, safe=""))
    assert by_iri.status_code == 200, by_iri.text
    c = by_iri.json()
    assert c["label"] == "emergency diesel generator"
    assert "비상디젤발전기" in c["labels"]["ko"] and "EDG" in c["alt_labels"]["en"]
    assert GR + "DieselGenerator" in c["parents"]
    rels = {(r["direction"], r["relation"].rsplit("#", 1)[-1], r["other"].rsplit("#", 1)[-1]) for r in c["relations"]}
    assert ("out", "subClassOf", "DieselGenerator") in rels
    assert any(d == "out" and rel == "hasFailureMode" for d, rel, _ in rels)
    assert client.get("/ontology/concepts/EmergencyDieselGenerator").json()["iri"] == EDG
    assert client.get("/ontology/concepts/gr:EmergencyDieselGenerator").json()["iri"] == EDG
    assert client.get("/ontology/concepts/NoSuchThing").status_code == 404


def test_concept_linked_reports(client):
    hits = client.get("/ontology/concepts", params={"q": "reactor trip", "limit": 1}).json()["hits"]
    c = client.get("/ontology/concepts/" + quote(hits[0]["iri"], safe=""), params={"limit": 5}).json()
    assert c["linked_total"] > 0 and 0 < len(c["linked_reports"]) <= 5
    first = c["linked_reports"][0]
    assert first["report_id"].startswith("nrc:") and first["mentions"] >= c["linked_reports"][-1]["mentions"]
    assert client.get(f"/reports/{first['report_id']}").status_code == 200


AUTH = {"Authorization": "Bearer curator-token-for-tests-0123456789"}


def _curation_client(private_data, embedder):
    from fastapi.testclient import TestClient

    from grounding.serve import create_app
    from tests.serve.conftest import EchoGenerator, make_system

    system = make_system(private_data, embedder, EchoGenerator())
    return TestClient(create_app(system)), system


def test_review_queue_propose_accept_reject(private_data, embedder):
    c, system = _curation_client(private_data, embedder)
    ttl = private_data / "ontology" / "grounding.ttl"
    before = ttl.read_text(encoding="utf-8")
    with c:
        assert c.get("/ontology/review").json()["items"] == []
        body = {"kind": "synonym", "term": "diesel genset", "concept": "EmergencyDieselGenerator", "reports": ["nrc:990001"], "note": "seen in logs"}
        assert c.post("/ontology/review", json=body).status_code == 401
        r = c.post("/ontology/review", json=body, headers=AUTH)
        assert r.status_code == 201, r.text
        item = r.json()
        assert item["status"] == "pending" and item["concept"] == EDG and item["summary"] == '"diesel genset" as a synonym of emergency diesel generator'
        other = c.post("/ontology/review", json={"kind": "concept", "term": "jockey pump", "concept": "Pump"}, headers=AUTH).json()
        listed = c.get("/ontology/review").json()
        assert {i["id"] for i in listed["items"]} == {item["id"], other["id"]} and listed["counts"] == {"pending": 2}

        # Before: the synonym links nowhere. Accept: written to the (copied) file, ontology reloaded.
        assert system.linker.concepts("the diesel genset failed") != [EDG]
        assert c.post(f"/ontology/review/{item['id']}/accept").status_code == 401
        r = c.post(f"/ontology/review/{item['id']}/accept", json={"reviewer": "alice", "note": "ok"}, headers=AUTH)
        assert r.status_code == 200, r.text
        res = r.json()
        assert res["status"] == "accepted" and res["iri"] == EDG and res["file"] == "grounding.ttl" and res["decided_by"] == "alice"
        after = ttl.read_text(encoding="utf-8")
        assert after.startswith(before) and '"diesel genset"@en' in after
        assert "alice" in res["block"] and "nrc:990001" in res["block"]
        assert system.linker.concepts("the diesel genset failed") == [EDG]
        top = c.get("/ontology/concepts", params={"q": "diesel genset", "limit": 1}).json()["hits"][0]
        assert top["iri"] == EDG and top["matched"] == "diesel genset"

        r = c.post(f"/ontology/review/{item['id']}/reject", headers=AUTH)
        assert r.status_code == 409 and "already accepted by alice" in r.json()["detail"]
        r = c.post(f"/ontology/review/{other['id']}/reject", json={"reviewer": "bob"}, headers=AUTH)
        assert r.status_code == 200 and r.json()["status"] == "rejected"
        assert c.get("/ontology/review", params={"status": "all"}).json()["counts"] == {"accepted": 1, "rejected": 1}
        assert c.post("/ontology/review/999999/accept", headers=AUTH).status_code == 404
        assert c.post("/ontology/review/abc/accept", headers=AUTH).status_code == 404


def test_accept_refuses_an_ambiguous_label(private_data, embedder):
    c, _ = _curation_client(private_data, embedder)
    ttl = private_data / "ontology" / "grounding.ttl"
    before = ttl.read_text(encoding="utf-8")
    with c:
        # "EDG" already names the emergency diesel generator: as a synonym of a pump it would be ambiguous.
        item = c.post("/ontology/review", json={"kind": "synonym", "term": "EDG", "concept": "Pump"}, headers=AUTH).json()
        r = c.post(f"/ontology/review/{item['id']}/accept", headers=AUTH)
        assert r.status_code == 409 and "not accepted" in r.json()["detail"]
        assert c.get("/ontology/review").json()["items"][0]["status"] == "pending"
    assert ttl.read_text(encoding="utf-8") == before


def test_propose_validation(private_data, embedder):
    c, _ = _curation_client(private_data, embedder)
    with c:
        r = c.post("/ontology/review", json={"kind": "synonym", "term": "x"}, headers=AUTH)
        assert r.status_code == 422 and "needs `concept`" in r.json()["detail"]
        r = c.post("/ontology/review", json={"kind": "synonym", "term": "x", "concept": "NoSuchConcept"}, headers=AUTH)
        assert r.status_code == 404 and "NoSuchConcept" in str(r.json()["detail"])  # a resource that is not there
        assert c.post("/ontology/review", json={"kind": "other", "term": "x"}, headers=AUTH).status_code == 422


def test_alignment_audit(client):
    r = client.get("/ontology/audit")
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["concepts"] > 100 and a["pairs"] == a["concepts"] * (a["concepts"] - 1) // 2
    assert -1 <= a["spearman"] <= 1 and a["misaligned"]
    p = a["misaligned"][0]
    assert p["relation"] in ("disjoint", "sibling", "distant") and p["label_a"] and 0 < p["similarity"] <= 1
    assert client.get("/ontology/audit").json() == a  # cached


def test_mining_job_fills_the_queue(private_data, embedder):
    import time

    c, _ = _curation_client(private_data, embedder)
    with c:
        assert c.post("/ontology/propose", json={}).status_code == 401
        r = c.post("/ontology/propose", json={"min_reports": 3, "max_candidates": 50}, headers=AUTH)
        assert r.status_code == 202, r.text
        deadline = time.monotonic() + 120
        while (job := c.get(f"/jobs/{r.json()['id']}").json())["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert job["status"] == "done", job
        res = job["result"]
        assert res["reports_read"] == 201 and res["added"] == res["candidates"] > 0
        items = c.get("/ontology/review", params={"limit": 500}).json()["items"]
        assert len(items) == res["candidates"] and all(i["reports"] >= 3 for i in items)
