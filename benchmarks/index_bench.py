#!/usr/bin/env python3
"""Resident memory and search latency of the vector index backends, side by side in one run.

    .venv/bin/python benchmarks/index_bench.py [--n 100000] [--dim 384] [--queries 300] [--k 50] \
        [--before e59450d] [--json benchmarks/results/index.json]

Vectors are synthetic but clustered (unit vectors around 2000 centres, as embeddings of a
corpus are), the same for every backend. Per backend, one child process builds the index the way
an ingest does (adds in batches of 256, save, `build_ann`), and a second child, the way a server
starts, loads it from disk and is measured: resident memory added by the loaded index (RSS after
the load and a first search, minus RSS before), search latency p50 / p95 for single queries
(k = --k), and recall@10 against the exact answer. `--before REV` also measures the FaissIndex of
that git revision (the previous design kept the exact store beside the approximate index).
Figures depend on the machine and its load: measured here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BACKENDS = ["faiss-flat", "faiss-hnsw", "faiss-ivf", "numpy"]


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _data(n: int, dim: int, queries: int):
    import numpy as np

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(2000, dim)).astype(np.float32)
    x = centres[rng.integers(0, len(centres), size=n)] + 0.35 * rng.normal(size=(n, dim)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    q = x[rng.integers(0, n, size=queries)] + 0.2 * rng.normal(size=(queries, dim)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return x, q.astype(np.float32)


def _open(backend: str, folder: Path, dim: int, before: str):
    from grounding.config import StorageConfig

    kind = backend.split("-")[-1]
    if backend == "numpy":
        from grounding.index.numpy_index import NumpyIndex

        return NumpyIndex(folder, "bench", dim)
    cfg = StorageConfig(index_type=kind)
    if backend.startswith("before"):
        src = subprocess.run(["git", "show", f"{before}:grounding/index/faiss_index.py"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        path = folder.parent / "faiss_index_before.py"
        path.write_text(src)
        spec = importlib.util.spec_from_file_location("faiss_index_before", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod.FaissIndex(folder, "bench", dim, cfg)
    from grounding.index.faiss_index import FaissIndex

    return FaissIndex(folder, "bench", dim, cfg)


def child(args) -> None:
    """One phase of one backend, in its own process so its memory is its own."""
    import numpy as np

    folder = Path(args.folder)
    x, q = _data(args.n, args.dim, args.queries)
    if args.phase == "build":
        t0 = time.perf_counter()
        idx = _open(args.backend, folder, args.dim, args.before)
        with idx.writer():
            for i in range(0, args.n, 256):
                idx.add(np.arange(i, min(i + 256, args.n)), x[i : i + 256])
            idx.save()
            idx.build_ann()
        print(json.dumps({"build_s": round(time.perf_counter() - t0, 2)}))
        return
    truth = np.argsort(-(q @ x.T), axis=1)[:, :10]
    del x
    import faiss  # noqa: F401  (the libraries' own resident size is not the index's)

    import grounding.config  # noqa: F401
    import grounding.index.faiss_index  # noqa: F401
    import grounding.index.numpy_index  # noqa: F401

    base = _rss_mb()
    t0 = time.perf_counter()
    idx = _open(args.backend, folder, args.dim, args.before)
    idx.search(q[0], args.k)  # the old design loaded its approximate index at the first search
    load_s = time.perf_counter() - t0
    rss = _rss_mb() - base
    lat, hits = [], 0
    for j in range(len(q)):
        t = time.perf_counter()
        _, ids = idx.search(q[j], args.k)
        lat.append((time.perf_counter() - t) * 1000)
        hits += len(set(ids[0][:10].tolist()) & set(truth[j].tolist()))
    lat.sort()
    print(json.dumps({
        "rss_mb": round(rss, 1), "load_s": round(load_s, 2), "p50_ms": round(lat[len(lat) // 2], 3),
        "p95_ms": round(lat[int(len(lat) * 0.95)], 3), "recall@10": round(hits / (10 * len(q)), 4),
        "disk_mb": round(sum(p.stat().st_size for p in folder.iterdir()) / 2**20, 1),
    }))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--k", type=int, default=50)
    ap.add_argument("--before", default="", help="also measure FaissIndex of this git revision (hnsw, ivf)")
    ap.add_argument("--backends", nargs="*", default=BACKENDS)
    ap.add_argument("--json", default="")
    ap.add_argument("--phase", default="", help=argparse.SUPPRESS)
    ap.add_argument("--backend", default="", help=argparse.SUPPRESS)
    ap.add_argument("--folder", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        child(args)
        return 0
    backends = list(args.backends) + (["before-hnsw", "before-ivf"] if args.before else [])
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for b in backends:
            folder = Path(tmp) / b / "index"
            folder.mkdir(parents=True)
            row = {}
            for phase in ("build", "search"):
                cmd = [sys.executable, __file__, "--phase", phase, "--backend", b, "--folder", str(folder),
                       "--n", str(args.n), "--dim", str(args.dim), "--queries", str(args.queries), "--k", str(args.k),
                       "--before", args.before]
                out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
                row.update(json.loads(out.strip().splitlines()[-1]))
            rows[b] = row
            print(f"{b:12s} " + "  ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    meta = {"n": args.n, "dim": args.dim, "queries": args.queries, "k": args.k, "threads": os.environ.get("OMP_NUM_THREADS", ""),
            "vectors_mb": round(args.n * args.dim * 4 / 2**20, 1)}
    print(f"\n{args.n} vectors x {args.dim} (float32: {meta['vectors_mb']} MB), k={args.k}, {args.queries} single queries")
    print(f"{'backend':12s} {'RSS MB':>8s} {'disk MB':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'recall@10':>10s} {'build s':>8s} {'load s':>7s}")
    for b, r in rows.items():
        print(f"{b:12s} {r['rss_mb']:8.1f} {r['disk_mb']:8.1f} {r['p50_ms']:8.3f} {r['p95_ms']:8.3f} {r['recall@10']:10.4f} "
              f"{r['build_s']:8.2f} {r['load_s']:7.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
