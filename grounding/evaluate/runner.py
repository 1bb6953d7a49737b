"""Run a question set through the full pipeline and through a plain-RAG baseline, and score both.

The baseline is what the pipeline replaces: dense top-k, the same model and prompt,
no evidence selection, no checks, never abstains.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from grounding.answer.agent import AskOptions, QuestionError
from grounding.evaluate.matching import AGGREGATE_TYPES, aggregate_correct, is_correct
from grounding.evaluate.metrics import Outcome
from grounding.answer.prompts import answer_messages

REQUIRED = ("id", "question", "answer", "gold_reports", "answerable")
_CITE = re.compile(r"\[(P\d+)\]")


class QuestionSetError(ValueError):
    pass


def load_questions(path: Path, split: str | None = None) -> list[dict]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise QuestionSetError(f"{path}: line {n}: malformed JSON ({exc.msg})") from exc
        missing = [k for k in REQUIRED if k not in item]
        if missing:
            raise QuestionSetError(f"{path}: line {n}: missing {missing}")
        if split is None or item.get("split", split) == split:
            out.append(item)
    if not out:
        raise QuestionSetError(f"{path}: no questions" + (f" in split {split!r}" if split else ""))
    return out


@dataclass
class Result:
    item: dict
    outcome: Outcome
    answer: str
    draft: str
    signals: dict[str, float]
    generate_ms: float
    total_ms: float
    error: str = ""

    def row(self) -> dict:
        o = self.outcome
        return {
            "id": self.item["id"],
            "question": self.item["question"],
            "gold": self.item.get("answer"),
            "answerable": o.answerable,
            "answered": o.answered,
            "correct": o.correct,
            "confidence": round(o.confidence, 4),
            "answer": self.answer,
            "draft_answer": self.draft,
            "cited_reports": o.cited_reports,
            "gold_reports": o.gold_reports,
            "signals": {k: round(v, 5) for k, v in self.signals.items()},
            "generate_ms": round(self.generate_ms, 1),
            "total_ms": round(self.total_ms, 1),
            "error": self.error,
        }


def run_pipeline(system, questions: list[dict], threshold: float, samples: int | None = None, progress: Callable[[int], None] | None = None) -> list[Result]:
    agent = system.agent
    out: list[Result] = []
    for i, item in enumerate(questions, start=1):
        try:
            ans = agent.ask(item["question"], AskOptions(threshold=threshold, samples=samples))
        except QuestionError as exc:
            o = Outcome(bool(item["answerable"]), False, False, 0.0, [], list(item["gold_reports"]))
            out.append(Result(item, o, "", "", {}, 0.0, 0.0, str(exc)))
            continue
        keys = {c for s in (ans.sentences or []) for c in s.citations}
        draft_keys = set(_CITE.findall(ans.draft_answer))
        by_key = {p.key: p.report_id for p in ans.passages}
        cited = sorted({by_key[k] for k in (keys or draft_keys) if k in by_key})
        if item.get("answer_type") in AGGREGATE_TYPES:
            correct = bool(item["answerable"]) and aggregate_correct(getattr(ans, "aggregate", None), item["answer"], item["answer_type"])
        else:
            correct = bool(item["answerable"]) and is_correct(ans.draft_answer, item["answer"], item.get("answer_type"))
        o = Outcome(bool(item["answerable"]), not ans.abstained, correct, ans.confidence, cited if not ans.abstained else [], list(item["gold_reports"]))
        out.append(Result(item, o, ans.answer, ans.draft_answer, ans.signals, ans.timings_ms.get("generate", 0.0), ans.timings_ms.get("total", 0.0)))
        if progress:
            progress(i)
    return out


def run_baseline(system, questions: list[dict], progress: Callable[[int], None] | None = None) -> list[Result]:
    """Plain RAG: dense top-k chunks as passages, greedy generation, no checks, always answers."""
    cfg = system.cfg
    sampling = cfg.generator.sampling.model_copy(update={"num_samples": 1, "temperature": 0.0})
    out: list[Result] = []
    for i, item in enumerate(questions, start=1):
        t0 = time.perf_counter()
        hits = system.retriever.search(item["question"], cfg.retrieval.top_k, mode="dense")
        shown = [(f"P{n}", h.text) for n, h in enumerate(hits, start=1)]
        t = time.perf_counter()
        text = system.generator.generate(answer_messages(item["question"], shown), sampling)[0].text.strip() if shown else ""
        gen_ms = (time.perf_counter() - t) * 1000
        by_key = {f"P{n}": h.report_id for n, h in enumerate(hits, start=1)}
        cited = sorted({by_key[k] for k in _CITE.findall(text) if k in by_key}) or ([hits[0].report_id] if hits else [])
        correct = bool(item["answerable"]) and is_correct(text, item["answer"], item.get("answer_type"))
        o = Outcome(bool(item["answerable"]), True, correct, 1.0, cited, list(item["gold_reports"]))
        out.append(Result(item, o, text, text, {}, gen_ms, (time.perf_counter() - t0) * 1000))
        if progress:
            progress(i)
    return out
