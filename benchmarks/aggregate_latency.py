#!/usr/bin/env python3
"""Latency of aggregate / distribution answers through `AnswerAgent.ask` (the full ask path, no model call).

    .venv/bin/python benchmarks/aggregate_latency.py --data-dir /tmp/full-data [--config config.toml] \
        [--questions corpora/eval/aggregate_test.jsonl ...] [--repeat 5] [--json out.json]

Each question is asked once to warm up (the first ask loads the index and reads the facility list),
then `--repeat` times; the table gives p50 / p95 / max of the wall time per route kind and overall.
Latency depends on the machine and its load: it is measured here, never asserted in a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "config.toml"))
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--questions", nargs="*", default=[str(ROOT / "corpora/eval/aggregate_dev.jsonl"), str(ROOT / "corpora/eval/aggregate_test.jsonl")])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", default="")
    args = ap.parse_args()

    from grounding.answer.agent import AskOptions
    from benchmarks.aggregate_eval import system_for  # a SQL-only data dir (aggregate_eval.py --build) works too

    g = system_for(args.config, args.data_dir)
    agent = g.agent
    items = [json.loads(line) for f in args.questions for line in Path(f).read_text(encoding="utf-8").splitlines() if line.strip()]
    times: dict[str, list[float]] = {}
    for it in items:
        agent.ask(it["question"], AskOptions())
    for _ in range(args.repeat):
        for it in items:
            t = time.perf_counter()
            ans = agent.ask(it["question"], AskOptions())
            ms = (time.perf_counter() - t) * 1000
            kind = ans.route if ans.route != "aggregate" else f"aggregate/{ans.aggregate.get('kind', '')}"
            if ans.aggregate and ans.aggregate.get("unmapped"):
                kind = f"{ans.route}/abstained"
            times.setdefault(kind, []).append(ms)
    all_ms = [x for v in times.values() for x in v]
    agg_ms = [x for k, v in times.items() if k.startswith("aggregate/") and not k.endswith("/abstained") for x in v]
    rows = [(k, len(v), statistics.median(v), pct(v, 95), max(v)) for k, v in sorted(times.items())]
    if agg_ms:
        rows.append(("aggregate answers (all kinds)", len(agg_ms), statistics.median(agg_ms), pct(agg_ms, 95), max(agg_ms)))
    rows.append(("all", len(all_ms), statistics.median(all_ms), pct(all_ms, 95), max(all_ms)))
    n_reports = g.store.count(__import__("grounding.store.schema", fromlist=["Report"]).Report)
    print(f"data dir {args.data_dir} ({n_reports:,} reports, {g.store.dialect}); {len(items)} questions x {args.repeat}")
    print(f"{'route':<31}{'asks':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for k, n, p50, p95, mx in rows:
        print(f"{k:<31}{n:>6}{p50:>10.1f}{p95:>10.1f}{mx:>10.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"reports": n_reports, "dialect": g.store.dialect, "rows": [
            {"route": k, "asks": n, "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "max_ms": round(mx, 1)} for k, n, p50, p95, mx in rows]}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
