#!/usr/bin/env python3
"""Scale benchmark (issue 16): the vector index at 1M+ chunks, and local vs Ray ingest throughput.

    nice -n 10 .venv/bin/python benchmarks/scale.py index  [--n 1000000] [--seeds 4000] [--queries 200] \
        [--nlist 0] [--nprobe 16] [--pq-m 48] [--shards 2] [--out docs/scale/index-1m.json]
    nice -n 10 .venv/bin/python benchmarks/scale.py ingest [--reports 300] [--seed 16] [--out docs/scale/ingest.json]
    .venv/bin/python benchmarks/scale.py table FILE.json     # print a saved table again

`index`: a synthetic corpus grown from the real reports. Real NRC chunk texts (the pipeline's own
chunker over corpora/nrc) are shuffled with a fixed seed; `--seeds` of them are embedded with the
configured embedder (MiniLM, 384 dims) and `--queries` other ones, held out, are embedded as the
queries. Each synthetic vector is a seed chunk moved toward one of its 10 nearest seed neighbours
(t ~ U(0, 0.5)) plus Gaussian noise drawn with the seeds' own covariance (a random projection of
white noise through the seeds' principal axes, scaled by --spread), then normalized: the corpus
keeps the seeds' anisotropy and neighbourhoods but has --n points. The mean cosine of a grown point
to its seed is printed. Exact search (FAISS flat over the grown set) is the recall@10 baseline.
Each structure is built in its own child process through the project's `FaissIndex` (adds of
--batch as ingest does, `build_ann`, one durable `save`): flat, IVF, IVF-PQ; and, with FAISS directly,
IVF-PQ split into --shards shards (one IVF-PQ trained once, cloned per shard, ids spread round-robin)
searched in parallel (`IndexShards`, one thread per shard). Per structure: index bytes (the
serialized structure), anonymous RSS the child holds after the build and `malloc_trim` minus before
(includes id bookkeeping and allocator slack), build time (adds + training + encoding), save time,
p50/p95 latency of single queries (k = 10, one OpenMP thread, as one server request) and recall@10.

`ingest`: the same fixed subset of real NRC reports (--reports ids drawn with --seed) ingested into a
fresh data dir by `grounding ingest --only IDS` with the local engine (embedder.threads 1, then 2) and
with the Ray engine on a Ray instance this script starts on loopback (`ray start --head --block`,
stopped by its own process group afterwards) with 1 and 2 embedding actors. Throughput is chunks
embedded per wall second of the whole command (interpreter start, model load and Ray start-up
included, which is what a user waits for); the ratio is against local with one thread.
Figures depend on the machine and its load: measured here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable
CACHE = Path(tempfile.gettempdir()) / "grounding-scale-cache"


def _ingest_bench():
    """benchmarks/ingest_bench.py (config writing and the pipeline's chunk texts), imported by path."""
    spec = importlib.util.spec_from_file_location("ingest_bench", ROOT / "benchmarks" / "ingest_bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _rss_anon_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _trim() -> None:
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass


# --- the corpus ------------------------------------------------------------------------------
def _real_vectors(seeds: int, queries: int, seed: int):
    """Embeddings of real NRC chunk texts: `seeds` for the corpus, `queries` held out. Cached by size."""
    import numpy as np

    path = CACHE / f"real-{seeds}-{queries}-{seed}.npz"
    if path.exists():
        d = np.load(path)
        return d["seeds"], d["queries"], float(d["embed_s"]), int(d["texts"])
    ib = _ingest_bench()
    work = Path(tempfile.mkdtemp(prefix="scale-real-"))
    cfg_path = ib.write_config(work, ROOT / "corpora" / "nrc" / "events.jsonl.gz")
    t0 = time.perf_counter()
    texts = ib.chunk_texts(cfg_path)
    print(f"[scale] chunked the NRC corpus: {len(texts)} unique texts in {time.perf_counter() - t0:.1f}s", flush=True)
    random.Random(seed).shuffle(texts)
    if len(texts) < seeds + queries:
        raise SystemExit(f"only {len(texts)} chunk texts; ask for fewer --seeds/--queries")
    from grounding.config import load_config
    from grounding.embed.factory import make_embedder

    emb = make_embedder(load_config(cfg_path).embedder)
    t0 = time.perf_counter()
    s = np.asarray(emb.embed_passages(texts[:seeds]), dtype=np.float32)
    embed_s = time.perf_counter() - t0
    q = np.asarray(emb.embed_queries(texts[seeds : seeds + queries]), dtype=np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, seeds=s, queries=q, embed_s=embed_s, texts=len(texts))
    return s, q, embed_s, len(texts)


def _grow(seeds, n: int, spread: float, seed: int, out: Path) -> float:
    """Write n grown unit vectors to `out` (.npy), block by block; returns the mean cosine to the seed."""
    import faiss
    import numpy as np

    rng = np.random.default_rng(seed)
    dim = seeds.shape[1]
    centred = seeds - seeds.mean(axis=0)
    cov = centred.T @ centred / len(seeds)
    lam, axes = np.linalg.eigh(cov)
    proj = (axes * np.sqrt(np.clip(lam, 0, None))).T.astype(np.float32)  # white noise -> seed covariance
    flat = faiss.IndexFlatIP(dim)
    flat.add(seeds)
    _, nn = flat.search(seeds, 11)  # each seed's 10 nearest other seeds
    mm = np.lib.format.open_memmap(out, mode="w+", dtype=np.float32, shape=(n, dim))
    cos_sum = 0.0
    for a in range(0, n, 100_000):
        b = min(n, a + 100_000)
        parent = rng.integers(0, len(seeds), b - a)
        other = nn[parent, rng.integers(1, 11, b - a)]
        t = rng.uniform(0, 0.5, (b - a, 1)).astype(np.float32)
        v = (1 - t) * seeds[parent] + t * seeds[other]
        v += spread * (rng.standard_normal((b - a, dim), dtype=np.float32) @ proj)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        cos_sum += float(np.einsum("ij,ij->", v, seeds[parent]))
        mm[a:b] = v
    mm.flush()
    del mm
    return cos_sum / n


# --- one structure, in a child ---------------------------------------------------------------
def _child_index(ns: argparse.Namespace) -> None:
    import faiss
    import numpy as np

    faiss.omp_set_num_threads(ns.build_threads)
    x = np.load(ns.vectors, mmap_mode="r")
    q = np.load(ns.queries)
    n, dim = x.shape
    base = _rss_anon_mb()
    work = Path(tempfile.mkdtemp(prefix="scale-idx-", dir=ns.tmp))
    res: dict = {"structure": ns.structure}
    t0 = time.perf_counter()
    if ns.structure == "ivfpq-sharded":
        index, owned = _sharded(x, ns)
        build_s = time.perf_counter() - t0
        save_s = 0.0
        search = index.search
        snap = work / "shards.faiss"
        nbytes = 0
        for s in owned:
            faiss.write_index(s, str(snap))
            nbytes += snap.stat().st_size
        snap.unlink()
    else:
        from grounding.config import StorageConfig
        from grounding.index.faiss_index import FaissIndex

        cfg = StorageConfig(index_type=ns.structure, ivf_nlist=ns.nlist, ivf_nprobe=ns.nprobe, ivfpq_m=ns.pq_m)
        idx = FaissIndex(work, "scale", dim, cfg)
        with idx.writer():
            for a in range(0, n, ns.batch):
                b = min(n, a + ns.batch)
                idx.add(np.arange(a, b), np.asarray(x[a:b]))
            idx.build_ann()
            build_s = time.perf_counter() - t0
            t1 = time.perf_counter()
            idx.save()
            save_s = time.perf_counter() - t1
        res["kind"] = idx._kind
        snap = work / "probe.faiss"
        faiss.write_index(idx._index, str(snap))
        nbytes = snap.stat().st_size
        snap.unlink()
        search = idx.search
    del x
    _trim()
    res["rss_mb"] = _rss_anon_mb() - base
    faiss.omp_set_num_threads(1)
    search(q[:5], ns.k)  # warm
    lat, got = [], []
    for row in q:
        t = time.perf_counter()
        _, ids = search(row[None, :], ns.k)
        lat.append((time.perf_counter() - t) * 1000)
        got.append(ids[0])
    truth = np.load(ns.truth)
    rec = [len(set(g.tolist()) & set(t.tolist())) / ns.k for g, t in zip(got, truth)]
    res.update(
        index_mb=nbytes / 2**20, build_s=build_s, save_s=save_s, recall10=float(np.mean(rec)),
        p50_ms=float(np.percentile(lat, 50)), p95_ms=float(np.percentile(lat, 95)), n=n,
    )
    Path(ns.result).write_text(json.dumps(res))


def _sharded(x, ns: argparse.Namespace):
    """IVF-PQ trained once on a sample, cloned into --shards shards, searched in parallel by IndexShards."""
    import faiss
    import numpy as np

    n, dim = x.shape
    rng = np.random.default_rng(1)
    sample = np.asarray(x[np.sort(rng.choice(n, min(n, 256 * ns.nlist), replace=False))])
    trained = faiss.IndexIVFPQ(faiss.IndexFlatIP(dim), dim, ns.nlist, ns.pq_m, 8, faiss.METRIC_INNER_PRODUCT)
    trained.train(sample)
    del sample
    shards = faiss.IndexShards(dim, True, False)  # threaded, ids kept as given
    owned = []
    for s in range(ns.shards):
        part = faiss.clone_index(trained)
        part.nprobe = ns.nprobe
        owned.append(part)
    for a in range(0, n, ns.batch):
        b = min(n, a + ns.batch)
        ids = np.arange(a, b)
        block = np.asarray(x[a:b])
        for s, part in enumerate(owned):
            sel = ids % ns.shards == s
            part.add_with_ids(block[sel], ids[sel])
    for part in owned:
        shards.add_shard(part)
    return shards, owned


def _child(args: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    proc = subprocess.run([PY, __file__, *args, "--result", out], cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"child {args[:3]} failed ({proc.returncode})")
    res = json.loads(Path(out).read_text())
    os.unlink(out)
    return res


def run_index(ns: argparse.Namespace) -> dict:
    import faiss
    import numpy as np

    t_all = time.perf_counter()
    nlist = ns.nlist or int(2 ** round(np.log2(max(64, np.sqrt(ns.n)))))
    seeds, queries, embed_s, ntexts = _real_vectors(ns.seeds, ns.queries, ns.seed)
    print(f"[scale] {ntexts} real chunk texts; embedded {len(seeds)} seeds in {embed_s:.1f}s "
          f"({len(seeds) / embed_s:.1f} chunks/s), {len(queries)} held-out queries", flush=True)
    tmp = Path(ns.tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    vec_path, q_path, truth_path = tmp / f"grown-{ns.n}.npy", tmp / "queries.npy", tmp / f"truth-{ns.n}.npy"
    t0 = time.perf_counter()
    cos = _grow(seeds, ns.n, ns.spread, ns.seed, vec_path)
    grow_s = time.perf_counter() - t0
    np.save(q_path, queries)
    x = np.load(vec_path, mmap_mode="r")
    faiss.omp_set_num_threads(ns.build_threads)
    exact = faiss.IndexFlatIP(x.shape[1])
    best_s = np.full((len(queries), ns.k), -np.inf, dtype=np.float32)
    best_i = np.full((len(queries), ns.k), -1, dtype=np.int64)
    for a in range(0, ns.n, 200_000):  # exact top-k block by block (the parent never holds all vectors)
        exact.reset()
        exact.add(np.asarray(x[a : a + 200_000]))
        s, i = exact.search(queries, ns.k)
        s_all = np.concatenate([best_s, s], axis=1)
        i_all = np.concatenate([best_i, i + a], axis=1)
        order = np.argsort(-s_all, axis=1)[:, : ns.k]
        best_s, best_i = np.take_along_axis(s_all, order, 1), np.take_along_axis(i_all, order, 1)
    del x, exact
    np.save(truth_path, best_i)
    print(f"[scale] grew {ns.n:,} vectors in {grow_s:.1f}s (mean cosine to its seed {cos:.3f}); nlist {nlist}", flush=True)
    rows = []
    for structure in ["flat", "ivf", "ivfpq", "ivfpq-sharded"]:
        res = _child([
            "_index", "--structure", structure, "--vectors", str(vec_path), "--queries", str(q_path),
            "--truth", str(truth_path), "--tmp", str(tmp), "--nlist", str(nlist), "--nprobe", str(ns.nprobe),
            "--pq-m", str(ns.pq_m), "--shards", str(ns.shards), "--k", str(ns.k), "--batch", str(ns.batch),
            "--build-threads", str(ns.build_threads),
        ])
        rows.append(res)
        print(f"[scale] {structure}: build {res['build_s']:.1f}s, recall@10 {res['recall10']:.3f}, "
              f"p95 {res['p95_ms']:.2f} ms", flush=True)
    for p in (vec_path, q_path, truth_path):
        p.unlink(missing_ok=True)
    return {
        "part": "index", "n": ns.n, "dim": int(seeds.shape[1]), "seeds": len(seeds), "queries": len(queries),
        "nlist": nlist, "nprobe": ns.nprobe, "pq_m": ns.pq_m, "shards": ns.shards, "k": ns.k,
        "spread": ns.spread, "mean_cos_to_seed": cos, "seed_embed_chunks_per_s": len(seeds) / embed_s,
        "grow_s": grow_s, "build_threads": ns.build_threads, "total_s": time.perf_counter() - t_all, "rows": rows,
    }


# --- ingest: local vs Ray --------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_ray(cpus: int) -> tuple[subprocess.Popen, str]:
    """A Ray head on loopback, in its own process group (stopped by that group, nothing else)."""
    port = _free_port()
    ray = str(Path(PY).with_name("ray"))
    tmpdir = tempfile.mkdtemp(prefix="ray-", dir="/tmp")
    log = Path(tmpdir) / "head.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [ray, "start", "--head", "--block", "--node-ip-address", "127.0.0.1", "--port", str(port),
             "--num-cpus", str(cpus), "--include-dashboard", "false", "--disable-usage-stats", "--temp-dir", tmpdir],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    address = f"127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:  # connecting before the head says it started hangs in retries
        if b"Ray runtime started" in log.read_bytes():
            return proc, address
        if proc.poll() is not None:
            raise SystemExit(f"ray start --head exited early; see {log}")
        time.sleep(1)
    _stop_ray(proc)
    raise SystemExit("Ray head did not come up within 180 s")


def _stop_ray(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _ingest_once(ib, work: Path, corpus: Path, ids_file: Path, label: str, extra_toml: str, flags: list[str]) -> dict:
    run_dir = work / label
    run_dir.mkdir()
    cfg = ib.write_config(run_dir, corpus)
    cfg.write_text(cfg.read_text().replace("[embedder]\n", "[embedder]\n" + extra_toml, 1))
    t0 = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "grounding.cli.main", "--config", str(cfg), "ingest", "-q", "--json", "--only", str(ids_file), *flags],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"}, check=False,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-3000:])
        raise SystemExit(f"ingest {label} failed ({proc.returncode})")
    out = proc.stdout
    summary = json.loads(out[out.index("{") : out.rindex("}") + 1])
    return {"run": label, "wall_s": wall, "reports": summary.get("ingested"),
            "chunks": summary.get("embedded", summary.get("chunks")), "summary": {k: v for k, v in summary.items() if isinstance(v, (int, float))}}


def run_ingest(ns: argparse.Namespace) -> dict:
    ib = _ingest_bench()
    src = ROOT / "corpora" / "nrc" / "events.jsonl.gz"
    from grounding.config import load_config
    from grounding.ingest.records import ReportDraft
    from grounding.ingest.sources import read_drafts

    c = next(c for c in load_config(ROOT / "config.toml").corpus if c.name == "nrc")
    ids = [d.id for d in read_drafts(c, src, 10**9) if isinstance(d, ReportDraft)]
    chosen = sorted(random.Random(ns.seed).sample(ids, ns.reports))
    work = Path(tempfile.mkdtemp(prefix="scale-ingest-"))
    ids_file = work / "ids.txt"
    ids_file.write_text("".join(f"{c.name}:{i}\n" if ":" not in str(i) else f"{i}\n" for i in chosen))
    rows = []
    load = os.getloadavg()  # the machine may be shared: say how busy it was when the runs began
    for threads in (1, 2):
        r = _ingest_once(ib, work, src, ids_file, f"local-{threads}", f"threads = {threads}\n", ["--engine", "local"])
        rows.append({**r, "engine": "local", "workers": threads, "unit": "embedder threads"})
        print(f"[scale] {r['run']}: {r['chunks']} chunks in {r['wall_s']:.1f}s", flush=True)
    proc, address = _start_ray(2)
    try:
        for actors in (1, 2):
            r = _ingest_once(ib, work, src, ids_file, f"ray-{actors}", "threads = 1\n",
                             ["--engine", "ray", "--address", address, "--actors", str(actors)])
            rows.append({**r, "engine": "ray", "workers": actors, "unit": "actor processes"})
            print(f"[scale] {r['run']}: {r['chunks']} chunks in {r['wall_s']:.1f}s", flush=True)
    finally:
        _stop_ray(proc)
    return {"part": "ingest", "reports": ns.reports, "seed": ns.seed, "rows": rows, "cpus": os.cpu_count(),
            "note": f"{os.cpu_count()} cores, 1-min load average {load[0]:.2f} before the runs, {os.getloadavg()[0]:.2f} after"}


# --- tables ----------------------------------------------------------------------------------
def table(res: dict) -> str:
    if res["part"] == "index":
        head = (f"{res['n']:,} vectors x {res['dim']} (grown from {res['seeds']:,} real MiniLM chunk embeddings, "
                f"mean cosine to seed {res['mean_cos_to_seed']:.3f}); {res['queries']} held-out real queries, k = {res['k']}; "
                f"nlist {res['nlist']}, nprobe {res['nprobe']}, PQ m {res['pq_m']} x 8 bits, {res['shards']} shards; "
                f"build with {res['build_threads']} threads, search 1 thread per query (shards: 1 per shard)\n\n")
        lines = ["| structure | index MB | RSS MB | build s | save s | recall@10 | p50 ms | p95 ms |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for r in res["rows"]:
            name = r["structure"] + (" (baseline, exact)" if r["structure"] == "flat" else "")
            lines.append(f"| {name} | {r['index_mb']:.1f} | {r['rss_mb']:.1f} | {r['build_s']:.1f} | {r['save_s']:.1f} | "
                         f"{r['recall10']:.4f} | {r['p50_ms']:.3f} | {r['p95_ms']:.3f} |")
        return head + "\n".join(lines)
    base = res["rows"][0]
    def stored(r: dict) -> int:  # chunks written (rows and vectors); "chunks" in the rows is the texts embedded
        return r["summary"].get("chunks", r["chunks"])

    base_tp = stored(base) / base["wall_s"]
    shared = f"; {res['note']}" if res.get("note") else ""
    lines = [f"{res['reports']} NRC reports (ids drawn with seed {res['seed']}), each run into an empty data dir; "
             "wall = the whole `grounding ingest` process (model load and, for Ray, joining the cluster and starting "
             f"the actors); ingest s = the run's own `seconds`; chunks/s = chunks stored / wall s; texts embedded = "
             f"distinct chunk texts per embedding group (a Ray job is a larger group){shared}\n",
             "| engine | worker processes | reports | chunks | texts embedded | wall s | ingest s | reports/s | chunks/s | vs local-1 |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in res["rows"]:
        tp = stored(r) / r["wall_s"]
        who = (f"1 (embedder {r['workers']} thread{'s' if r['workers'] > 1 else ''})" if r["engine"] == "local"
               else f"{r['workers']} embedder actor{'s (1 thread each)' if r['workers'] > 1 else ' (1 thread)'}")
        lines.append(f"| {r['engine']} | {who} | {r['reports']} | {stored(r)} | {r['chunks']} | {r['wall_s']:.1f} | "
                     f"{r['summary'].get('seconds', float('nan')):.1f} | {r['reports'] / r['wall_s']:.2f} | {tp:.1f} | {tp / base_tp:.2f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    pi = sub.add_parser("index")
    pi.add_argument("--n", type=int, default=1_000_000)
    pi.add_argument("--seeds", type=int, default=4000)
    pi.add_argument("--queries", type=int, default=200)
    pi.add_argument("--nlist", type=int, default=0, help="0 = the power of two nearest sqrt(n)")
    pi.add_argument("--nprobe", type=int, default=16)
    pi.add_argument("--pq-m", type=int, default=48)
    pi.add_argument("--shards", type=int, default=2)
    pi.add_argument("--k", type=int, default=10)
    pi.add_argument("--spread", type=float, default=0.35)
    pi.add_argument("--seed", type=int, default=16)
    pi.add_argument("--batch", type=int, default=50_000)
    pi.add_argument("--build-threads", type=int, default=2)
    pi.add_argument("--tmp", default=str(CACHE / "work"))
    pi.add_argument("--out")
    pg = sub.add_parser("ingest")
    pg.add_argument("--reports", type=int, default=300)
    pg.add_argument("--seed", type=int, default=16)
    pg.add_argument("--out")
    pt = sub.add_parser("table")
    pt.add_argument("file")
    pc = sub.add_parser("_index")
    for a in ("--structure", "--vectors", "--queries", "--truth", "--tmp", "--result"):
        pc.add_argument(a, required=True)
    for a in ("--nlist", "--nprobe", "--pq-m", "--shards", "--k", "--batch", "--build-threads"):
        pc.add_argument(a, type=int, required=True)
    ns = ap.parse_args()
    if ns.cmd == "_index":
        _child_index(ns)
        return
    if ns.cmd == "table":
        print(table(json.loads(Path(ns.file).read_text())))
        return
    res = run_index(ns) if ns.cmd == "index" else run_ingest(ns)
    res["command"] = " ".join(["benchmarks/scale.py", *sys.argv[1:]])
    if ns.out:
        Path(ns.out).parent.mkdir(parents=True, exist_ok=True)
        Path(ns.out).write_text(json.dumps(res, indent=2))
    print(table(res))


if __name__ == "__main__":
    main()
