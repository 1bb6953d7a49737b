"""Metrics per subset of one eval run (single-event test, aggregate test, distribution, English and Korean twins),
at one or more thresholds, from its results.jsonl: a higher threshold only removes answers.

    .venv/bin/python corpora/eval/score_subsets.py docs/eval/full-2026-12-02 0.6 0.75
"""
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from grounding.evaluate.metrics import Outcome, compute
rows = [json.loads(l) for l in open(sys.argv[1] + "/results.jsonl")]
ids = lambda f: [json.loads(l)["id"] for l in open(REPO / "corpora" / "eval" / f"{f}.jsonl")]
sets = {"test.jsonl (single event, 148)": ids("test"), "aggregate_test (39)": ids("aggregate_test"), "distribution (7)": ids("aggregate_distribution"),
        "twins EN (80)": [i for i in ids("bilingual_test") if not i.endswith("k")], "twins KO (80)": [i for i in ids("bilingual_test") if i.endswith("k")]}
by = {r["id"]: r for r in rows}
K = ["n", "accuracy", "coverage", "abstain_rate_unanswerable", "answered_rate_answerable", "citation_precision", "ece", "auroc", "brier"]
for t in [float(x) for x in sys.argv[2:]]:
    print(f"\n| subset (t = {t}) | " + " | ".join(K) + " |"); print("|---" * (len(K) + 1) + "|")
    for name, ii in sets.items():
        outs = []
        for i in ii:
            r = by[i]
            answered = r["answered"] and r["confidence"] > t  # a higher t only removes answers (hard abstentions stay)
            outs.append(Outcome(r["answerable"], answered, r["correct"], r["confidence"], r["cited_reports"] if answered else [], r["gold_reports"]))
        m = compute(outs, t)
        print(f"| {name} | " + " | ".join(f"{m[k]:.3f}" if isinstance(m[k], float) else str(m[k]) for k in K) + " |")
