"""Fixtures for the server: a copy of the shared ingested data dir plus one hostile report, fake and
real generators, a uvicorn server on a free loopback port, and `grounding serve` as a process."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ONTOLOGY_FILES, REPO, build_system, make_config, nrc_records, serve_app, write_jsonl

CURATOR = "curator-token-for-tests-0123456789"

# A report whose text and metadata are markup: the page must show it as text.
HOSTILE = {
    "event_number": "990001",
    "event_text": (
        "ZEBRA POINT UNIT 9 FEEDWATER PUMP TRIP <script>window.__xss = 1</script>\n"
        "On February 3, 2001, Zebra Point Unit 9 tripped from full power when feedwater pump 9B failed "
        "on a bearing overheat. <img src=x onerror=\"window.__xss = 2\"> "
        "The operators stabilized the plant and the licensee notified the NRC resident inspector."
    ),
    "event_date": "2001-02-03",
    "facility": "ZEBRA POINT <b>9</b>",
    "state": "XX",
    "emergency_class": "NON EMERGENCY",
    "reactor_units": "9",
}
HOSTILE_ID = "nrc:990001"
HOSTILE_QUESTION = "Why did Zebra Point Unit 9 trip on February 3, 2001?"


class EchoGenerator:
    """Fast and deterministic: repeats the first sentence of P1 and cites it (passes the checks).

    `gate`, when set, makes every call wait for it (to hold generation slots in load tests), and
    `entered` counts the calls that reached the gate (only those: an ungated call before a test set the
    gate must not leave a permit that lets the test go on before its own call holds the slot);
    `delay` sleeps before answering.
    """

    name = "echo:test"

    def __init__(self, delay: float = 0.0, gate: threading.Event | None = None) -> None:
        self.delay = delay
        self.gate = gate
        self.calls = 0
        self.entered = threading.Semaphore(0)

    def generate(self, messages, sampling):
        from grounding.generate.base import Generation

        self.calls += 1
        gate = self.gate
        if gate is not None:
            self.entered.release()
            gate.wait(120)  # long enough for a burst to arrive on busy cores
        if self.delay:
            time.sleep(self.delay)
        user = messages[-1]["content"]
        m = re.search(r"\[P1\] (.+?[.!?])(?=\s|$)", user, re.S)
        text = f"{m.group(1).strip()} [P1]" if m else "NOT IN EVIDENCE"
        return [Generation(text) for _ in range(max(1, sampling.num_samples))]

    def stream(self, messages, sampling):
        """The whole answer as one piece (a fake has no tokens to stream)."""
        from grounding.generate.base import TextStream

        return TextStream.whole(self.generate(messages, sampling))


@pytest.fixture(scope="session")
def serve_data(ingested, tmp_path_factory) -> Path:
    """The shared 200-report data dir copied, plus HOSTILE ingested into the copy (one new report)."""
    root = tmp_path_factory.mktemp("serve")
    shutil.copytree(ingested.data_dir, root / "data")
    # Copies of the ontology: accepting a proposal writes to the file, never to the repository's.
    (root / "ontology").mkdir()
    for f in ONTOLOGY_FILES:
        if f.exists():
            shutil.copy2(f, root / "ontology" / f.name)
    corpus = write_jsonl(root / "nrc201.jsonl", nrc_records(200) + [HOSTILE])
    cfg = make_config(root, corpus)
    cfg.ontology.files = [str(root / "ontology" / f.name) for f in ONTOLOGY_FILES if f.exists()]
    g = build_system(cfg, ingested.embedder)
    summary = g.ingestor().run()
    assert summary.ingested >= 1
    g.store.dispose()
    return root


def serve_config(root: Path, **serve):
    """A config over `root` (from serve_data or a copy of it) with [serve] overrides."""
    cfg = make_config(root, root / "nrc201.jsonl")
    cfg.ontology.files = [str(root / "ontology" / f.name) for f in ONTOLOGY_FILES if (root / "ontology" / f.name).exists()]
    cfg.serve = cfg.serve.model_copy(update={"curator_token": CURATOR, **serve})
    return cfg


def make_system(root: Path, embedder, generator, **serve):
    g = build_system(serve_config(root, **serve), embedder)
    g.use(generator=generator)
    return g


@pytest.fixture
def private_data(serve_data, tmp_path) -> Path:
    """A private copy of serve_data (data dir and ontology files) for tests that change things."""
    root = tmp_path / "private"
    shutil.copytree(serve_data, root)
    return root


@pytest.fixture
def echo_app(serve_data, embedder):
    from grounding.serve import create_app

    gen = EchoGenerator()
    system = make_system(serve_data, embedder, gen)
    return create_app(system)


@pytest.fixture
def client(echo_app):
    from fastapi.testclient import TestClient

    with TestClient(echo_app) as c:
        yield c


def serving(app) -> contextlib.AbstractContextManager[str]:
    return serve_app(app)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """`grounding serve --config CONFIG` as a real process on a free loopback port, output in `log`.

    A context manager: whatever the test does, the process is ended (SIGINT, then kill) on exit.
    Several can be started before any is waited on (they load models in parallel).
    """

    def __init__(self, config: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        env.pop("GROUNDING_CURATOR_TOKEN", None)
        cmd = [sys.executable, "-m", "grounding.cli.main", "--config", str(config),
               "serve", "--port", str(self.port), "--no-warm", "--log-level", "warning"]
        with log.open("wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_healthy(self, timeout: float = 120) -> dict:
        """/healthz once the server answers it; fails with the log's tail if it exits or never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"grounding serve exited with {self.proc.returncode}: {self.output()[-2000:]}")
            try:
                r = httpx.get(self.url + "/healthz", timeout=5)
                if r.status_code == 200:
                    return r.json()
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        pytest.fail(f"grounding serve at {self.url} did not come up in {timeout:.0f} s: {self.output()[-2000:]}")

    def stop(self) -> int:
        """SIGINT (a clean shutdown), then kill after 30 s; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
