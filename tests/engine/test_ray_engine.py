"""The Ray engine on a real two-node loopback cluster: the same reports, chunk ids, links and vectors as
the local engine; a worker node killed mid-job and a driver killed mid-job both end, after a re-run,
with nothing lost and nothing twice; summaries fanned out to Ray equal the local ones.

Two subsets of real NRC reports, each compared against a local ingest of the same subset in the same
run: N_LARGE for the plain equality test (the issue's "few thousand" cut to what fits the CI budget, see
that test's docstring), and N for the kill and summarize tests, whose ingests run up to twice and whose
kill points need only a job that is running.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from grounding.index.faiss_index import FaissIndex
from tests.conftest import ONTOLOGY_FILES, REPO, build_system, make_config, nrc_records, write_jsonl

pytestmark = pytest.mark.slow

N = 120  # the kill and summarize tests
SKIP = 1000  # a stretch of the corpus other tests do not use
N_LARGE = 2000  # the larger-subset equality test (its docstring says why this size)
SKIP_LARGE = 3000


@pytest.fixture(scope="module")
def subset(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("ray_subset")
    return write_jsonl(d / "nrc.jsonl", nrc_records(N, skip=SKIP))


def _cfg(root: Path, corpus: Path, cluster=None, **engine):
    cfg = make_config(root, corpus)
    if cluster is not None:
        cfg.engine = cfg.engine.model_copy(update={"kind": "ray", "address": cluster.address, "embed_actors": 2, **engine})
    return cfg


def snapshot(g) -> dict:
    """What an ingest leaves: report ids, chunk rows, links, and the vectors on disk by chunk id."""
    store = g.store
    ids = sorted(store.report_ids(["nrc"]))
    chunks = {}
    for page in store.iter_chunks():
        for c in page:
            chunks[c.id] = (c.report_id, c.ord, c.text)
    links = {rid: sorted((rc.concept, rc.mentions, round(rc.score, 6)) for rc in rcs) for rid, rcs in store.concepts_of(ids).items()}
    disk = FaissIndex(g.cfg.data_dir / "index", g.embedder.name, g.embedder.dim, g.cfg.storage)
    held = sorted(disk.ids())
    return {"reports": ids, "chunks": chunks, "links": links, "vector_ids": held, "count": disk.count(),
            "vectors": disk.vectors(held) if held else np.zeros((0, g.embedder.dim), np.float32)}


def assert_same(got: dict, want: dict, n: int = N) -> None:
    assert got["reports"] == want["reports"] and len(got["reports"]) == n
    assert got["chunks"] == want["chunks"]  # same chunk ids, same reports, same order, same text
    assert got["links"] == want["links"]
    assert got["vector_ids"] == sorted(got["chunks"]) == want["vector_ids"]  # one vector per chunk, none extra
    assert got["count"] == len(got["chunks"])  # and none twice
    assert np.abs(got["vectors"] - want["vectors"]).max() < 1e-5


@pytest.fixture(scope="module")
def local_ref(tmp_path_factory, subset, embedder) -> dict:
    g = build_system(_cfg(tmp_path_factory.mktemp("ray_local"), subset), embedder)
    s = g.ingestor().run()
    assert s.ingested == N and s.embedded > 0
    snap = snapshot(g)
    snap["summary"] = s
    g.store.dispose()
    return snap


@pytest.fixture(scope="module")
def ray_ingested(tmp_path_factory, subset, embedder, ray_cluster):
    g = build_system(_cfg(tmp_path_factory.mktemp("ray_engine"), subset, ray_cluster), embedder)
    summary = g.ingestor().run()
    return g, summary


def test_the_cluster_gcs_passes_the_address_check(ray_cluster):
    """The check that refuses another service on the port (test_ray_address.py) lets a real GCS through."""
    from grounding.engine.ray_engine import check_address

    check_address(ray_cluster.address)


def test_ray_ingest_equals_local(ray_ingested, local_ref):
    g, summary = ray_ingested
    want = local_ref["summary"]
    assert (summary.ingested, summary.chunks, summary.embedded, summary.rejected) == (want.ingested, want.chunks, want.embedded, want.rejected)
    assert_same(snapshot(g), local_ref)
    again = g.ingestor().run()  # incremental on Ray too: nothing to link or embed
    assert (again.unchanged, again.ingested, again.embedded, again.repaired) == (N, 0, 0, 0)


def test_ray_ingest_equals_local_larger_subset(tmp_path_factory, embedder, ray_cluster):
    """N_LARGE reports through both engines: the same ids, chunks, links and vectors (to 1e-5) at a size
    where the Ray job spans many blocks and actor calls on both nodes. N_LARGE is the largest subset
    whose two ingests stay within the ~6 min this test may add to CI on the shared 2-core machine: 2,000
    reports (~3,700 chunks) took 315 s here (docs/scaling.md, "Ray engine"); a few thousand would not fit."""
    corpus = write_jsonl(tmp_path_factory.mktemp("ray_large") / "nrc.jsonl", nrc_records(N_LARGE, skip=SKIP_LARGE))
    local = build_system(_cfg(tmp_path_factory.mktemp("ray_large_local"), corpus), embedder)
    want = local.ingestor().run()
    ref = snapshot(local)
    local.store.dispose()
    g = build_system(_cfg(tmp_path_factory.mktemp("ray_large_engine"), corpus, ray_cluster), embedder)
    got = g.ingestor().run()
    assert want.ingested + want.rejected == N_LARGE and want.ingested > 0.9 * N_LARGE and want.embedded > want.ingested
    assert (got.ingested, got.chunks, got.rejected) == (want.ingested, want.chunks, want.rejected)
    # `embedded` counts distinct texts per embedding group: a Ray job (engine.chunks_per_job) is a larger
    # group than the local engine's, so repeated texts are embedded once across more chunks.
    assert 0 < got.embedded <= want.embedded
    assert_same(snapshot(g), ref, want.ingested)
    g.store.dispose()


def test_worker_node_killed_mid_job_loses_nothing(tmp_path, subset, embedder, ray_cluster, local_ref):
    from grounding.engine.base import EngineError

    cfg = _cfg(tmp_path, subset, ray_cluster)
    cfg.storage.checkpoint_every = 64
    g = build_system(cfg, embedder)
    worker = ray_cluster.workers[-1]
    killed: dict = {}
    joined: dict = {}

    def replace() -> None:
        try:
            joined["node"] = ray_cluster.add_worker()
        except RuntimeError as exc:
            joined["error"] = exc

    def tick(s) -> None:
        # The first embedded batch is back: the job is running on both nodes. Kill the worker node
        # (raylet SIGKILL: its actor dies with it) and let a fresh node join for the restarted actor.
        if s.embedded and not killed:
            killed["raylet"] = ray_cluster.kill_raylet(worker)
            killed["at"] = s.embedded
            killed["replacement"] = threading.Thread(target=replace, daemon=True)
            killed["replacement"].start()

    try:
        first = g.ingestor().run(on_progress=tick)
        outcome = f"completed ({first.embedded} embedded)"
    except EngineError as exc:  # the job may fail instead of recovering: the re-run must finish it
        outcome = f"failed: {exc}"
    assert killed and 0 < killed["at"] < local_ref["summary"].embedded, killed
    rerun = g.ingestor().run()
    assert rerun.ingested == 0 and rerun.rejected == 0, (outcome, rerun)
    assert_same(snapshot(g), local_ref)
    # The replacement node, for the later tests: add_worker returns once the GCS lists its new node id
    # alive, or raises after its own deadline; joined here so the next test starts with two nodes.
    killed["replacement"].join()
    assert "node" in joined, joined


def _config_file(tmp: Path, corpus: Path, address: str) -> Path:
    """make_config's settings as a config.toml, for the CLI child."""
    onto = ", ".join(json.dumps(str(p)) for p in ONTOLOGY_FILES if p.exists())
    path = tmp / "config.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{tmp / "data"}"\ncheckpoint_every = 64\n\n[ontology]\nfiles = [{onto}]\n\n'
        f'[engine]\nkind = "ray"\naddress = "{address}"\nembed_actors = 2\n\n'
        f'[[corpus]]\nname = "nrc"\npath = "{corpus}"\nformat = "jsonl"\nid = "event_number"\ntext = ["event_text"]\n'
        'date = "event_date"\nmetadata = ["facility", "state", "emergency_class", "reactor_units"]\n',
        encoding="utf-8",
    )
    return path


