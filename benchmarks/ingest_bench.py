"""Ingest benchmarks: full NRC corpus vs the raw embedder, no-op and +100 re-ingests, scaling.

    python benchmarks/ingest_bench.py full  [--out benchmarks/results/ingest_full.json]
    python benchmarks/ingest_bench.py scale [--out benchmarks/results/ingest_scale.json]
    python benchmarks/ingest_bench.py table FILE.json...      # print the tables again

`full` (about 2 x the embedding time of the corpus):
  1. chunks the corpus with the pipeline's own code to get the exact chunk texts;
  2. raw embedder (the configured model's `embed_passages`, all texts in one call, so it
     sorts by length globally) on one random half of those texts, in a child process;
  3. `grounding ingest` on the full corpus into an empty data dir, in a child process
     (wall time from spawn to exit: interpreter start, imports, model load included);
  4. raw embedder on the other half (the two halves sandwich the pipeline run, so load
     changes on a shared machine hit both sides alike);
  5. the same `grounding ingest` again (no-op), then again after appending 100 new reports.
  Throughput ratio = pipeline chunks/s / raw chunks/s, by wall time and by CPU time (user+sys
  of each child, less sensitive to other processes on a shared machine).

`scale`: the pipeline on the first 1k / 4k / 12k reports and a 10x synthetic corpus
(copies of the NRC reports with new ids), twice:
  - with the real embedder at 1k and 4k (12k is the `full` run),
  - with a stub embedder (hash -> random unit vector, no model) at all sizes including 10x,
    which measures everything but the model: reading, cleaning, chunking, SQL, FAISS,
    checkpoints. Embedding cost per chunk is constant, so if this part is flat per report
    the total is too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NRC = REPO / "corpora" / "nrc" / "events.jsonl.gz"
PY = sys.executable
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


# --- helpers ---------------------------------------------------------------------------------
def _self_usage() -> dict:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_mb": ru.ru_maxrss / 1024}


def nrc_lines(n: int | None = None) -> list[str]:
    with gzip.open(NRC, "rt", encoding="utf-8") as fh:
        lines = [l for l in fh if l.strip()]
    return lines[:n] if n else lines


def synthetic_lines(factor: int) -> list[str]:
    """factor x the NRC corpus: copy k gets ids event_number + k * 10_000_000."""
    base = [json.loads(l) for l in nrc_lines()]
    out = []
    for k in range(factor):
        for r in base:
            out.append(json.dumps({**r, "event_number": int(r["event_number"]) + k * 10_000_000}) + "\n")
    return out


def nrc_corpus_toml(path: Path) -> str:
    """The bundled config's NRC corpus table, pointing at `path`."""
    from grounding.config import load_config

    c = next(c for c in load_config(REPO / "config.toml").corpus if c.name == "nrc")
    d = c.model_dump()
    d["path"] = str(path)
    lines = ["[[corpus]]"]
    for k, v in d.items():
        if isinstance(v, dict):
            continue
        if v in ("", [], None):
            continue
        lines.append(f"{k} = {json.dumps(v)}")
    return "\n".join(lines) + "\n"


def write_config(folder: Path, corpus_path: Path, checkpoint_every: int = 2048, backend: str = "minilm") -> Path:
    from grounding.config import load_config

    onto = load_config(REPO / "config.toml").ontology
    files = [str(REPO / f) for f in onto.files if (REPO / f).exists()]
    text = (
        f'[storage]\ndata_dir = "{folder / "data"}"\ncheckpoint_every = {checkpoint_every}\n\n'
        f'[embedder]\nbackend = "{backend}"\n\n'
        f"[ontology]\nfiles = {json.dumps(files)}\nimport_dirs = {json.dumps([str(REPO / d) for d in onto.import_dirs])}\n\n"
        + nrc_corpus_toml(corpus_path)
    )
    cfg = folder / "config.toml"
    cfg.write_text(text)
    return cfg


