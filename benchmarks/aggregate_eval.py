#!/usr/bin/env python3
"""The aggregate eval (and a full-corpus data dir for it without embedding anything).

    # a data dir holding every report in SQL, built by the project's own ingest (adapters, SQL, chunks,
    # ontology links) with a constant embedder: the aggregate route reads SQL only, never the vectors
    .venv/bin/python benchmarks/aggregate_eval.py --build --data-dir /tmp/agg-full
    # score a question file (the evaluator of `grounding eval`: run_pipeline + metrics, exact aggregate scoring)
    .venv/bin/python benchmarks/aggregate_eval.py --data-dir /tmp/agg-full --questions corpora/eval/aggregate_test.jsonl

With a normally ingested data dir `grounding --data-dir DIR eval --questions ... --no-baseline --out OUT` gives
the same figures; this script exists because `grounding eval` refuses an index built by another embedder.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class ConstEmbedder:
    """Every text -> the same unit vector (the SQL-only data dir's index records this name)."""

    name = "const:sql-only"
    dim = 384

    def embed_passages(self, texts):
        v = np.zeros((len(texts), self.dim), dtype="float32")
        v[:, 0] = 1.0
        return v

    def embed_queries(self, texts):
        return self.embed_passages(texts)


def system_for(config: str, data_dir: str):
    from grounding.config import load_config
    from grounding.system import Grounding

    cfg = load_config(config, data_dir=data_dir)
    g = Grounding(cfg)
    meta = cfg.data_dir / "index"
    if any("const:sql-only" in p.read_text(errors="ignore") for p in meta.glob("*.json")) if meta.exists() else False:
        g.use(embedder=ConstEmbedder())
    return g


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default=str(ROOT / "config.toml"))
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--build", action="store_true", help="ingest every configured corpus into --data-dir, SQL only")
    ap.add_argument("--questions", nargs="*", default=[])
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--out", default="", help="write per-question rows (JSONL) here")
    args = ap.parse_args()
    if args.build:
        from grounding.config import load_config
        from grounding.system import Grounding

        g = Grounding(load_config(args.config, data_dir=args.data_dir), embedder=ConstEmbedder())
        s = g.ingestor().run()
        print(f"ingested {s.ingested} reports into {args.data_dir} (SQL only)")
    from grounding.evaluate.metrics import compute
    from grounding.evaluate.runner import load_questions, run_pipeline

    rows = []
    for qf in args.questions:
        g = system_for(args.config, args.data_dir)
        th = g.cfg.confidence.threshold if args.threshold is None else args.threshold
        items = load_questions(Path(qf))
        res = run_pipeline(g, items, th)
        m = compute([r.outcome for r in res], th)
        answerable = [r for r in res if r.outcome.answerable]
        answered = [r for r in answerable if r.outcome.answered]
        wrong = [r for r in res if r.outcome.answered and not r.outcome.correct]
        by_kind = collections.defaultdict(lambda: [0, 0, 0])
        for r in res:
            k = by_kind[r.item.get("kind", "?")]
            k[0] += 1
            k[1] += r.outcome.answered
            k[2] += (r.outcome.answered and r.outcome.correct) or (not r.outcome.answerable and not r.outcome.answered)
        print(f"{qf}: {len(res)} questions ({len(answerable)} answerable), threshold {th}")
        print(f"  exact among answered answerable: {sum(r.outcome.correct for r in answered)}/{len(answered)} = "
              f"{(sum(r.outcome.correct for r in answered) / len(answered)) if answered else math.nan:.3f}")
        print(f"  answered of answerable: {len(answered)}/{len(answerable)} = {len(answered) / len(answerable) if answerable else math.nan:.3f}")
        print(f"  wrong (answered and not correct, incl. unanswerable answered): {len(wrong)}/{len(res)} = {len(wrong) / len(res):.3f}")
        print(f"  unanswerable abstained: {m['abstain_rate_unanswerable']:.3f}; evaluator metrics: accuracy {m['accuracy']:.3f}, "
              f"coverage {m['coverage']:.3f}, penalized score {m['penalized_score']:.3f}, ECE {m['ece']:.3f}")
        print("  by kind (n, answered, right):", {k: tuple(v) for k, v in sorted(by_kind.items())})
        for r in wrong:
            print(f"  WRONG {r.item['id']}: {r.item['question']} -> {r.answer[:160]} | gold {json.dumps(r.item['answer'])[:160]}")
        rows += [r.row() for r in res]
    if args.out:
        Path(args.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
