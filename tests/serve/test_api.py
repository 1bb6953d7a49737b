"""The HTTP API through FastAPI's test client: answers, streaming, reading, validation, schema, roles."""

from __future__ import annotations

import json

import pytest

from tests.serve.conftest import CURATOR, HOSTILE_ID, HOSTILE_QUESTION, EchoGenerator, make_system


def sse_events(text: str) -> list[tuple[str, dict]]:
    out = []
    for block in text.strip().split("\n\n"):
        event, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        out.append((event, json.loads("\n".join(data)) if data else {}))
    return out


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    h = r.json()
    assert h["status"] == "ok", h["errors"]
    assert h["reports"] == 201 and h["vectors"] >= h["reports"]
    assert h["generator"] == "echo:test"
    assert h["curator_enabled"] is True and h["reads_open"] is True
    assert h["load"] == {"active": 0, "waiting": 0, "slots": 2, "queue": 4, "refused": 0, "timed_out": 0}


def test_ask_returns_the_cli_json(client, serve_data, embedder):
    r = client.post("/ask", json={"question": HOSTILE_QUESTION, "threshold": 0.0})
    assert r.status_code == 200, r.text
    ans = r.json()
    # The same object as `grounding ask --json`, field for field.
    from grounding.answer.agent import AskOptions

    system = make_system(serve_data, embedder, EchoGenerator())
    direct = system.agent.ask(HOSTILE_QUESTION, AskOptions(threshold=0.0)).to_json()
    assert set(ans) == set(direct)
    assert ans["answer"] == direct["answer"] and ans["evidence"].keys() == direct["evidence"].keys()
    assert not ans["abstained"] and ans["sentences"]
    assert ans["evidence"]["P1"]["report_id"] == HOSTILE_ID
    assert "<script>" in ans["evidence"]["P1"]["text"]  # JSON carries the text as it is; the page escapes it
    cited = {c for s in ans["sentences"] for c in s["citations"]}
    assert cited and cited <= set(ans["evidence"])


def test_ask_threshold_and_sampling_options(client):
    r = client.post("/ask", json={"question": HOSTILE_QUESTION, "threshold": 1.0, "passages": 3, "sampling": {"temperature": 0.0, "max_new_tokens": 16, "seed": 7}})
    assert r.status_code == 200, r.text
    ans = r.json()
    assert ans["abstained"] and ans["sentences"] == []
    assert ans["answer"].startswith("Not enough evidence to answer: confidence")
    assert "threshold 1.00" in ans["answer"]


@pytest.mark.parametrize(
    "body, needle",
    [
        ({"question": "   "}, "empty"),
        ({"question": "x" * 2001}, "retrieval.max_question_chars"),
        ({"question": "ok?", "bogus": 1}, "bogus"),
        ({"question": "ok?", "threshold": 2}, "threshold"),
        ({"question": "ok?", "sampling": {"max_new_tokens": 100000}}, "serve.max_new_tokens"),
        ({"question": "ok?", "sampling": {"num_samples": 99}}, "serve.max_samples"),
        ({"question": "ok?", "samples": 99}, "serve.max_samples"),
        ({"question": "ok?", "sampling": {"stop": ["x" * 65]}}, "64 characters"),
    ],
)
def test_ask_rejects_bad_requests(client, body, needle):
    r = client.post("/ask", json=body)
    assert r.status_code == 422, r.text
    assert needle in json.dumps(r.json())


