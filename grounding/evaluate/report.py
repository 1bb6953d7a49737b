"""Write an evaluation: metrics.json, report.md, per-question results, reliability and risk-coverage PNGs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from grounding.evaluate.metrics import compute, reliability, risk_coverage  # noqa: E402
from grounding.evaluate.matching import AGGREGATE_TYPES  # noqa: E402
from grounding.evaluate.runner import Result  # noqa: E402
from grounding.text.korean import has_hangul  # noqa: E402

KEYS = [
    "n", "accuracy", "coverage", "abstain_rate_unanswerable", "answered_rate_answerable", "accuracy_answerable_all",
    "citation_precision", "citation_recall", "penalized_score", "ece", "auroc", "brier",
]


def _arrays(results: list[Result]) -> tuple[np.ndarray, np.ndarray]:
    conf = np.array([r.outcome.confidence for r in results], dtype=float)
    y = np.array([1.0 if r.outcome.correct else 0.0 for r in results])
    return conf, y


def _fmt(v: float) -> str:
    return "n/a" if isinstance(v, float) and math.isnan(v) else (f"{v:.3f}" if isinstance(v, float) else str(v))


def _plots(out: Path, results: list[Result], baseline: list[Result] | None, threshold: float) -> None:
    conf, y = _arrays(results)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    rel = reliability(conf, y)
    if rel:
        xs, ys, ns = zip(*rel)
        ax.plot(xs, ys, "o-", label="grounding")
        for x, yy, n in rel:
            ax.annotate(str(n), (x, yy), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("confidence")
    ax.set_ylabel("share correct")
    ax.set_title("Reliability diagram (bin counts annotated)")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(out / "reliability.png", dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    cov, risk = zip(*risk_coverage(conf, y))
    ax.plot(cov, risk, label="grounding (ranked by confidence)")
    if baseline:
        bc, by = _arrays(baseline)
        ax.axhline(1 - by.mean(), color="red", linestyle=":", label="plain RAG (answers all)")
    answered = conf > threshold
    if answered.any():
        ax.scatter([answered.mean()], [1 - y[answered].mean()], color="black", zorder=3, label=f"threshold {threshold}")
    ax.set_xlabel("coverage (share of questions answered)")
    ax.set_ylabel("risk (share of answers wrong)")
    ax.set_ylim(0, 1)
    ax.set_title("Risk-coverage")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "risk_coverage.png", dpi=120)
    plt.close(fig)


def _language(item: dict) -> str:
    """The question's language: its `lang` field, else Korean when it holds Hangul."""
    return str(item.get("lang") or ("ko" if has_hangul(str(item.get("question", ""))) else "en"))


def _set(item: dict) -> str:
    return "aggregate" if item.get("answer_type") in AGGREGATE_TYPES else "single_event"


def breakdown(results: list[Result], threshold: float) -> dict[str, dict[str, dict[str, float]]]:
    """The metrics per language and per question set (single event, aggregate), from the same run, so
    Korean and English are scored side by side on the same data and calibrator."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, key in (("by_language", _language), ("by_set", _set)):
        groups: dict[str, list[Result]] = {}
        for r in results:
            groups.setdefault(key(r.item), []).append(r)
        if len(groups) > 1:
            out[name] = {g: compute([r.outcome for r in rs], threshold) for g, rs in sorted(groups.items())}
    return out


def write_report(out: Path, results: list[Result], baseline: list[Result] | None, threshold: float, meta: dict) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    metrics = {"pipeline": compute([r.outcome for r in results], threshold)}
    metrics.update(breakdown(results, threshold))
    if baseline is not None:
        metrics["baseline_plain_rag"] = compute([r.outcome for r in baseline], threshold)
    gen_p = [r.generate_ms for r in results if r.generate_ms]
    gen_b = [r.generate_ms for r in baseline or [] if r.generate_ms]
    metrics["timing"] = {
        "pipeline_generate_ms_mean": float(np.mean(gen_p)) if gen_p else 0.0,
        "pipeline_total_ms_mean": float(np.mean([r.total_ms for r in results])) if results else 0.0,
        "baseline_generate_ms_mean": float(np.mean(gen_b)) if gen_b else 0.0,
    }
    if gen_p and gen_b:
        metrics["timing"]["confidence_overhead_ratio"] = metrics["timing"]["pipeline_generate_ms_mean"] / metrics["timing"]["baseline_generate_ms_mean"]
    metrics["run"] = meta
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    with open(out / "results.jsonl", "w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r.row(), ensure_ascii=False) + "\n")
    if baseline is not None:
        with open(out / "baseline_results.jsonl", "w", encoding="utf-8") as fh:
            for r in baseline:
                fh.write(json.dumps(r.row(), ensure_ascii=False) + "\n")
    _plots(out, results, baseline, threshold)
    lines = [
        "# Evaluation",
        "",
        f"Questions: `{meta.get('questions')}` (split {meta.get('split')}), threshold t = {threshold}, "
        f"penalty for a wrong answer t/(1-t) = {threshold / (1 - threshold):.2f}." if threshold < 1 else "",
        f"Calibrator: {meta.get('calibrator') or 'none (uncalibrated default)'}; self-consistency samples: {meta.get('samples')}.",
        "",
        "| metric | grounding | plain RAG |",
        "|---|---|---|",
    ]
    for k in KEYS:
        b = metrics.get("baseline_plain_rag", {}).get(k, float("nan"))
        lines.append(f"| {k} | {_fmt(metrics['pipeline'][k])} | {_fmt(b)} |")
    for name in ("by_language", "by_set"):
        if name in metrics:
            groups = list(metrics[name])
            lines += ["", f"{name.replace('_', ' ').capitalize()} (same run):", "",
                      "| metric | " + " | ".join(f"{g} (n={metrics[name][g]['n']})" for g in groups) + " |",
                      "|---|" + "---|" * len(groups)]
            lines += [f"| {k} | " + " | ".join(_fmt(metrics[name][g][k]) for g in groups) + " |" for k in KEYS if k != "n"]
    t = metrics["timing"]
    lines += [
        "",
        f"Mean generation time: pipeline {t['pipeline_generate_ms_mean']:.0f} ms, plain RAG {t['baseline_generate_ms_mean']:.0f} ms"
        + (f" (ratio {t['confidence_overhead_ratio']:.2f})." if "confidence_overhead_ratio" in t else "."),
        "",
        "![reliability](reliability.png) ![risk-coverage](risk_coverage.png)",
        "",
        "Per-question results: `results.jsonl` (pipeline) and `baseline_results.jsonl`.",
    ]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    return metrics
