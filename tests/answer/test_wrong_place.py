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
    g.use(generator=EchoGenerator())
    return g


@pytest.fixture(scope="module")
def without_indian_point(tmp_path_factory, embedder):
    recs = [r for r in nrc_records(40) if "INDIAN" not in r["facility"]]  # PILGRIM 1998-12-31 stays
    return _system(tmp_path_factory.mktemp("no_ip"), recs, embedder)


@pytest.mark.parametrize("question", [KOREAN, ENGLISH])
def test_a_place_no_report_is_from_is_an_abstention(without_indian_point, question):
    from grounding.answer.agent import AskOptions

    ans = without_indian_point.agent.ask(question, AskOptions(threshold=0.0))
    assert ans.abstained, ans.answer
    assert ans.signals["wrong_place"] == 1.0
    # The reason in the question's language (answer/frame.py): Korean for the Korean question.
    assert ("질문은 인디언 포인트을(를) 가리키지만" if question == KOREAN else "the question names") in ans.answer, ans.answer


def test_the_right_place_is_answered(without_indian_point):
    from grounding.answer.agent import AskOptions

    ans = without_indian_point.agent.ask("필그림에서 1998년 12월 31일에 무슨 일이 있었나요?", AskOptions(threshold=0.0))
    assert ans.signals["wrong_place"] == 0.0
    if not ans.abstained:
        cited = {ans.passages[int(c[1:]) - 1].report_id for s in ans.sentences for c in s.citations if c.startswith("P")}
        assert cited == {"nrc:35210"}


def test_a_corpus_place_fields_follow_the_facility_in_what_is_compared(monkeypatch):
    """The area a report names (OE-417's `area_affected`) comes from config, right after the facility:
    the Korean sound match reads the first three place texts."""
    from types import SimpleNamespace

    from grounding.answer import check
    from grounding.answer.result import Passage, Sentence
    from grounding.config import load_config
    from tests.conftest import REPO

    shipped = {c.name: c.place_fields for c in load_config(REPO / "config.toml").corpus}
    assert shipped["oe417"] == ["area_affected"] and shipped["nrc"] == []
    seen = []
    monkeypatch.setattr(check, "wrong_place", lambda q, recognized, cited, common: seen.append(cited) or "")
    cfg = SimpleNamespace(corpus=[SimpleNamespace(name="oe417", place_fields=["area_affected"]), SimpleNamespace(name="nrc", place_fields=[])])
    reports = {
        "oe417:1": SimpleNamespace(corpus="oe417", facility="", title="Severe Weather", text="t", meta={"area_affected": "Texas", "x": 1}),
        "nrc:2": SimpleNamespace(corpus="nrc", facility="PILGRIM", title="SCRAM", text="u", meta={"area_affected": "Boston"}),
    }
    passages = [Passage("P1", "oe417:1", 0, "a", 1.0), Passage("P2", "nrc:2", 0, "b", 1.0)]
    said = [Sentence("a", ["P1", "P2"])]
    check.cited_wrong_place(cfg, "q", None, said, passages, reports)
    assert seen[0] == [["", "Texas", "Severe Weather", "Texas", "t"], ["PILGRIM", "SCRAM", "Boston", "u"]]
