"""SIGKILL `grounding summarize` after its first checkpoint; the rerun continues and writes the same report."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from grounding.ingest.records import facility_key
from grounding.summarize import SummarizeRequest, run_summaries
from tests.conftest import REPO, build_system
from tests.summarize.conftest import ONTO, stats_toml


def _fresh_copy(src: Path, dst: Path) -> Path:
    """The shared data dir without any summarization state (other tests may have summarized it)."""
    shutil.copytree(src, dst)
    con = sqlite3.connect(dst / "grounding.db")
    for table in ("summary_checkpoints", "summary_members"):
        try:
            con.execute(f"DELETE FROM {table}")
        except sqlite3.OperationalError:
            pass
    con.commit()
    con.close()
    return dst


def _checkpoints(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT COUNT(*) FROM summary_checkpoints").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # not created yet, or busy


def test_sigkill_then_resume_equals_an_uninterrupted_run(summ_system, summ_records, embedder, tmp_path):
    data = _fresh_copy(summ_system.data_dir, tmp_path / "data")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\ndata_dir = "{data}"\n[ontology]\nfiles = ["{ONTO}"]\n' + stats_toml().replace("[summarize]\n", "[summarize]\nrephrase = false\nthreads_per_worker = 1\n", 1)
    )
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "grounding.cli.main", "--config", str(config), "summarize", "--by", "facility", "--out", str(out), "--quiet"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    total = len({facility_key(r["facility"]) for r in summ_records})

    child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    db = data / "grounding.db"
    deadline = time.monotonic() + 300
    try:
        while _checkpoints(db) < 1:
            assert child.poll() is None, f"the run ended before it could be killed: {child.stderr.read().decode()[-2000:]}"
            assert time.monotonic() < deadline, "no checkpoint after 300 s"
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    done = _checkpoints(db)
    assert 1 <= done < total, (done, total)
    assert not (out / "report.md").exists()

    resumed = subprocess.run(cmd + ["--json"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    info = json.loads(resumed.stdout)
    assert (info["reused"], info["computed"]) == (done, total - done)

    # The same request, never interrupted, on another fresh copy of the data.
    cfg = summ_system.cfg.model_copy(deep=True)
    cfg.storage.data_dir = str(_fresh_copy(summ_system.data_dir, tmp_path / "data2"))
    cfg.summarize.threads_per_worker = 1
    baseline = run_summaries(build_system(cfg, embedder), SummarizeRequest(by="facility"), tmp_path / "baseline")
    assert baseline.computed == total
    assert (out / "report.md").read_text() == (tmp_path / "baseline" / "report.md").read_text()
    for chart in ("events_per_period", "concepts", "scrams"):
        assert (out / "charts" / f"{chart}.png").read_bytes() == (tmp_path / "baseline" / "charts" / f"{chart}.png").read_bytes()
