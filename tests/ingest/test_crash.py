"""SIGKILL a real `grounding ingest` child at random moments; the same command must converge.

After each phase: every source report in SQL exactly once, every chunk with exactly one vector
on disk, no vector without a chunk, and each vector is the embedding of its chunk's text.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from grounding.config import load_config
from grounding.index.faiss_index import FaissIndex
from tests.conftest import REPO, build_system, nrc_records, write_jsonl

N = 120


def _config(tmp: Path, corpus: Path) -> Path:
    cfg = tmp / "config.toml"
    cfg.write_text(
        f'[storage]\ndata_dir = "{tmp / "data"}"\ncheckpoint_every = 24\ncommit_every = 16\n\n'
        '[embedder]\nbackend = "minilm"\nbatch_size = 16\ngroup = 32\n\n'
        "[ontology]\nfiles = []\n\n"
        f'[[corpus]]\nname = "nrc"\npath = "{corpus}"\nformat = "jsonl"\nid = "event_number"\ntext = ["event_text"]\n'
        'date = "event_date"\nfacility = "facility"\nmetadata = ["facility", "state"]\n'
    )
    return cfg


def _start(cfg: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "grounding.cli.main", "--config", str(cfg), "ingest", "-q", "--json", *extra],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _reports_in_sql(data: Path) -> int:
    db = data / "grounding.db"
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("select count(*) from reports").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 240) -> bool:
    """SIGKILL proc once ready() is true; False if it finished first."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            return False
        if ready():
            if proc.poll() is not None:
                return False
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.05)
    raise AssertionError("the ingest child neither finished nor reached the kill point")


def _finish(cfg: Path, *extra: str) -> dict:
    proc = _start(cfg, *extra)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    return json.loads(out)


def _check(cfg_path: Path, embedder, source: list[dict]) -> None:
    cfg = load_config(cfg_path)
    g = build_system(cfg, embedder)
    want = {f"nrc:{r['event_number']}" for r in source}
    with g.store.session() as s:
        from sqlalchemy import func, select

        from grounding.store.schema import Chunk, Report

        ids = list(s.scalars(select(Report.id)))
        assert len(ids) == len(set(ids)) and set(ids) == want  # every report once, none missing or extra
        texts = {r.id: r.text for r in s.scalars(select(Report))}
        # chunks of each report are numbered 0..n-1 once
        for rid, n, lo, hi in s.execute(select(Chunk.report_id, func.count(), func.min(Chunk.ord), func.max(Chunk.ord)).group_by(Chunk.report_id)):
            assert (lo, hi) == (0, n - 1), rid
    chunk_ids = g.store.chunk_ids()
    disk = FaissIndex(cfg.data_dir / "index", embedder.name, embedder.dim, cfg.storage)  # exactly what is on disk
    assert disk.ids() == chunk_ids, (len(disk.ids() - chunk_ids), len(chunk_ids - disk.ids()))
    assert disk.count() == len(chunk_ids)  # one vector per chunk, no duplicates
    by_source = {f"nrc:{r['event_number']}": r for r in source}
    for rid, text in texts.items():
        assert by_source[rid]["event_text"].split()[-1].rstrip('"') in text  # the text of the current source
    sample = random.Random(1).sample(sorted(chunk_ids), 24)
    chunks = g.store.get_chunks(sample)
    vecs = embedder.embed_passages([chunks[c].text for c in sample])
    got = disk.vectors(sample)
    assert np.min(np.sum(vecs * got, axis=1)) > 0.999  # each vector belongs to its chunk's text
    again = g.ingestor().run()  # and the same command now has nothing to do
    assert again.unchanged == len(source) and again.embedded == 0 and again.repaired == 0
    g.store.dispose()


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_converges(tmp_path, embedder):
    rng = random.Random(20240517)
    records = nrc_records(N, skip=3000)
    for r in records[::2]:  # shorter reports: more reports per second of embedding, kills land between them
        r["event_text"] = r["event_text"][:700]
    corpus = write_jsonl(tmp_path / "nrc.jsonl", records)
    cfg = _config(tmp_path, corpus)
    data = tmp_path / "data"
    manifest = data / "index" / "vectors.json"

    # Phase 1: the first ingest, killed three times.
    kills = 0
    p = _start(cfg)  # right after the first durable checkpoint (mid-run: SQL ahead of FAISS)
    first = {}

    def after_first_checkpoint():
        if manifest.exists():
            first.setdefault("t", time.monotonic())
            return time.monotonic() - first["t"] > rng.uniform(0.0, 0.5)
        return False

    kills += _kill_when(p, after_first_checkpoint)
    target = rng.randint(N // 3, 2 * N // 3)
    p = _start(cfg)  # after a random number of reports were committed
    kills += _kill_when(p, lambda: _reports_in_sql(data) >= target)
    p = _start(cfg)  # at a random time (start-up, reconcile, mid-batch, mid-save)
    t0, delay = time.monotonic(), rng.uniform(4.0, 9.0)
    kills += _kill_when(p, lambda: time.monotonic() - t0 > delay)
    assert kills >= 2, "the kills should land mid-ingest"
    summary = _finish(cfg)
    assert summary["read"] == N
    _check(cfg, embedder, records)

    # Phase 2: a re-ingest with changes (--prune), killed twice mid-way.
    changed = [dict(r) for r in records]
    for r in changed[5:25]:
        r["event_text"] = r["event_text"] + " UPDATE: the licensee found a failed relay in the trip circuit."
    for r in changed[30:40]:
        r["facility"] = r["facility"] + " (renamed)"
    changed = changed[:100] + nrc_records(20, skip=6000)  # 20 removed, 20 new
    write_jsonl(corpus, changed)
    before = _reports_in_sql(data)
    p = _start(cfg, "--prune")
    kills = _kill_when(p, lambda: _reports_in_sql(data) > before + rng.randint(2, 12))
    p = _start(cfg, "--prune")
    t0, delay = time.monotonic(), rng.uniform(3.0, 7.0)
    kills += _kill_when(p, lambda: time.monotonic() - t0 > delay)
    assert kills >= 1
    summary = _finish(cfg, "--prune")
    _check(cfg, embedder, changed)