def _ingest_child(config: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "grounding.cli.main", "--config", str(config), "ingest", "-q", "--json", *extra],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_driver_killed_mid_job_then_rerun(tmp_path, subset, embedder, ray_cluster, local_ref):
    from grounding.config import load_config
    from grounding.index.factory import peek_index

    config = _config_file(tmp_path, subset, ray_cluster.address)
    proc = _ingest_child(config)
    index = tmp_path / "data" / "index"
    deadline = time.monotonic() + 300
    while True:  # SIGKILL the driver once a first checkpoint of vectors is on disk (SQL is ahead of FAISS)
        assert proc.poll() is None, f"the ingest ended before the kill point: {proc.communicate()[1][-2000:]}"
        assert time.monotonic() < deadline, "the ingest never reached its first vector checkpoint"
        if (index / "vectors.json").exists() and 0 < int(peek_index(index).get("count", 0)) < local_ref["summary"].embedded:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.05)
    proc = _ingest_child(config)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    done = json.loads(out)
    assert done["repaired"] > 0  # the chunks the killed driver had committed without vectors
    g = build_system(load_config(config), embedder)
    assert_same(snapshot(g), local_ref)


def test_ray_summarize_equals_local(ray_ingested, tmp_path):
    from grounding.summarize import SummarizeRequest, run_summaries

    g, _ = ray_ingested
    cfg = g.cfg.model_copy(deep=True)
    cfg.summarize.rephrase = False  # extractive: no generator model in the actors
    cfg.summarize.threads_per_worker = 1
    req = dict(by="facility", where={"state": "IL"}, fmt="json", force=True)
    cfg.engine.kind = "local"
    local = run_summaries(build_system(cfg, g.embedder), SummarizeRequest(**req), tmp_path / "local")
    cfg.engine.kind = "ray"
    ray_run = run_summaries(build_system(cfg, g.embedder), SummarizeRequest(**req), tmp_path / "ray")
    assert len(local.groups) >= 2 and ray_run.computed == len(local.groups) and ray_run.workers == 2
    assert ray_run.groups == local.groups
    assert (tmp_path / "ray" / "report.json").read_bytes() == (tmp_path / "local" / "report.json").read_bytes()
    again = run_summaries(build_system(cfg, g.embedder), SummarizeRequest(**{**req, "force": False}), tmp_path / "again")
    assert again.reused == len(local.groups) and again.computed == 0  # checkpoints written by the driver
