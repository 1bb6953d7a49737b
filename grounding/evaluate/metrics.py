"""Metrics that reward abstaining over guessing (Kalai et al., 2025) and score calibration."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import roc_auc_score


@dataclass
class Outcome:
    """One question's result, as the metrics need it."""

    answerable: bool
    answered: bool  # not abstained
    correct: bool  # the answer (before abstention) matches the gold; always False when unanswerable
    confidence: float
    cited_reports: list[str]
    gold_reports: list[str]


def penalty(t: float) -> float:
    return t / (1.0 - t) if t < 1.0 else float("inf")


def ece(conf: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error with equal-width bins."""
    if len(conf) == 0:
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += m.mean() * abs(conf[m].mean() - y[m].mean())
    return float(total)


def reliability(conf: np.ndarray, y: np.ndarray, bins: int = 10) -> list[tuple[float, float, int]]:
    """(mean confidence, accuracy, count) per non-empty bin."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.digitize(conf, edges[1:-1], right=True), 0, bins - 1)
    return [(float(conf[idx == b].mean()), float(y[idx == b].mean()), int((idx == b).sum())) for b in range(bins) if (idx == b).any()]


def risk_coverage(conf: np.ndarray, y: np.ndarray) -> list[tuple[float, float]]:
    """(coverage, risk) when answering only the most confident questions first."""
    order = np.argsort(-conf, kind="stable")
    ys = y[order]
    n = len(ys)
    return [((i + 1) / n, 1.0 - float(ys[: i + 1].mean())) for i in range(n)]


def compute(outcomes: list[Outcome], threshold: float) -> dict[str, float]:
    n = len(outcomes)
    answered = [o for o in outcomes if o.answered]
    correct_answered = [o for o in answered if o.correct]
    unans = [o for o in outcomes if not o.answerable]
    ans = [o for o in outcomes if o.answerable]
    conf = np.array([o.confidence for o in outcomes], dtype=float)
    y = np.array([1.0 if o.correct else 0.0 for o in outcomes])
    # An answerable question with no gold reports (an aggregate: its gold is a number) has no citation to
    # score; an unanswerable one that was answered cites wrongly whatever it cites.
    cited = [(set(o.cited_reports), set(o.gold_reports)) for o in answered if o.cited_reports and (o.gold_reports or not o.answerable)]
    prec = [len(c & g) / len(c) for c, g in cited]
    rec = [len(c & g) / len(g) for c, g in ((set(o.cited_reports), set(o.gold_reports)) for o in answered if o.answerable and o.gold_reports)]
    score = (len(correct_answered) - penalty(threshold) * (len(answered) - len(correct_answered))) / n if n else 0.0
    try:
        auroc = float(roc_auc_score(y, conf)) if 0 < y.sum() < n else float("nan")
    except ValueError:
        auroc = float("nan")
    return {
        "n": n,
        "threshold": threshold,
        "accuracy": len(correct_answered) / len(answered) if answered else 0.0,
        "coverage": len(answered) / n if n else 0.0,
        "abstain_rate_unanswerable": sum(1 for o in unans if not o.answered) / len(unans) if unans else float("nan"),
        "answered_rate_answerable": sum(1 for o in ans if o.answered) / len(ans) if ans else float("nan"),
        "accuracy_answerable_all": sum(1 for o in ans if o.correct) / len(ans) if ans else float("nan"),
        "citation_precision": float(np.mean(prec)) if prec else float("nan"),
        "citation_recall": float(np.mean(rec)) if rec else float("nan"),
        "penalized_score": score,
        "ece": ece(conf, y),
        "auroc": auroc,
        "brier": float(np.mean((conf - y) ** 2)) if n else 0.0,
    }
