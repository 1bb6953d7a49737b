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