def test_body_size_limit(client):
    big = json.dumps({"question": "a" * 70_000})
    r = client.post("/ask", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "serve.max_body_bytes" in r.json()["detail"]

    def chunks():  # no Content-Length: counted as it streams
        for _ in range(10):
            yield b"x" * 10_000

    r = client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_stream_sends_stages_then_the_checked_answer(client):
    r = client.post("/ask/stream", json={"question": HOSTILE_QUESTION, "threshold": 0.0})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    kinds = [k for k, _ in events]
    assert kinds[0] == "start" and kinds[-1] == "answer"
    assert [d["stage"] for k, d in events if k == "stage"] == ["retrieving", "generating", "checking"]
    final = events[-1][1]
    assert final["evidence"]["P1"]["report_id"] == HOSTILE_ID and not final["abstained"]


def test_stream_validation_is_a_plain_error(client):
    r = client.post("/ask/stream", json={"question": ""})
    assert r.status_code == 422


def test_report(client):
    r = client.get(f"/reports/{HOSTILE_ID}")
    assert r.status_code == 200
    rep = r.json()
    assert rep["id"] == HOSTILE_ID and rep["date"] == "2001-02-03"
    assert "<script>window.__xss = 1</script>" in rep["text"]
    assert rep["chunks"] and rep["source"].startswith("nrc201.jsonl")
    assert "/" not in rep["source"].split(" ")[0]  # no server paths
    assert client.get("/reports/990001").json()["id"] == HOSTILE_ID  # bare source id
    r = client.get("/reports/nrc:0")
    assert r.status_code == 404 and "nrc:56912" in r.json()["detail"]


def test_search(client):
    r = client.get("/search", params={"q": "feedwater pump bearing overheat Zebra Point", "k": 5})
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    assert 1 <= len(hits) <= 5 and hits[0]["rank"] == 1
    assert HOSTILE_ID in {h["report_id"] for h in hits}
    assert {"dense", "final"} <= set(hits[0]["scores"])
    for mode in ("dense", "bm25", "hybrid"):
        assert client.get("/search", params={"q": "reactor trip", "k": 3, "mode": mode}).status_code == 200
    assert client.get("/search", params={"q": "x", "k": 51}).status_code == 422
    assert client.get("/search", params={"q": "x", "mode": "magic"}).status_code == 422
    assert client.get("/search", params={"q": "x" * 2001}).status_code == 422


def test_openapi_documents_every_field(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in [
        "/ask", "/ask/stream", "/reports/{report_id}", "/search", "/summarize", "/jobs/{job_id}", "/healthz",
        "/ontology/concepts", "/ontology/concepts/{concept_id}", "/ontology/audit", "/ontology/review",
        "/ontology/review/{item_id}/accept", "/ontology/review/{item_id}/reject",
    ]:
        assert path in paths, path
    missing = []
    for name, schema in spec["components"]["schemas"].items():
        if name in ("HTTPValidationError", "ValidationError") or name.startswith(("ValidationError", "HTTPValidation")):
            continue
        for prop, sub in schema.get("properties", {}).items():
            if not sub.get("description"):
                missing.append(f"{name}.{prop}")
    for path, ops in paths.items():
        for method, op in ops.items():
            assert op.get("summary"), f"{method} {path}"
            for p in op.get("parameters", []):
                if not p.get("description") and not p.get("schema", {}).get("description") and p["in"] != "path":
                    missing.append(f"{method} {path} ?{p['name']}")
    assert not missing, missing


def test_page_is_served_with_a_strict_policy(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = r.text
    # No inline script: every <script> has a src.
    assert html.count("<script") == html.count('<script src="/static/app.js"') == 1
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert ".innerHTML" not in js.text and "insertAdjacentHTML" not in js.text and "outerHTML" not in js.text
    assert client.get("/static/app.css").status_code == 200


def test_curation_needs_the_token(client):
    for path in ("/ontology/review/1/accept", "/ontology/review/1/reject", "/index/reload"):
        r = client.post(path)
        assert r.status_code == 401, path
        assert "Bearer" in r.json()["detail"]
        r = client.post(path, headers={"Authorization": "Bearer wrong-token-wrong-token"})
        assert r.status_code == 401
    r = client.post("/ontology/review", json={"subject": "a", "relation": "b", "object": "c"})
    assert r.status_code == 401
    r = client.post("/index/reload", headers={"Authorization": f"Bearer {CURATOR}"})
    assert r.status_code == 200 and r.json()["vectors"] > 0


def test_no_token_configured_disables_curation(serve_data, embedder, monkeypatch):
    from fastapi.testclient import TestClient

    from grounding.serve import create_app

    monkeypatch.delenv("GROUNDING_CURATOR_TOKEN", raising=False)
    app = create_app(make_system(serve_data, embedder, EchoGenerator(), curator_token=""))
    with TestClient(app) as c:
        r = c.post("/index/reload", headers={"Authorization": f"Bearer {CURATOR}"})
        assert r.status_code == 403 and "serve.curator_token" in r.json()["detail"]
        assert c.get("/healthz").json()["curator_enabled"] is False


def test_reader_token_closes_reading(serve_data, embedder):
    from fastapi.testclient import TestClient

    from grounding.serve import create_app

    reader = "reader-token-for-tests-0123456789"
    app = create_app(make_system(serve_data, embedder, EchoGenerator(), reader_token=reader))
    with TestClient(app) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/").status_code == 200
        assert c.get(f"/reports/{HOSTILE_ID}").status_code == 401
        assert c.post("/ask", json={"question": "x?"}).status_code == 401
        assert c.get(f"/reports/{HOSTILE_ID}", headers={"Authorization": f"Bearer {reader}"}).status_code == 200
        assert c.get(f"/reports/{HOSTILE_ID}", headers={"Authorization": f"Bearer {CURATOR}"}).status_code == 200


def test_bind_rules(monkeypatch):
    from grounding.config import ServeConfig
    from grounding.serve.auth import ServeError, check_bind, is_loopback

    monkeypatch.delenv("GROUNDING_CURATOR_TOKEN", raising=False)
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.5"):
        assert is_loopback(host)
        check_bind(host, ServeConfig())
    for host in ("0.0.0.0", "::", "192.168.1.10"):
        assert not is_loopback(host)
        with pytest.raises(ServeError, match="not a loopback address"):
            check_bind(host, ServeConfig())
        check_bind(host, ServeConfig(curator_token=CURATOR))
    with pytest.raises(ServeError, match="at least 16"):
        check_bind("127.0.0.1", ServeConfig(curator_token="short"))
    monkeypatch.setenv("GROUNDING_CURATOR_TOKEN", CURATOR)
    check_bind("0.0.0.0", ServeConfig())


def test_cli_refuses_a_public_address_without_a_token(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from grounding.cli.main import app

    monkeypatch.delenv("GROUNDING_CURATOR_TOKEN", raising=False)
    cfg = tmp_path / "config.toml"
    cfg.write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["--config", str(cfg), "serve", "--host", "0.0.0.0", "--port", "0"])
    assert r.exit_code == 2
    assert "not a loopback address" in r.output


@pytest.mark.slow
def test_stream_real_model_tokens_match_the_generation(serve_data, embedder, generator):
    """SmolLM2 streamed: the draft tokens are exactly what the model generated; the answer event is last."""
    from fastapi.testclient import TestClient

    from grounding.serve import create_app

    app = create_app(make_system(serve_data, embedder, generator))
    with TestClient(app) as c:
        r = c.post("/ask/stream", json={"question": HOSTILE_QUESTION, "sampling": {"max_new_tokens": 32}})
    assert r.status_code == 200
    events = sse_events(r.text)
    tokens = [d["text"] for k, d in events if k == "token"]
    assert len(tokens) > 3
    final = events[-1]
    assert final[0] == "answer"
    assert "".join(tokens).strip() == final[1]["raw_generation"]
    kinds = [k for k, _ in events]
    assert kinds.index("token") > kinds.index("start") and max(i for i, k in enumerate(kinds) if k == "token") < len(kinds) - 1