def child(args: list[str]) -> dict:
    """Run this script in a child process; returns its JSON result plus the wall time seen from here."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    t0 = time.perf_counter()
    proc = subprocess.run([PY, __file__, args[0], "--result", out, *args[1:]], cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"child {args[0]} failed ({proc.returncode})")
    res = json.loads(Path(out).read_text())
    os.unlink(out)
    res["wall_s"] = wall
    return res


def chunk_texts(cfg_path: Path) -> list[str]:
    """The chunk texts the pipeline will embed (unique, as the pipeline dedupes them)."""
    from grounding.config import load_config
    from grounding.ingest.adapters import adapter_for
    from grounding.ingest.chunking import Chunker
    from grounding.ingest.records import RawRecord, to_draft

    cfg = load_config(cfg_path)
    chunker = Chunker(cfg.chunking)
    texts: dict[str, None] = {}
    for c in cfg.corpus:
        seen: dict[str, int] = {}
        drafts = []
        for rec in adapter_for(c.format).read(c, cfg.resolve(c.path)):
            if isinstance(rec, RawRecord):
                d = to_draft(c, rec, cfg.chunking.max_report_chars)
                if hasattr(d, "text"):
                    seen[d.id] = len(drafts)  # duplicates = "last": the last occurrence wins
                    drafts.append(d)
        for i in sorted(seen.values()):
            for ch in chunker.split(drafts[i].text):
                texts[ch.text] = None
    return list(texts)


# --- children --------------------------------------------------------------------------------
def run_raw(ns) -> dict:
    from grounding.config import EmbedderConfig
    from grounding.embed.factory import make_embedder

    texts = json.loads(Path(ns.texts).read_text())
    t0 = time.perf_counter()
    emb = make_embedder(EmbedderConfig(backend=ns.backend))
    load_s = time.perf_counter() - t0
    c0 = _self_usage()["cpu_s"]
    t1 = time.perf_counter()
    vecs = emb.embed_passages(texts)
    enc_s = time.perf_counter() - t1
    cpu = _self_usage()["cpu_s"] - c0
    assert vecs.shape[0] == len(texts)
    return {"texts": len(texts), "load_s": load_s, "encode_s": enc_s, "encode_cpu_s": cpu, **_self_usage()}


def run_cli(ns) -> dict:
    from grounding.cli.main import app

    t0 = time.perf_counter()
    try:
        app(ns.cli_args, standalone_mode=False)
    except SystemExit as exc:
        if exc.code:
            raise
    return {"in_process_s": time.perf_counter() - t0, **_self_usage()}


class StubEmbedder:
    """No model: a deterministic random unit vector per text (measures everything but the model)."""

    name = "stub"
    dim = 384

    def embed_passages(self, texts):
        import numpy as np

        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = np.random.default_rng(zlib.crc32(t.encode())).standard_normal(self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    embed_queries = embed_passages


def run_stub(ns) -> dict:
    from grounding.config import load_config
    from grounding.system import Grounding

    cfg = load_config(ns.config)
    g = Grounding(cfg)
    g.use(embedder=StubEmbedder())
    c0, t0 = _self_usage()["cpu_s"], time.perf_counter()
    s = g.ingestor().run()
    first, first_cpu = time.perf_counter() - t0, _self_usage()["cpu_s"] - c0
    c1, t1 = _self_usage()["cpu_s"], time.perf_counter()
    s2 = g.ingestor().run()
    noop, noop_cpu = time.perf_counter() - t1, _self_usage()["cpu_s"] - c1
    return {"reports": s.ingested, "chunks": s.chunks, "seconds": first, "cpu_seconds": first_cpu, "noop_seconds": noop,
            "noop_cpu_seconds": noop_cpu, "noop_unchanged": s2.unchanged, **_self_usage()}


# --- experiments -------------------------------------------------------------------------------
def full(ns) -> dict:
    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    corpus = work / "nrc.jsonl"
    lines = nrc_lines(ns.limit)
    corpus.write_text("".join(lines))
    cfg = write_config(work, corpus)
    texts = chunk_texts(cfg)
    random.Random(7).shuffle(texts)
    half = len(texts) // 2
    (work / "a.json").write_text(json.dumps(texts[:half]))
    (work / "b.json").write_text(json.dumps(texts[half:]))
    print(f"[bench] {len(lines)} reports, {len(texts)} unique chunk texts; work dir {work}", flush=True)
    raw_a = child(["_raw", "--texts", str(work / "a.json"), "--backend", ns.backend])
    print(f"[bench] raw half A: {raw_a['texts']} texts in {raw_a['encode_s']:.1f}s", flush=True)
    cli = ["--config", str(cfg), "ingest", "-q", "--json"]
    pipe = child(["_cli", "--", *cli])
    print(f"[bench] pipeline: {pipe['wall_s']:.1f}s wall, peak RSS {pipe['peak_rss_mb']:.0f} MB", flush=True)
    raw_b = child(["_raw", "--texts", str(work / "b.json"), "--backend", ns.backend])
    print(f"[bench] raw half B: {raw_b['texts']} texts in {raw_b['encode_s']:.1f}s", flush=True)
    noop = child(["_cli", "--", *cli])
    print(f"[bench] no-op: {noop['wall_s']:.1f}s", flush=True)
    base = [json.loads(l) for l in lines[:100]]
    extra = [json.dumps({**r, "event_number": int(r["event_number"]) + 90_000_000}) + "\n" for r in base]
    with open(corpus, "a") as fh:
        fh.writelines(extra)
    add100 = child(["_cli", "--", *cli])
    print(f"[bench] +100: {add100['wall_s']:.1f}s", flush=True)
    from grounding.config import load_config
    from grounding.store.sql import SqlStore

    c = load_config(cfg)
    run_stats = {}
    st = SqlStore(c.database_url)
    from sqlalchemy import select

    from grounding.store.schema import IngestRun

    with st.session() as s:
        runs = list(s.scalars(select(IngestRun).order_by(IngestRun.id)))
        run_stats = [r.stats for r in runs]
    n_chunks = st.stats()["chunks"]
    raw_s = raw_a["encode_s"] + raw_b["encode_s"]
    raw_cpu = raw_a["encode_cpu_s"] + raw_b["encode_cpu_s"]
    embedded = run_stats[0]["embedded"]
    res = {
        "machine": machine(),
        "reports": len(lines),
        "unique_chunk_texts": len(texts),
        "chunks": run_stats[0]["chunks"],
        "embedded": embedded,
        "chunks_after_add100": n_chunks,
        "raw": {"texts": len(texts), "encode_s": raw_s, "encode_cpu_s": raw_cpu, "chunks_per_s": len(texts) / raw_s,
                "chunks_per_cpu_s": len(texts) / raw_cpu, "peak_rss_mb": max(raw_a["peak_rss_mb"], raw_b["peak_rss_mb"])},
        "pipeline": {"wall_s": pipe["wall_s"], "cpu_s": pipe["cpu_s"], "run_s": run_stats[0]["seconds"],
                     "chunks_per_s": embedded / pipe["wall_s"], "chunks_per_cpu_s": embedded / pipe["cpu_s"],
                     "peak_rss_mb": pipe["peak_rss_mb"], "summary": run_stats[0]},
        "noop": {"wall_s": noop["wall_s"], "run_s": run_stats[1]["seconds"], "summary": run_stats[1]},
        "add100": {"wall_s": add100["wall_s"], "run_s": run_stats[2]["seconds"], "summary": run_stats[2]},
    }
    res["ratio_wall"] = res["pipeline"]["chunks_per_s"] / res["raw"]["chunks_per_s"]
    res["ratio_cpu"] = res["pipeline"]["chunks_per_cpu_s"] / res["raw"]["chunks_per_cpu_s"]
    res["noop_share"] = noop["wall_s"] / pipe["wall_s"]
    res["add100_share"] = add100["wall_s"] / pipe["wall_s"]
    return res


def scale(ns) -> dict:
    sizes = [int(s) for s in ns.sizes.split(",")]
    out: dict = {"machine": machine(), "real": [], "stub": []}
    all_lines = nrc_lines()
    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"ingest-scale-{n}-"))
        corpus = work / "nrc.jsonl"
        corpus.write_text("".join(all_lines[:n]))
        cfg = write_config(work, corpus)
        r = child(["_stub", "--config", str(cfg)])
        out["stub"].append({"reports": n, **r, "ms_per_report": 1000 * r["seconds"] / n, "noop_ms_per_report": 1000 * r["noop_seconds"] / n,
                            "cpu_ms_per_report": 1000 * r.get("cpu_seconds", float("nan")) / n})
        print(f"[scale] stub {n}: {r['seconds']:.1f}s ({1000 * r['seconds'] / n:.2f} ms/report)", flush=True)
    if ns.factor:
        work = Path(tempfile.mkdtemp(prefix="ingest-scale-10x-"))
        corpus = work / "nrc.jsonl"
        lines = synthetic_lines(ns.factor)
        corpus.write_text("".join(lines))
        cfg = write_config(work, corpus)
        r = child(["_stub", "--config", str(cfg)])
        n = len(lines)
        out["stub"].append({"reports": n, "synthetic": f"{ns.factor}x", **r, "ms_per_report": 1000 * r["seconds"] / n,
                            "noop_ms_per_report": 1000 * r["noop_seconds"] / n, "cpu_ms_per_report": 1000 * r["cpu_seconds"] / n})
        print(f"[scale] stub {ns.factor}x ({n}): {r['seconds']:.1f}s ({1000 * r['seconds'] / n:.2f} ms/report)", flush=True)
    for n in [int(s) for s in ns.real_sizes.split(",") if s]:
        work = Path(tempfile.mkdtemp(prefix=f"ingest-scale-real-{n}-"))
        corpus = work / "nrc.jsonl"
        corpus.write_text("".join(all_lines[:n]))
        cfg = write_config(work, corpus)
        r = child(["_cli", "--", "--config", str(cfg), "ingest", "-q", "--json"])
        from grounding.config import load_config
        from grounding.store.sql import SqlStore

        st = SqlStore(load_config(cfg).database_url)
        chunks = st.stats()["chunks"]
        out["real"].append({"reports": n, "chunks": chunks, "wall_s": r["wall_s"], "s_per_report": r["wall_s"] / n,
                            "ms_per_chunk": 1000 * r["wall_s"] / chunks, "peak_rss_mb": r["peak_rss_mb"]})
        print(f"[scale] real {n}: {r['wall_s']:.1f}s", flush=True)
    return out


def machine() -> dict:
    import platform

    load = os.getloadavg()
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "loadavg_at_start": [round(x, 2) for x in load],
            "date": time.strftime("%Y-%m-%d %H:%M")}


# --- tables ----------------------------------------------------------------------------------
def print_tables(res: dict) -> None:
    if "pipeline" in res:
        p, r = res["pipeline"], res["raw"]
        print(f"\nFull corpus: {res['reports']:,} reports, {res['chunks']:,} chunks ({res['embedded']:,} embedded), "
              f"{res['machine']['cpus']} CPUs, load at start {res['machine']['loadavg_at_start']}")
        print("| measure | raw embedder | pipeline (`grounding ingest`) | ratio | target |")
        print("|---|---|---|---|---|")
        print(f"| chunks/s (wall) | {r['chunks_per_s']:.2f} | {p['chunks_per_s']:.2f} | {res['ratio_wall']:.1%} | >= 80% |")
        print(f"| chunks per CPU-second | {r['chunks_per_cpu_s']:.2f} | {p['chunks_per_cpu_s']:.2f} | {res['ratio_cpu']:.1%} | >= 80% |")
        print(f"| wall time | {r['encode_s']:.0f} s (encode only) | {p['wall_s']:.0f} s (process start to exit) | | |")
        print(f"| peak RSS | {r['peak_rss_mb']:.0f} MB | {p['peak_rss_mb']:.0f} MB | | <= 2048 MB |")
        print("\n| run | wall (process) | inside run() | share of full run | target |")
        print("|---|---|---|---|---|")
        print(f"| full | {p['wall_s']:.1f} s | {p['run_s']:.1f} s | 100% | |")
        print(f"| no-op re-ingest | {res['noop']['wall_s']:.1f} s | {res['noop']['run_s']:.1f} s | {res['noop_share']:.2%} | <= 5% |")
        a = res["add100"]
        print(f"| +100 new reports | {a['wall_s']:.1f} s | {a['run_s']:.1f} s | {res['add100_share']:.2%} | <= 3% |")
        print(f"\n(+100 run: {a['summary']['ingested']} ingested, {a['summary']['embedded']} chunks embedded, "
              f"{a['summary']['unchanged']:,} unchanged)")
    if "stub" in res:
        print("\nScaling, stub embedder (everything but the model):")
        print("| reports | chunks | seconds (wall) | ms/report (wall) | ms/report (CPU) | no-op ms/report (wall) | peak RSS |")
        print("|---|---|---|---|---|---|---|")
        for s in res["stub"]:
            name = f"{s['reports']:,}" + (f" ({s['synthetic']} synthetic)" if s.get("synthetic") else "")
            cpu = 1000 * s["cpu_seconds"] / s["reports"] if "cpu_seconds" in s else float("nan")
            print(f"| {name} | {s['chunks']:,} | {s['seconds']:.1f} | {s['ms_per_report']:.2f} | {cpu:.2f} | {s['noop_ms_per_report']:.3f} | {s['peak_rss_mb']:.0f} MB |")
        if res.get("real"):
            print("\nScaling, real embedder (`grounding ingest`, process wall time):")
            print("| reports | chunks | seconds | s/report | ms/chunk | peak RSS |")
            print("|---|---|---|---|---|---|")
            for s in res["real"]:
                print(f"| {s['reports']:,} | {s['chunks']:,} | {s['wall_s']:.0f} | {s['s_per_report']:.3f} | {s['ms_per_chunk']:.1f} | {s['peak_rss_mb']:.0f} MB |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("full")
    f.add_argument("--out", default="/tmp/ingest_bench/ingest_full.json")
    f.add_argument("--limit", type=int, default=0, help="first N reports only (a quick trial)")
    f.add_argument("--backend", default="minilm")
    s = sub.add_parser("scale")
    s.add_argument("--out", default="/tmp/ingest_bench/ingest_scale.json")
    s.add_argument("--sizes", default="1000,4000,11837")
    s.add_argument("--factor", type=int, default=10)
    s.add_argument("--real-sizes", default="1000,4000")
    t = sub.add_parser("table")
    t.add_argument("files", nargs="+")
    for name in ("_raw", "_cli", "_stub"):
        c = sub.add_parser(name)
        c.add_argument("--result", required=True)
        c.add_argument("--texts")
        c.add_argument("--backend", default="minilm")
        c.add_argument("--config")
        c.add_argument("cli_args", nargs="*")
    ns = ap.parse_args()
    if ns.cmd.startswith("_"):
        res = {"_raw": run_raw, "_cli": run_cli, "_stub": run_stub}[ns.cmd](ns)
        Path(ns.result).write_text(json.dumps(res))
        return
    if ns.cmd == "table":
        for fn in ns.files:
            print_tables(json.loads(Path(fn).read_text()))
        return
    res = full(ns) if ns.cmd == "full" else scale(ns)
    out = Path(ns.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2))
    print_tables(res)
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
