"""Shared fixtures: a real subset of the bundled NRC corpus, real models loaded once per session."""

from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
NRC = REPO / "corpora" / "nrc" / "events.jsonl.gz"
ONTOLOGY_FILES = [REPO / "ontology" / "grounding.ttl", REPO / "ontology" / "alignments.ttl"]
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def require_service(reason: str) -> None:
    """Skip on a laptop without the service; fail in CI, where GROUNDING_REQUIRE_SERVICES=1."""
    if os.environ.get("GROUNDING_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required in CI but unavailable: {reason}")
    pytest.skip(reason)


def nrc_records(n: int, skip: int = 0) -> list[dict]:
    with gzip.open(NRC, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in itertools.islice(fh, skip, skip + n)]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def make_config(root: Path, corpus_path: Path, **storage):
    """A Config for a temporary data dir over a JSONL corpus of NRC-shaped records."""
    from grounding.config import Config

    raw = {
        "storage": {"data_dir": str(root / "data"), **storage},
        "corpus": [
            {
                "name": "nrc",
                "path": str(corpus_path),
                "format": "jsonl",
                "id": "event_number",
                "text": ["event_text"],
                "date": "event_date",
                "metadata": ["facility", "state", "emergency_class", "reactor_units"],
            }
        ],
        "ontology": {"files": [str(p) for p in ONTOLOGY_FILES if p.exists()]},
        "generator": {"sampling": {"max_new_tokens": 48}},
        "root": root,
    }
    return Config.model_validate(raw)


@pytest.fixture(scope="session")
def embedder():
    """The real MiniLM embedder, loaded once for the whole session."""
    from grounding.config import EmbedderConfig
    from grounding.embed.factory import make_embedder

    return make_embedder(EmbedderConfig(backend="minilm"))


@pytest.fixture(scope="session")
def nrc_small(tmp_path_factory) -> Path:
    """The first 200 NRC reports, as the bundled corpus has them."""
    d = tmp_path_factory.mktemp("nrc_small")
    return write_jsonl(d / "nrc200.jsonl", nrc_records(200))


def build_system(cfg, embedder):
    """A Grounding system that reuses the session's embedder instead of loading another copy."""
    from grounding.system import Grounding

    return Grounding(cfg, embedder=embedder)


@pytest.fixture(scope="session")
def ingested(tmp_path_factory, nrc_small, embedder):
    """A data dir holding the 200-report subset, ingested once and shared (read-only) by tests."""
    root = tmp_path_factory.mktemp("ingested")
    cfg = make_config(root, nrc_small)
    g = build_system(cfg, embedder)
    summary = g.ingestor().run()
    assert summary.ingested == 200
    return g


@pytest.fixture
def pg_url():
    """A private schema in the loopback PostgreSQL `test` database, dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"gt_{uuid.uuid4().hex[:12]}"
    try:
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # server absent or refusing: a laptop without PostgreSQL
        require_service(f"PostgreSQL at 127.0.0.1:5432 is not reachable ({type(exc).__name__}: {exc})")
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def generator():
    """SmolLM2 on the default backend (llama.cpp through xllamacpp): the model every user gets."""
    from grounding.config import GeneratorConfig
    from grounding.generate.factory import make_generator

    cache = Path(os.environ.get("GROUNDING_TEST_CACHE", REPO / ".grounding" / "test-cache"))
    cache.mkdir(parents=True, exist_ok=True)
    return make_generator(GeneratorConfig(), cache)


@contextlib.contextmanager
def serve_app(app, lifespan: str = "auto") -> Iterator[str]:
    """Run uvicorn on a socket already bound to a free loopback port; yield the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
