"""Several servers, one store: two `grounding serve` processes and an ingest at once on the loopback PostgreSQL.

With `storage.index_generations`, the ingest publishes a new index generation; both servers must switch
to it without a restart, and no request to either may fail while they do (docs/scaling.md).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import build_system, nrc_records, write_jsonl
from tests.serve.conftest import ServeProcess

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

FIRST, SECOND = 12, 6


def _toml(root: Path, corpus: Path, pg_url: str) -> Path:
    """The config both servers and the ingest read (TOML, as a deployment has it)."""
    text = f"""
[storage]
data_dir = {json.dumps(str(root / "data"))}
database_url = {json.dumps(pg_url)}
index_generations = true
generation_poll_s = 0.25

[ontology]
files = []

[[corpus]]
name = "nrc"
path = {json.dumps(str(corpus))}
format = "jsonl"
id = "event_number"
text = ["event_text"]
date = "event_date"
metadata = ["facility", "state"]
"""
    path = root / "config.toml"
    path.write_text(text)
    return path


def _top_report(url: str, text: str) -> str:
    r = httpx.get(url + "/search", params={"q": text, "k": 1, "mode": "dense"}, timeout=60)
    assert r.status_code == 200, r.text
    hits = r.json()["hits"]
    return hits[0]["report_id"] if hits else ""


def _wait_generation(urls: list[str], n: int, timeout: float = 60) -> dict[str, dict]:
    """Each server's /healthz once all of them read generation `n` (the poller switches within a poll or two)."""
    deadline = time.monotonic() + timeout
    seen: dict[str, dict] = {}
    while time.monotonic() < deadline:
        seen = {u: httpx.get(u + "/healthz", timeout=30).json() for u in urls}
        if all(h["index_generation"] == n for h in seen.values()):
            return seen
        time.sleep(0.2)
    pytest.fail(f"not every server switched to generation {n}: {seen}")


def test_two_servers_switch_to_the_generation_an_ingest_publishes(tmp_path, pg_url, embedder):
    from grounding.config import load_config

    records = nrc_records(FIRST + SECOND)
    corpus = write_jsonl(tmp_path / "nrc.jsonl", records[:FIRST])
    config = _toml(tmp_path, corpus, pg_url)
    cfg = load_config(config)
    writer = build_system(cfg, embedder)
    logs = [tmp_path / "server-a.log", tmp_path / "server-b.log"]
    # The servers start before anything is published: they read an empty index until the first ingest ends.
    servers = [ServeProcess(config, log) for log in logs]
    try:
        assert writer.ingestor().run().ingested == FIRST  # publishes generation 1
        for server in servers:
            server.wait_healthy(timeout=90)
        urls = [server.url for server in servers]
        _wait_generation(urls, 1)
        new = records[FIRST + 3]  # a report only the second ingest brings
        probe = new["event_text"][:300]
        for url in urls:
            assert str(new["event_number"]) not in _top_report(url, probe)
            health = httpx.get(url + "/healthz", timeout=30).json()
            assert (health["index_generation"], health["vectors"]) == (1, writer.index.count())

        # Both servers under load while the ingest runs and publishes.
        failures: list[str] = []
        answered = [0, 0]
        stop = threading.Event()

        def hammer(i: int, url: str) -> None:
            with httpx.Client(timeout=60) as client:
                while not stop.is_set():
                    try:
                        r = client.get(url + "/search", params={"q": "reactor scram feedwater pump trip", "k": 5, "mode": "hybrid"})
                        if r.status_code != 200:
                            failures.append(f"{url}: HTTP {r.status_code} {r.text[:300]}")
                        else:
                            answered[i] += 1
                    except httpx.HTTPError as exc:
                        failures.append(f"{url}: {exc!r}")
                    stop.wait(0.05)  # steady load that leaves the ingest some CPU

        threads = [threading.Thread(target=hammer, args=(i, u), daemon=True) for i, u in enumerate(urls)]
        for t in threads:
            t.start()
        write_jsonl(corpus, records)
        summary = writer.ingestor().run()  # publishes generation 2
        assert summary.ingested == SECOND
        total = writer.index.count()
        seen = _wait_generation(urls, 2)
        time.sleep(1.0)  # a little load on the new generation too
        stop.set()
        for t in threads:
            t.join(60)
        assert failures == [], failures[:5]
        assert min(answered) > 0
        for u, h in seen.items():
            assert (h["index_generation"], h["vectors"]) == (2, total), (u, h)
            assert str(new["event_number"]) in _top_report(u, probe)  # answered from the new generation

        # Both moved on, so the next ingest (nothing new) deletes generation 1; 2 stays.
        writer.ingestor().run()
        gens = sorted(p.name for p in (cfg.data_dir / "index" / "generations").iterdir() if p.name.isdigit())
        assert gens == ["00000002"]
    finally:
        for server in servers:
            server.stop()
        writer.store.dispose()
