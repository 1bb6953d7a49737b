"""The answer/abstain decision: the hard reasons in order, then the confidence against the threshold."""

from __future__ import annotations

from grounding.answer.decision import Frame, Reason, abstain_reason, decide
from grounding.answer.fields import FieldAnswer, FieldHit
from grounding.answer.result import Passage, Sentence
from grounding.config import AnswerFieldConfig

P1 = Passage("P1", "nrc:1", 0, "The reactor tripped due to a feedwater pump failure.", 0.9, date="1999-03-03", facility="OCONEE")
SAID = Sentence("The reactor tripped due to a feedwater pump failure.", ["P1"], "supported", "", 0.9)
CONTRA = Sentence("A pump is a valve.", [], "contradicted", "pump and valve are disjoint", 0.5)


def _hit(value: str) -> FieldHit:
    spec = AnswerFieldConfig(corpus="nrc", field="customers_affected", label="Customers affected", ask=["customers"])
    return FieldHit(FieldAnswer(spec, value), Passage("P2", "nrc:1", -1, "Report nrc:1: Customers affected: 5.", 1.0))


def test_confidence_above_the_threshold_answers_with_citations():
    reason = abstain_reason(0.8, 0.5, [P1], [], None, "", False)
    d = decide(reason, [SAID], [P1])
    assert reason is None and not d.abstained
    assert d.text == d.draft == "The reactor tripped due to a feedwater pump failure. [P1]"


def test_confidence_at_the_threshold_abstains_and_names_the_closest_evidence():
    reason = abstain_reason(0.5, 0.5, [P1], [], None, "", False)
    assert reason.en == "confidence 0.50 is not above the threshold 0.50"
    d = decide(reason, [SAID], [P1])
    assert d.abstained and d.draft == "The reactor tripped due to a feedwater pump failure. [P1]"
    assert d.text == ("Not enough evidence to answer: confidence 0.50 is not above the threshold 0.50; "
                      "the closest evidence is P1, report nrc:1 (OCONEE, 1999-03-03).")


def test_hard_reasons_come_first_in_order():
    assert abstain_reason(0.99, 0.5, [], [CONTRA], None, "Indian Point", True).en == "no evidence was found"
    assert abstain_reason(0.99, 0.5, [P1], [CONTRA], _hit(""), "Indian Point", True).en.startswith("a generated claim contradicts the ontology (pump")
    assert abstain_reason(0.99, 0.5, [P1], [], _hit(""), "Indian Point", True).en == "report nrc:1 does not record customers affected"
    assert abstain_reason(0.99, 0.5, [P1], [], _hit("5"), "Indian Point", True).en == (
        "the question names Indian Point, but the cited report nrc:1 is from OCONEE")
    assert abstain_reason(0.99, 0.5, [P1], [], None, "", True).en.startswith("report nrc:1 states a cause only in sentences")


def test_no_evidence_abstains_without_naming_any():
    d = decide(Reason("no evidence was found", "근거를 찾지 못했습니다"), [], [])
    assert d.abstained and d.text == "Not enough evidence to answer: no evidence was found." and d.draft == ""


KO_Q = "1999년 3월 3일 OCONEE에서 원자로가 정지된 원인은 무엇입니까?"


def test_a_korean_question_gets_the_korean_frame_around_the_verbatim_evidence():
    d = decide(None, [SAID], [P1], Frame(KO_Q, [2], "원인"))
    assert not d.abstained and d.draft == "The reactor tripped due to a feedwater pump failure. [P1]"
    assert d.text == "1999-03-03 OCONEE 2호기 원자로 정지 원인 (보고서 nrc:1): The reactor tripped due to a feedwater pump failure. [P1]"


def test_a_korean_abstention_is_explained_in_korean_and_keeps_the_english_reason_for_the_trace():
    reason = abstain_reason(0.5, 0.5, [P1], [], None, "", False)
    d = decide(reason, [SAID], [P1], Frame(KO_Q, [], "원인"))
    assert d.abstained and d.reason == "confidence 0.50 is not above the threshold 0.50"
    assert d.text == ("근거가 부족하여 답하지 않습니다: 신뢰도 0.50가 임계값 0.50를 넘지 않습니다. "
                      "가장 가까운 근거는 P1, 보고서 nrc:1 (OCONEE, 1999-03-03)입니다.")
    missing = abstain_reason(0.99, 0.5, [P1], [], _hit(""), "", False)
    assert missing.ko == "보고서 nrc:1에는 Customers affected이(가) 기록되어 있지 않습니다"
