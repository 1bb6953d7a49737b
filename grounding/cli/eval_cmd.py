"""`grounding calibrate` and `grounding eval`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import numpy as np
import typer
from rich.console import Console

from grounding.cli.context import fail, state
from grounding.cli.progress import progress

console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("calibrate")(calibrate)
    app.command("eval")(evaluate)


def _progress(label: str, total: int):
    return progress(label, total, console, unit="questions")


def _load(path: Path, split: Optional[str]) -> list[dict]:
    from grounding.evaluate.runner import QuestionSetError, load_questions

    try:
        return load_questions(path, split)
    except (QuestionSetError, OSError) as exc:
        fail(str(exc), code=2)
    return []


def _load_all(paths: list[Path], split: Optional[str]) -> list[dict]:
    """The questions of several files, in order. A question repeated in a later file with the same id and
    text (bilingual_dev.jsonl repeats dev.jsonl's English questions beside their Korean twins) is kept
    once; the same id with another question is an error naming it."""
    seen: dict[str, str] = {}
    out = []
    for path in paths:
        for item in _load(path, split):
            qid = str(item["id"])
            if qid in seen:
                if seen[qid] != item["question"]:
                    fail(f"{path}: question id '{qid}' is already used by another question in an earlier --questions file", code=2)
                continue
            seen[qid] = item["question"]
            out.append(item)
    return out


def calibrate(
    ctx: typer.Context,
    questions: list[Path] = typer.Option(..., "--questions", help="Labelled questions (JSONL: id, question, answer, gold_reports, answerable); repeat it to fit on several sets (single-event and aggregate dev questions together)."),
    split: Optional[str] = typer.Option(None, "--split", help="Use only lines whose 'split' equals this (e.g. dev)."),
    method: Optional[str] = typer.Option(None, "--method", help="logistic | isotonic (default: config)."),
    samples: Optional[int] = typer.Option(None, "--samples", help="Self-consistency samples (default: config)."),
) -> None:
    """Fit the confidence calibrator on labelled questions and save it in the data dir."""
    from sklearn.model_selection import StratifiedKFold

    from grounding.evaluate.metrics import ece
    from grounding.evaluate.runner import run_pipeline
    from grounding.verify.calibration import Calibrator

    st = state(ctx)
    system = st.system
    system.calibrator = None  # collect raw signals, not a previous calibrator's output
    n_samples = samples if samples is not None else st.cfg.confidence.self_consistency_samples
    items = _load_all(questions, split)
    with _progress("calibrate", len(items)) as p:
        results = run_pipeline(system, items, threshold=0.0, samples=n_samples, progress=p)
    rows = [r.signals for r in results if r.signals]
    y = np.array([int(r.outcome.correct) for r in results if r.signals])
    if len(set(y.tolist())) < 2:
        fail(f"calibration needs both correct and incorrect answers; got {int(y.sum())} correct of {len(y)}")
    m = method or st.cfg.confidence.calibration_method
    cal = Calibrator(method=m, samples=n_samples, fitted_with=system.fingerprint(n_samples)).fit(rows, y)
    cal.train_metrics = {"n": int(len(y)), "positives": int(y.sum()), "questions": ", ".join(str(q) for q in questions), "split": split}
    # Out-of-fold predictions estimate how well the calibrator generalizes (needs >= 2 of each class).
    n_splits = min(5, int(min(y.sum(), len(y) - y.sum())))
    if n_splits >= 2:
        from sklearn.metrics import roc_auc_score

        oof = np.zeros(len(y))
        folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=0)
        for tr, te in folds.split(np.zeros(len(y)), y):
            c = Calibrator(method=m).fit([rows[i] for i in tr], y[tr])
            oof[te] = [c.predict(rows[i]) for i in te]
        cal.train_metrics.update(cv_folds=n_splits, cv_ece=float(ece(oof, y.astype(float))), cv_auroc=float(roc_auc_score(y, oof)))
        cal.recommended_threshold, table = recommend_threshold(oof, y)
        cal.train_metrics["thresholds"] = table
    path = system.data_dir / st.cfg.confidence.calibrator_file
    cal.save(path)
    # The labelled signals it was fitted on, beside it: a calibrator can be audited (and refitted) without re-running.
    rows_path = path.with_suffix(".questions.jsonl")
    rows_path.write_text("".join(json.dumps(r.row(), ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    typer.echo(json.dumps({"calibrator": str(path), "method": m, "recommended_threshold": cal.recommended_threshold,
                           **cal.train_metrics}, indent=2))


# Of the answers given, at most one in twenty wrong (docs/confidence.md says why, and what 0.9 gave).
TARGET_PRECISION = 0.95


def recommend_threshold(conf: np.ndarray, y: np.ndarray) -> tuple[float, list[dict]]:
    """The lowest threshold whose out-of-fold answers are >= 95% correct, with the table it was read from.

    Out-of-fold predictions, so the recommendation is not read off the data each model was fitted on.
    """
    table, best = [], None
    for t in np.round(np.arange(0.30, 0.96, 0.05), 2):
        answered = conf > t
        n = int(answered.sum())
        precision = float(y[answered].mean()) if n else 0.0
        table.append({"threshold": float(t), "answered": n, "precision": round(precision, 4)})
        if best is None and n and precision >= TARGET_PRECISION:
            best = float(t)
    return (best if best is not None else 0.95), table


def evaluate(
    ctx: typer.Context,
    questions: list[Path] = typer.Option(..., "--questions", help="Labelled questions (JSONL); repeat it to score several sets in one run (English, Korean twins, aggregate)."),
    out: Path = typer.Option(..., "--out", help="Folder for metrics.json, report.md, PNGs and per-question results."),
    split: Optional[str] = typer.Option(None, "--split", help="Use only lines whose 'split' equals this (e.g. test)."),
    threshold: Optional[float] = typer.Option(None, "--threshold", "-t", help="Abstention threshold (default: config)."),
    samples: Optional[int] = typer.Option(None, "--samples", help="Self-consistency samples (default: config)."),
    baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="Also score the plain-RAG baseline."),
) -> None:
    """Score the pipeline (and the plain-RAG baseline) on labelled questions."""
    from grounding.evaluate.report import write_report
    from grounding.evaluate.runner import run_baseline, run_pipeline

    st = state(ctx)
    system = st.system
    t = st.cfg.confidence.threshold if threshold is None else threshold
    items = _load_all(questions, split)
    with _progress("pipeline", len(items)) as p:
        results = run_pipeline(system, items, t, samples, progress=p)
    base = None
    if baseline:
        with _progress("plain RAG", len(items)) as p:
            base = run_baseline(system, items, progress=p)
    cal_path = system.data_dir / st.cfg.confidence.calibrator_file
    meta = {
        "questions": ", ".join(str(q) for q in questions),
        "split": split,
        "threshold": t,
        "samples": samples if samples is not None else system.agent.default_samples(),
        "calibrator": str(cal_path) if system.calibrator is not None else None,
        "embedder": system.embedder.name,
        "generator": getattr(system.generator, "name", ""),
    }
    metrics = write_report(out, results, base, t, meta)
    typer.echo(json.dumps({k: metrics[k] for k in metrics if k != "run"}, indent=2))
