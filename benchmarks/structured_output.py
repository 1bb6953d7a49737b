"""Free text vs structured claims output (issue 17): the same model, questions and data dir, in one run.

    nice -n 10 .venv/bin/python benchmarks/structured_output.py --data-dir D --questions corpora/eval/test.jsonl [--limit N] [--out F.json]

For each mode (generator.output = text, then claims) every question goes through the full pipeline
(evaluate/runner.run_pipeline, the packaged calibrator, the configured threshold) and is scored by
evaluate/metrics.compute against the set's gold (computed from the records, not by this code). Also
printed: how many answers kept a generated sentence (not the extractive quote), and for claims the
share of kept claims whose own cites already held the checked citation (the rest were re-cited).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from types import SimpleNamespace


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--config", type=Path, default=Path("config.toml"))
    ap.add_argument("--questions", type=Path, default=Path("corpora/eval/test.jsonl"))
    ap.add_argument("--limit", type=int, default=0, help="first N questions only (0 = all)")
    ap.add_argument("--out", type=Path)
    ns = ap.parse_args()

    from grounding.answer.agent import AnswerAgent
    from grounding.config import load_config
    from grounding.evaluate.metrics import compute
    from grounding.evaluate.runner import load_questions, run_pipeline
    from grounding.system import Grounding

    cfg = load_config(ns.config, data_dir=ns.data_dir)
    items = load_questions(ns.questions)
    items = items[: ns.limit] if ns.limit else items
    base = Grounding(cfg).agent
    rows = []
    for mode in ("text", "claims"):
        mcfg = cfg.model_copy(update={"generator": cfg.generator.model_copy(update={"output": mode})})
        agent = AnswerAgent(mcfg, base.store, base.retriever, base.embedder, base.generator, base.onto, base.linker, base.calibrator)
        seen = []

        def ask(q, opts=None, agent=agent):
            a = agent.ask(q, opts)
            seen.append(a)
            return a

        t0 = time.perf_counter()
        results = run_pipeline(SimpleNamespace(agent=SimpleNamespace(ask=ask)), items, threshold=cfg.confidence.threshold)
        wall = time.perf_counter() - t0
        m = compute([r.outcome for r in results], cfg.confidence.threshold)
        generated = [s for a in seen for s in a.sentences if s.status == "supported" and a.route == "single_event" and not a.abstained]
        gen_kept = sum(1 for a in seen if not a.abstained and any(s.status == "supported" for s in a.sentences))
        with_cites = [s for s in generated if s.model_cites is not None]
        own = sum(1 for s in with_cites if set(s.citations) <= set(s.model_cites))
        rows.append({"mode": mode, "wall_s": round(wall, 1), **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()},
                     "answers_with_generated_sentences": gen_kept,
                     "claims_own_cites_held": f"{own}/{len(with_cites)}" if with_cites else "-"})
    keys = ["n", "accuracy", "coverage", "answered_rate_answerable", "abstain_rate_unanswerable", "accuracy_answerable_all",
            "citation_precision", "ece", "auroc", "answers_with_generated_sentences", "claims_own_cites_held", "wall_s"]
    print("| mode | " + " | ".join(keys) + " |")
    print("|---|" + "---|" * len(keys))
    for r in rows:
        print(f"| {r['mode']} | " + " | ".join(str(r[k]) for k in keys) + " |")
    if ns.out:
        ns.out.write_text(json.dumps({"questions": str(ns.questions), "limit": ns.limit, "threshold": cfg.confidence.threshold, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
