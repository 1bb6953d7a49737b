"""Issue 18, finding 7: a single-event answer citing a report from another place than the question
names (in Korean or English) is an abstention, not a confident answer."""

from __future__ import annotations

import pytest

from tests.conftest import build_system, make_config, nrc_records, write_jsonl
from tests.serve.conftest import EchoGenerator

KOREAN = "인디언 포인트에서 1998년 12월 31일에 무슨 일이 있었나요?"
ENGLISH = "What happened at Indian Point on December 31, 1998?"


def _system(root, records, embedder):
    cfg = make_config(root, write_jsonl(root / "c.jsonl", records))
    cfg.ontology.files = []
    g = build_system(cfg, embedder)
    assert g.ingestor().run().ingested == len(records)
    g.__dict__["generator"] = EchoGenerator()
    return g


@pytest.fixture(scope="module")
def without_indian_point(tmp_path_factory, embedder):
    recs = [r for r in nrc_records(40) if "INDIAN" not in r["facility"]]  # PILGRIM 1998-12-31 stays
    return _system(tmp_path_factory.mktemp("no_ip"), recs, embedder)


@pytest.mark.parametrize("question", [KOREAN, ENGLISH])
def test_a_place_no_report_is_from_is_an_abstention(without_indian_point, question):
    from grounding.agent import AskOptions

    ans = without_indian_point.agent.ask(question, AskOptions(threshold=0.0))
    assert ans.abstained, ans.answer
    assert ans.signals["wrong_place"] == 1.0 and "the question names" in ans.answer


def test_the_right_place_is_answered(without_indian_point):
    from grounding.agent import AskOptions

    ans = without_indian_point.agent.ask("필그림에서 1998년 12월 31일에 무슨 일이 있었나요?", AskOptions(threshold=0.0))
    assert ans.signals["wrong_place"] == 0.0
    if not ans.abstained:
        cited = {ans.passages[int(c[1:]) - 1].report_id for s in ans.sentences for c in s.citations if c.startswith("P")}
        assert cited == {"nrc:35210"}
