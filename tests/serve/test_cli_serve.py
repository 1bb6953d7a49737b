"""`grounding serve` as a process: starts on loopback, answers /healthz and the page, stops on SIGINT."""

from __future__ import annotations

import json

import httpx

from tests.conftest import ONTOLOGY_FILES
from tests.serve.conftest import ServeProcess


def test_grounding_serve_runs(serve_data, tmp_path):
    onto = json.dumps([str(p) for p in ONTOLOGY_FILES if p.exists()])
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\ndata_dir = "{serve_data / "data"}"\n[ontology]\nfiles = {onto}\n', encoding="utf-8")
    with ServeProcess(cfg, tmp_path / "serve.log") as server:
        h = server.wait_healthy()
        assert h["reports"] == 201 and h["vectors"] > 0 and h["curator_enabled"] is False
        assert httpx.get(f"{server.url}/").status_code == 200
        assert httpx.get(f"{server.url}/reports/nrc:990001").json()["date"] == "2001-02-03"
    assert server.proc.returncode == 0, server.output()
    assert f"serving on {server.url}/" in server.output()
