"""The bundled eval set must name reports the bundled config really produces, or recall is meaningless."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from grounding.config import load_config
from grounding.ingest.pipeline import corpus_path, read_drafts
from grounding.ingest.records import ReportDraft

REPO = Path(__file__).resolve().parents[2]


def _questions() -> list[dict]:
    lines = (REPO / "corpora/eval/questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(ln) for ln in lines if ln.strip()]


def test_splits_partition_the_questions() -> None:
    allq = {q["id"] for q in _questions()}
    dev = {json.loads(ln)["id"] for ln in (REPO / "corpora/eval/dev.jsonl").read_text("utf-8").splitlines()}
    test = {json.loads(ln)["id"] for ln in (REPO / "corpora/eval/test.jsonl").read_text("utf-8").splitlines()}
    assert dev and test and not dev & test and dev | test == allq


def test_every_gold_report_is_an_id_the_ingest_gives() -> None:
    cfg = load_config(REPO / "config.toml")
    gold = Counter(r.split(":", 1)[0] for q in _questions() for r in q["gold_reports"])
    assert gold["nrc"] > 100 and gold["oe417"] > 30

    nrc = next(c for c in cfg.corpus if c.name == "nrc")
    with gzip.open(corpus_path(cfg, nrc), "rt", encoding="utf-8") as fh:
        nrc_ids = {f"nrc:{json.loads(ln)[nrc.id]}" for ln in fh if ln.strip()}

    oe = next(c for c in cfg.corpus if c.name == "oe417")
    drafts = read_drafts(oe, corpus_path(cfg, oe), cfg.chunking.max_report_chars)
    oe_ids = {d.id for d in drafts if isinstance(d, ReportDraft)}

    missing = [(q["id"], r) for q in _questions() for r in q["gold_reports"] if r not in nrc_ids | oe_ids]
    assert not missing
    for q in _questions():
        assert bool(q["gold_reports"]) == q["answerable"], q["id"]
