"""First answer and steady answer latency, per generator backend, side by side in one run.

    .venv/bin/python benchmarks/first_answer.py --data-dir .grounding [--n 30] [--backends xllamacpp transformers]

For each backend:
- first ask: wall time of a fresh `grounding ask` process on an ingested data dir (imports, model
  load, index loads and the answer: what a user waits for after `grounding ingest`);
- steady: p50 / p95 of `ask` (whole pipeline, ms) over the first N bundled dev questions, in one
  process after a warm-up question, and the generation stage alone.

Run on the data dir `make demo` leaves (or a full ingest). The load average is printed: other
processes on a 2-core machine change every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
QUESTION = "What caused Turkey Point Units 3 and 4 to trip on February 26, 2008?"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def first_ask(config: Path, data_dir: Path, backend: str) -> float:
    """A fresh process, as a user runs it, with the backend set in a copy of the config beside it."""
    import re

    text = config.read_text(encoding="utf-8")
    text, n = re.subn(r'(?m)^(\[generator\][^\[]*?^backend\s*=\s*)"[^"]*"', rf'\g<1>"{backend}"', text)
    if n != 1:
        raise SystemExit(f"{config}: no [generator] backend line to set")
    copy = config.with_name(f".bench-{backend}.toml")  # same folder: its relative paths resolve the same
    copy.write_text(text, encoding="utf-8")
    try:
        t0 = time.perf_counter()
        res = subprocess.run(
            [str(REPO / ".venv" / "bin" / "grounding"), "--config", str(copy), "--data-dir", str(data_dir), "ask", "--json", QUESTION],
            capture_output=True, text=True, check=False,
        )
        wall = time.perf_counter() - t0
    finally:
        copy.unlink()
    if res.returncode != 0:
        raise SystemExit(f"grounding ask ({backend}) failed: {res.stderr.strip()[-500:]}")
    return wall


def steady(config: Path, data_dir: Path, backend: str, questions: list[str]) -> dict:
    from grounding.config import load_config
    from grounding.system import Grounding

    cfg = load_config(config, data_dir)
    cfg.generator.backend = backend
    g = Grounding(cfg)
    g.agent.ask(QUESTION)  # warm-up: models and indexes loaded
    total, gen, generated = [], [], 0
    for q in questions:
        ans = g.agent.ask(q)
        total.append(ans.timings_ms["total"])
        if ans.raw_generation:
            generated += 1
            gen.append(ans.timings_ms["generate"])
    return {
        "n": len(questions),
        "generated": generated,
        "p50_ms": statistics.median(total),
        "p95_ms": pct(total, 0.95),
        "gen_p50_ms": statistics.median(gen) if gen else 0.0,
        "gen_p95_ms": pct(gen, 0.95) if gen else 0.0,
        "generator": g.generator.name,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", type=Path, default=REPO / "config.toml")
    ap.add_argument("--data-dir", type=Path, default=REPO / ".grounding")
    ap.add_argument("--questions", type=Path, default=REPO / "corpora" / "eval" / "dev.jsonl")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--backends", nargs="+", default=["xllamacpp", "transformers"])
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "first_answer.json")
    args = ap.parse_args()
    lines = args.questions.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(x)["question"] for x in lines if x.strip()][: args.n]
    rows = {}
    for b in args.backends:
        # Twice: the first run of a backend also pays one-time costs (a GGUF conversion for transformers).
        cold = [first_ask(args.config, args.data_dir.resolve(), b) for _ in range(2)]
        rows[b] = {"first_ask_s": cold, **steady(args.config, args.data_dir.resolve(), b, questions)}
    print(f"load average {os.getloadavg()[0]:.2f} (2 cores); {len(questions)} questions from {args.questions.name}")
    print("| backend | first ask (fresh process), s | steady p50 ms | steady p95 ms | generation p50 ms | generation p95 ms | generated |")
    print("|---|---|---|---|---|---|---|")
    for b, r in rows.items():
        print(f"| {r['generator']} | {r['first_ask_s'][0]:.1f} then {r['first_ask_s'][1]:.1f} | {r['p50_ms']:.0f} | "
              f"{r['p95_ms']:.0f} | {r['gen_p50_ms']:.0f} | {r['gen_p95_ms']:.0f} | {r['generated']}/{r['n']} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"load_average": os.getloadavg()[0], "backends": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
