"""`grounding serve` as a process: starts on loopback, answers /healthz and the page, stops on SIGINT."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from tests.conftest import ONTOLOGY_FILES, REPO


def test_grounding_serve_runs(serve_data, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    onto = json.dumps([str(p) for p in ONTOLOGY_FILES if p.exists()])
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[storage]\ndata_dir = "{serve_data / "data"}"\n[ontology]\nfiles = {onto}\n[serve]\nport = {port}\n',
        encoding="utf-8",
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("GROUNDING_CURATOR_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "grounding.cli.main", "--config", str(cfg), "serve", "--no-warm", "--log-level", "warning"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stdout.read()
            try:
                h = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.5)
        assert h["reports"] == 201 and h["vectors"] > 0 and h["curator_enabled"] is False
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/reports/nrc:990001").json()["date"] == "2001-02-03"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert proc.returncode == 0, out
    assert f"serving on http://127.0.0.1:{port}/" in out
