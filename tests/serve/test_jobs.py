"""POST /summarize starts a background job; GET /jobs/{id} reports progress and the result."""

from __future__ import annotations

import threading
import time

import pytest

from tests.serve.conftest import EchoGenerator, make_system


def _poll(c, job_id, until=("done", "failed"), timeout=120.0):
    deadline = time.monotonic() + timeout
    while True:
        job = c.get(f"/jobs/{job_id}").json()
        if job["status"] in until:
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


@pytest.fixture
def fake_summaries(monkeypatch):
    """run_summaries stand-in: reports progress per group, waits on `gate`, writes one file."""
    from grounding.serve import curation
    from grounding.summarize import SummarizeRequest

    gate = threading.Event()
    calls = []

    def run(system, req, out_dir, progress=None):
        calls.append(req)
        for i in range(3):
            if progress:
                progress(i, 3, f"group {i}")
        gate.wait(30)
        if req.where.get("facility") == "boom":
            raise RuntimeError("boom")
        (out_dir / "summary.md").write_text("# summary\n", encoding="utf-8")
        if progress:
            progress(3, 3, "group 2")
        return {"groups": [{"key": "g"}], "paths": [str(out_dir / "summary.md")]}

    monkeypatch.setattr(curation, "summarizer", lambda: (run, SummarizeRequest))
    return gate, calls


def test_job_progress_and_result(client, fake_summaries):
    gate, calls = fake_summaries
    r = client.post("/summarize", json={"by": "year", "since": "1999", "where": {"corpus": "nrc"}})
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] in ("queued", "running") and job["kind"] == "summarize"
    running = _poll(client, job["id"], until=("running",))
    deadline = time.monotonic() + 10
    while client.get(f"/jobs/{job['id']}").json()["progress"].get("group") != "group 2":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert running["request"]["by"] == "year"
    gate.set()
    done = _poll(client, job["id"])
    assert done["status"] == "done", done
    assert done["progress"] == {"done": 3, "total": 3, "group": "group 2"}
    assert done["result"]["files"] == ["summary.md"]
    assert calls[0].since == "1999-01-01" and calls[0].where == {"corpus": "nrc"}
    f = client.get(f"/jobs/{job['id']}/files/summary.md")
    assert f.status_code == 200 and f.text.startswith("# summary")
    assert "sandbox" in f.headers["content-security-policy"]
    assert client.get(f"/jobs/{job['id']}/files/..%2Fsecret").status_code == 404
    assert client.get("/jobs/nope").status_code == 404
    assert job["id"] in {j["id"] for j in client.get("/jobs").json()}


def test_job_failure_is_reported(client, fake_summaries):
    gate, _ = fake_summaries
    gate.set()
    job = client.post("/summarize", json={"where": {"facility": "boom"}}).json()
    done = _poll(client, job["id"])
    assert done["status"] == "failed" and done["error"] == "RuntimeError: boom"
    assert client.get("/healthz").json()["status"] == "ok"


def test_invalid_summarize_request(client, fake_summaries):
    r = client.post("/summarize", json={"by": "no spaces allowed"})
    assert r.status_code == 422 and "by" in r.json()["detail"]
    r = client.post("/summarize", json={"since": "2005-13"})
    assert r.status_code == 422 and "since" in r.json()["detail"]
    assert client.post("/summarize", json={"workers": 99}).status_code == 422


def test_too_many_jobs_is_429(serve_data, embedder, fake_summaries):
    from fastapi.testclient import TestClient

    from grounding.serve import create_app

    gate, _ = fake_summaries
    app = create_app(make_system(serve_data, embedder, EchoGenerator(), max_jobs=1, max_queued_jobs=1))
    with TestClient(app) as c:
        a = c.post("/summarize", json={})
        _poll(c, a.json()["id"], until=("running",))
        b = c.post("/summarize", json={})
        assert a.status_code == b.status_code == 202
        r = c.post("/summarize", json={})
        assert r.status_code == 429 and "serve.max_queued_jobs=1" in r.json()["detail"]
        gate.set()
        assert _poll(c, a.json()["id"])["status"] == "done"
        assert _poll(c, b.json()["id"])["status"] == "done"


def test_real_summary_job(private_data, embedder):
    """The real run_summaries, extractive (no model), on the one report of 2001."""
    from fastapi.testclient import TestClient

    from grounding.serve import create_app

    system = make_system(private_data, embedder, EchoGenerator())
    system.cfg.summarize = system.cfg.summarize.model_copy(update={"rephrase": False})
    with TestClient(create_app(system)) as c:
        r = c.post("/summarize", json={"by": "year", "since": "2001-01-01", "until": "2001-12-31", "fmt": "json"})
        assert r.status_code == 202, r.text
        done = _poll(c, r.json()["id"], timeout=300)
        assert done["status"] == "done", done
        res = done["result"]
        assert res["groups"] and res["computed"] + res["reused"] == len(res["groups"])
        assert done["progress"]["done"] == done["progress"]["total"] == len(res["groups"])
        assert any(f.endswith(".json") for f in res["files"])
        name = next(f for f in res["files"] if f.endswith(".json") and f != "run.json")
        assert c.get(f"/jobs/{r.json()['id']}/files/{name}").status_code == 200
