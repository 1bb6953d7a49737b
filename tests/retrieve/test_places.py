"""Issue 18, finding 7: the place a question names, in any language, against the cited report's."""

from __future__ import annotations

import pytest

from grounding.retrieve.places import named_places, place_matches, romanize, wrong_place


@pytest.mark.parametrize("korean,latin", [
    ("인디언 포인트", "INDIAN POINT"), ("필그림", "PILGRIM"), ("오코니", "OCONEE"), ("다이아블로 캐니언", "DIABLO CANYON"),
    ("브라운스 페리", "BROWNS FERRY"), ("듀안 아놀드", "DUANE ARNOLD"), ("세코야", "SEQUOYAH"), ("텍사스", "Texas"),
])
def test_a_korean_name_matches_its_latin_spelling(korean, latin):
    assert place_matches(korean, [latin])


@pytest.mark.parametrize("korean,latin", [("인디언 포인트", "PILGRIM"), ("필그림", "INDIAN POINT"), ("오코니", "OYSTER CREEK"), ("세코야", "SALEM")])
def test_a_korean_name_does_not_match_another_plant(korean, latin):
    assert not place_matches(korean, [latin])


def test_romanize_drops_the_loanword_vowel():
    assert romanize("포인트") == "point" and romanize("필그림") == "pilgrim"


@pytest.mark.parametrize("question,places", [
    ("인디언 포인트에서 1998년 12월 31일에 무슨 일이 있었나요?", ["인디언 포인트"]),
    ("What caused the reactor trip at Oconee Unit 3 on December 31, 1998?", ["Oconee"]),
    ("What happened in Indiana on June 1, 2005?", ["Indiana"]),
    ("원자로에서 무슨 일이 있었나요?", []),
    ("what happened at the plant in december?", []),
])
def test_named_places(question, places):
    assert named_places(question) == places


def test_wrong_place_needs_a_named_place_no_cited_report_is_from():
    q = "인디언 포인트에서 1998년 12월 31일에 무슨 일이 있었나요?"
    pilgrim = ["PILGRIM", "", "REACTOR SCRAM", "The reactor at Pilgrim scrammed."]
    indian = ["INDIAN POINT", "", "REACTOR TRIP", "Indian Point Unit 2 tripped."]
    assert wrong_place(q, [], [pilgrim]) == "인디언 포인트"
    assert wrong_place(q, [], [pilgrim, indian]) == ""
    assert wrong_place("What happened at Indian Point on December 31, 1998?", [], [pilgrim]) == "Indian Point"
    assert wrong_place("What happened on December 31, 1998?", [], [pilgrim]) == ""  # no place named
    assert wrong_place("Why did Pilgrim scram?", ["pilgrim"], [pilgrim]) == ""
    assert wrong_place("Why did Pilgrim scram?", ["pilgrim"], [indian]) == "pilgrim"


def test_one_recognized_place_found_in_the_cited_report_is_enough():
    """Regression: "D.C. Cook" was recognized as both "d c" (an OE-417 area) and "cook"; the COOK report
    then counted as a wrong place and a correct answer abstained."""
    cook = ["COOK", "", "REACTOR COOLANT PUMP SEAL MALFUNCTION"]
    q = "What action did operators take in response to the reactor coolant pump seal malfunction at D.C. Cook Unit 2?"
    assert wrong_place(q, ["d c", "cook"], [cook]) == ""
    assert wrong_place(q, ["d c", "cook"], [["PILGRIM", "", "SCRAM"]]) == "d c"


@pytest.fixture(scope="module")
def terms():
    from grounding.ontology.graph import OntologyGraph
    from grounding.retrieve.places import korean_terms
    from tests.conftest import REPO

    return korean_terms(OntologyGraph.load([REPO / "ontology" / "grounding.ttl", REPO / "ontology" / "alignments.ttl"]))


@pytest.mark.parametrize("question", [
    # Regression: the Hangul words before any 에/에서/의 were read as a place (스크램, 냉각팬 고장, 트립,
    # 진동 때문, 발생한 화재), so a single-event answer to such a question abstained as "wrong place".
    "스크램의 원인은 무엇인가요?", "냉각팬 고장의 원인은 무엇인가?", "비상 디젤 발전기 고장의 주된 원인은?",
    "원자로 스크램에서 어떤 설비가 가장 자주 관련되나요?", "2007년 원자로 스크램 중 자동 스크램의 비율은 얼마인가요?",
    "2020년 OE-417 사건 중 악천후 사건의 비율은 얼마인가요?", "급수 펌프의 진동 때문에 정지했나요?",
    "2021년 9월 6일 원자로 정지 후 Blue Mesa Nuclear는 어떤 운전 모드에 있었는가?",
    "2004년 3월 5일 주급수 펌프 트립의 원인은?", "화재가 발생한 곳의 설비는?",
])
def test_korean_common_words_before_a_particle_are_not_places(terms, question):
    assert named_places(question, terms) == []


@pytest.mark.parametrize("question,places", [
    ("브라운스 페리에서 주급수 펌프 트립의 원인은?", ["브라운스 페리"]),
    ("다이아블로 캐니언 원전에서 발생한 화재의 원인은?", ["다이아블로 캐니언"]),  # the head 원전 passed over
    ("2001년 2월 3일 제브라 포인트 9호기에서 원자로가 정지한 이유는?", ["제브라 포인트"]),  # and "9호기"
    ("오이스터 크릭 발전소의 2003년 스크램은?", ["오이스터 크릭"]),
    ("캘러웨이에서 2003년에 스크램이 있었나요?", ["캘러웨이"]),
])
def test_korean_names_are_places_with_their_heads_passed_over(terms, question, places):
    assert named_places(question, terms) == places


@pytest.mark.parametrize("name", ["인디언 포인트", "필그림", "오코니", "세코야", "팰리세이즈", "세일럼", "피치 바텀", "비버 밸리",
                                  "그랜드 걸프", "캘버트 클리프스", "시브룩", "밀스톤", "섀런 해리스", "데이비스 베시", "울프 크릭"])
def test_a_plant_name_in_hangul_is_not_an_ontology_word(terms, name):
    assert named_places(f"{name}에서 2004년에 무슨 일이 있었나요?", terms) == [name]
