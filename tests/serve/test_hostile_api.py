"""Issue 18 through HTTP: findings 2 (reviewer injection), 5 (NaN/Infinity), 8 (schema and small leaks),
and the schemathesis run over every operation, with and without the token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serve.conftest import CURATOR, HOSTILE_QUESTION, EchoGenerator, make_system, serving

AUTH = {"Authorization": f"Bearer {CURATOR}"}


@pytest.fixture
def private_client(private_data, embedder):
    from fastapi.testclient import TestClient

    from grounding.serve import create_app

    with TestClient(create_app(make_system(private_data, embedder, EchoGenerator()))) as c:
        yield c


# --- finding 5: non-finite numbers ----------------------------------------------------------------
@pytest.mark.parametrize("path,raw,field", [
    ("/ask", '{"question": "why?", "threshold": NaN}', "threshold"),
    ("/ask", '{"question": "why?", "threshold": Infinity}', "threshold"),
    ("/ask", '{"question": "why?", "sampling": {"temperature": -Infinity}}', "temperature"),
    ("/ask", '{"question": "why?", "sampling": {"top_p": NaN, "min_p": 0.1}}', "top_p"),
    ("/ask/stream", '{"question": "why?", "sampling": {"repetition_penalty": NaN}}', "repetition_penalty"),
    ("/ask", '{"question": "why?", "samples": NaN}', "samples"),
    ("/summarize", '{"workers": Infinity}', "workers"),
    ("/ontology/propose", '{"limit": NaN}', "limit"),
])
def test_nan_and_infinity_are_422_naming_the_field(client, path, raw, field):
    r = client.post(path, content=raw, headers={"Content-Type": "application/json", **AUTH})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, list) and any(field in map(str, d["loc"]) for d in detail)
    assert "finite" in r.text or "integer" in r.text


@pytest.mark.parametrize("body,field", [
    ({"question": "why?", "sampling": {"seed": False}}, "seed"),
    ({"question": "why?", "sampling": {"top_k": True}}, "top_k"),
    ({"question": "why?", "samples": "3"}, "samples"),
    ({"question": "why?", "passages": 2.5}, "passages"),
])
def test_json_types_are_those_of_the_schema(client, body, field):
    r = client.post("/ask", json=body)
    assert r.status_code == 422 and any(field in map(str, d["loc"]) for d in r.json()["detail"]), r.text


def test_an_integral_float_is_an_integer(client):
    r = client.post("/ask", json={"question": HOSTILE_QUESTION, "passages": 3.0, "sampling": {"seed": 7.0}, "threshold": 0.0})
    assert r.status_code == 200, r.text


# --- finding 8: schema and small leaks ------------------------------------------------------------
def test_search_with_an_empty_query_is_what_the_schema_says(client):
    doc = client.get("/openapi.json").json()
    q = next(p for p in doc["paths"]["/search"]["get"]["parameters"] if p["name"] == "q")
    assert q["schema"]["minLength"] == 1 and q["schema"]["pattern"] == r"\S" and q["schema"]["maxLength"] == 2000
    k = next(p for p in doc["paths"]["/search"]["get"]["parameters"] if p["name"] == "k")
    assert k["schema"]["maximum"] > 0
    for q in ("", "   "):
        r = client.get("/search", params={"q": q})
        assert r.status_code == 422 and "422" in doc["paths"]["/search"]["get"]["responses"]


def test_options_lists_every_method_of_the_path(client):
    r = client.options("/ontology/review")
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "POST"}


def test_every_422_and_400_is_documented_with_a_detail_of_any_shape(client):
    doc = client.get("/openapi.json").json()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if "requestBody" in op:
                assert "400" in op["responses"], (method, path)
            if "422" in op["responses"]:
                ref = op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), (method, path, ref)
    r = client.post("/ontology/review", json={"kind": "synonym", "term": "x"}, headers=AUTH)
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)
    r = client.post("/ontology/review", content=b"\xff\xfe not json", headers={"Content-Type": "application/json", **AUTH})
    assert r.status_code in (400, 422) and "detail" in r.json()


def test_configured_limits_are_in_the_schema(client):
    props = client.get("/openapi.json").json()["components"]["schemas"]
    samples = [b for b in props["AskIn"]["properties"]["samples"]["anyOf"] if b.get("type") == "integer"][0]
    assert samples["maximum"] == 4 or samples["maximum"] >= 1
    question = props["AskIn"]["properties"]["question"]
    assert question["maxLength"] == 2000


def test_summary_job_chart_links_resolve_and_paths_are_relative(private_client, private_data):
    import time

    r = private_client.post("/summarize", json={"fmt": "html"})
    assert r.status_code == 202, r.text
    job = r.json()["id"]
    for _ in range(600):
        j = private_client.get(f"/jobs/{job}").json()
        if j["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert j["status"] == "done", j
    result = j["result"]
    data_dir = str(private_data / "data")
    assert data_dir not in json.dumps(j) and str(private_data) not in json.dumps(j)
    assert all(not p.startswith("/") for p in result["paths"])
    html = private_client.get(f"/jobs/{job}/files/report.html").text
    links = sorted(set(__import__("re").findall(r'(?:src|href)="(charts/[^"]+)"', html)))
    assert links, "the report links its charts"
    for link in links:
        got = private_client.get(f"/jobs/{job}/files/{link}")
        assert got.status_code == 200 and got.headers["content-type"] == "image/png", link
    assert private_client.get(f"/jobs/{job}/files/../../config.toml").status_code == 404


# --- finding 2: the reviewer cannot write Turtle ----------------------------------------------------
def test_an_injected_reviewer_is_refused_and_the_ontology_file_is_unchanged(private_client, private_data):
    r = private_client.post("/ontology/review", json={"kind": "concept", "term": "zzqx relay widget"}, headers=AUTH)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    target = private_data / "ontology" / "grounding.ttl"
    before = target.read_bytes()
    evil = 'mallory\n<urn:s> <urn:p> "INJECTED" .\n#'
    r = private_client.post(f"/ontology/review/{cid}/accept", json={"reviewer": evil}, headers=AUTH)
    assert r.status_code in (409, 422) and "curator name" in r.text
    assert target.read_bytes() == before
    r = private_client.post(f"/ontology/review/{cid}/accept", json={"reviewer": "Kim Min-jun"}, headers=AUTH)
    assert r.status_code == 200, r.text
    assert b"INJECTED" not in target.read_bytes()


# --- schemathesis: every operation, with and without the token ---------------------------------------
def _schemathesis(base: str, tmp: Path, token: bool) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("schemathesis")
    cmd = [
        str(exe), "run", f"{base}/openapi.json", "--seed", "18", "--workers", "1", "--no-color",
        "--max-examples", "3", "--request-timeout", "300", "--mode", "all",
        "--phases", "examples,coverage,fuzzing" if token else "examples,fuzzing",
        # Rejections by rules the schema cannot state (a name that must exist in the data, a synonym
        # that needs its concept) are 4xx for schema-valid input: not a conformance failure.
        "--exclude-checks", "positive_data_acceptance",
        "--generation-database", "none",
        # The audit recomputes every concept pair's similarity: minutes per call, fuzzed elsewhere.
        "--exclude-path", "/ontology/audit",
    ]
    if token:
        cmd += ["-H", f"Authorization: Bearer {CURATOR}"]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""}
    return subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=1800)


@pytest.mark.parametrize("token", [True, False], ids=["with-token", "without-token"])
def test_the_api_conforms_to_its_openapi(private_data, embedder, tmp_path, token):
    from grounding.serve import create_app

    app = create_app(make_system(private_data, embedder, EchoGenerator()))
    with serving(app) as base:
        res = _schemathesis(base, tmp_path, token)
    out = res.stdout + res.stderr
    summary = out[out.rfind("SUMMARY"):] if "SUMMARY" in out else out[-3000:]
    print(summary)
    assert "Tested: " in out
    assert res.returncode == 0, out[-6000:]
    assert "Server error" not in out and "5xx" not in summary
