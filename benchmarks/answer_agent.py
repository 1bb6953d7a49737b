"""Answer-agent benchmark: retrieval recall per mode, per-stage latency, generator backends.

Run after ingesting the bundled corpora into the data dir (`make demo` does):

    .venv/bin/python benchmarks/answer_agent.py [--config config.toml] [--questions corpora/eval/dev.jsonl]
        [--latency-n 50] [--backends transformers,llamacpp] [--out out/bench-answer]

Prints three tables and writes them as JSON:
1. recall@5 / recall@20 (share of answerable questions whose gold report is among the first k distinct
   reports) for dense only, BM25 only, hybrid (RRF) and hybrid + metadata + KG, all in this one run;
2. p50/p95 milliseconds per stage (retrieve, kg, generate, verify, total) of `ask` on the first N questions;
3. generation latency and tokens/s of each generator backend on the same prompts (llama.cpp if importable).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from grounding.answer.agent import AskOptions  # noqa: E402
from grounding.config import load_config  # noqa: E402
from grounding.evaluate.runner import load_questions  # noqa: E402
from grounding.answer.prompts import answer_messages  # noqa: E402
from grounding.system import Grounding  # noqa: E402

MODES = ["dense", "bm25", "hybrid", "full"]


def distinct_reports(hits) -> list[str]:
    return list(dict.fromkeys(h.report_id for h in hits))


def recall_table(system: Grounding, items: list[dict]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for mode in MODES:
        r5 = r20 = 0
        t0 = time.perf_counter()
        for it in items:
            concepts = system.linker.concepts(it["question"]) if system.linker else []
            reps = distinct_reports(system.retriever.search(it["question"], 60, mode=mode, question_concepts=concepts))
            gold = set(it["gold_reports"])
            r5 += bool(gold & set(reps[:5]))
            r20 += bool(gold & set(reps[:20]))
        n = len(items)
        out[mode] = {"recall@5": r5 / n, "recall@20": r20 / n, "ms_per_query": (time.perf_counter() - t0) * 1000 / n}
    return out


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(xs, q)) if xs else float("nan")


def latency_table(system: Grounding, items: list[dict]) -> dict[str, dict[str, float]]:
    stages: dict[str, list[float]] = {}
    for it in items:
        ans = system.agent.ask(it["question"], AskOptions(threshold=0.0))
        for k, v in ans.timings_ms.items():
            stages.setdefault(k, []).append(v)
    return {k: {"p50": pct(v, 50), "p95": pct(v, 95)} for k, v in stages.items()}


def backend_table(system: Grounding, items: list[dict], backends: list[str]) -> dict[str, dict[str, float]]:
    from grounding.generate.factory import make_generator

    prompts = []
    for it in items:
        hits = system.retriever.search(it["question"], system.cfg.retrieval.top_k)
        prompts.append(answer_messages(it["question"], [(f"P{i}", h.text) for i, h in enumerate(hits, 1)]))
    out: dict[str, dict[str, float]] = {}
    sampling = system.cfg.generator.sampling.model_copy(update={"num_samples": 1, "temperature": 0.0})
    for name in backends:
        cfg = system.cfg.generator.model_copy(update={"backend": name})
        try:
            t = time.perf_counter()
            gen = make_generator(cfg, system.data_dir)
            gen.generate(prompts[0], sampling)  # load + warm up
            load_s = time.perf_counter() - t
        except Exception as exc:  # a backend that is not installed is reported, not fatal
            out[name] = {"error": f"{type(exc).__name__}: {exc}"[:120]}  # type: ignore[dict-item]
            continue
        lat, toks = [], 0
        for p in prompts:
            t = time.perf_counter()
            g = gen.generate(p, sampling)[0]
            lat.append((time.perf_counter() - t) * 1000)
            toks += len(g.tokens)
        out[name] = {"first_call_s": load_s, "p50_ms": pct(lat, 50), "p95_ms": pct(lat, 95), "tokens_per_s": toks / (sum(lat) / 1000)}
    return out


def print_table(title: str, rows: dict[str, dict], cols: list[str]) -> None:
    print(f"\n{title}")
    print("| " + " | ".join(["", *cols]) + " |")
    print("|" + "---|" * (len(cols) + 1))
    for name, r in rows.items():
        cells = [f"{r[c]:.3f}" if isinstance(r.get(c), float) else str(r.get(c, "")) for c in cols]
        print("| " + " | ".join([name, *cells]) + " |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="config.toml")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--questions", default="corpora/eval/dev.jsonl")
    ap.add_argument("--latency-n", type=int, default=50)
    ap.add_argument("--backend-n", type=int, default=20)
    ap.add_argument("--backends", default="transformers,llamacpp")
    ap.add_argument("--out", default="out/bench-answer")
    args = ap.parse_args(argv)
    system = Grounding(load_config(args.config, args.data_dir))
    items = [q for q in load_questions(Path(args.questions)) if q["answerable"] and q["gold_reports"]]
    known = system.store.get_reports(g for q in items for g in q["gold_reports"])
    items = [q for q in items if all(g in known for g in q["gold_reports"])]
    print(f"{len(items)} answerable questions whose gold reports are indexed; {system.stats()}")
    recall = recall_table(system, items)
    print_table("Retrieval recall (distinct reports)", recall, ["recall@5", "recall@20", "ms_per_query"])
    latency = latency_table(system, items[: args.latency_n]) if args.latency_n else {}
    if latency:
        print_table(f"ask latency in ms, {min(args.latency_n, len(items))} questions", latency, ["p50", "p95"])
    backends = backend_table(system, items[: args.backend_n], args.backends.split(",")) if args.backend_n else {}
    if backends:
        print_table(f"generator backends, {min(args.backend_n, len(items))} prompts", backends,
                    ["first_call_s", "p50_ms", "p95_ms", "tokens_per_s", "error"])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"answer_agent-{Path(args.questions).stem}.json").write_text(json.dumps({"recall": recall, "latency": latency, "backends": backends, "n": len(items)}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
