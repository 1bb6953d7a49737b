"""The Korean answer frame (grounding/answer/frame.py): Korean words around verbatim English evidence."""

from __future__ import annotations

from grounding.answer.compose import QuestionKinds, question_kind
from grounding.answer.frame import event_phrase, korean_frame
from grounding.answer.result import Passage, Sentence
from grounding.config import default_question_kinds, load_config
from tests.conftest import REPO

P1 = Passage("P1", "nrc:48869", 0, "x", 0.9, date="2013-03-31", facility="ARKANSAS NUCLEAR")
P2 = Passage("P2", "nrc:2", 0, "y", 0.8, date="2013-04-01", facility="OTHER")


def test_the_event_phrase_is_the_question_nouns_before_what_it_asks():
    assert event_phrase("2013년 3월 31일 Arkansas Nuclear One에서 비상 사태가 선포된 원인은 무엇입니까?") == "비상 사태 선포"
    assert event_phrase("2020년 1월 31일 FitzPatrick 원자로 정지의 원인은 무엇인가?") == "원자로 정지"
    assert event_phrase("What caused the trip?") == ""


def test_the_frame_names_the_cited_report_not_the_first_passage():
    said = [Sentence('"The emergency was declared due to a fire."', ["P2"], "extractive")]
    text = korean_frame("2013년 4월 1일 비상 사태가 선포된 원인은?", said, [P1, P2], [], "원인", '"The emergency was declared due to a fire." [P2]')
    assert text == '2013-04-01 OTHER 비상 사태 선포 원인 (보고서 nrc:2): "The emergency was declared due to a fire." [P2]'


def test_a_field_answer_is_framed_by_the_field_name_and_the_unit_pieces_are_dropped():
    said = [Sentence("Report nrc:43050: Reactor power before the event (percent): 100.", ["P1"])]
    q = "2006년 12월 13일 Three Mile Island 1호기의 원자로 정지 직전 출력은 몇 퍼센트였는가?"
    assert event_phrase(q) == "원자로 정지 직전 출력"
    oe = Passage("P1", "oe417:1", -1, "x", 1.0, date="2018-11-15", facility="Indiana:")
    text = korean_frame(q, said, [oe], [], "영향을 받은 고객 수", "Customers affected: 55000. [P1]", field=True)
    assert text == "2018-11-15 Indiana 영향을 받은 고객 수 (보고서 oe417:1): Customers affected: 55000. [P1]"


def test_a_topic_the_event_phrase_already_says_is_not_repeated():
    said = [Sentence("Power 89.", ["P1"])]
    q = "2016년 1월 23일 FitzPatrick의 원자로 정지 직전 출력은 몇 퍼센트였는가?"
    text = korean_frame(q, said, [P1], [1], "정지 전 원자로 출력 (퍼센트)", "Power 89. [P1]")
    assert text == "2013-03-31 ARKANSAS NUCLEAR 1호기 원자로 정지 직전 출력 (보고서 nrc:48869): Power 89. [P1]"


def test_korean_question_kinds_and_the_shipped_config_equals_the_defaults():
    kinds = QuestionKinds(default_question_kinds())
    assert question_kind("정지 후 원자로는 어떤 모드였습니까?", kinds) == "mode"
    assert question_kind("출력은 얼마나 되었습니까?", kinds) == "number"
    assert question_kind("언제 복구되었습니까?", kinds) == "date"
    assert question_kind("무엇 때문에 정지했습니까?", kinds) == "cause"
    assert kinds.label_ko("cause") == "원인" and kinds.label_ko("what") == "내용"
    shipped = load_config(REPO / "config.toml").question_kind
    assert [k.model_dump() for k in shipped] == [k.model_dump() for k in default_question_kinds()]


def test_a_bad_kind_pattern_is_a_config_error_naming_the_kind():
    import pytest

    from grounding.config import QuestionKindConfig

    with pytest.raises(ValueError, match=r"question_kind 'cause': ask\[1\] is not a valid regular expression"):
        QuestionKindConfig(name="cause", ask=["why", "원인("])
