"""Follow-up turns made standalone by rules: what the new turn names replaces, what it lacks is carried."""

from grounding.answer.followup import standalone

FIRST = "What caused the reactor trip at Oconee Unit 3 on December 31, 1998?"


def test_a_fragment_swaps_in_its_date_and_keeps_the_place():
    s = standalone([FIRST, "and in 2005?"])
    assert s.question == "What caused the reactor trip at Oconee Unit 3 in 2005?"
    assert "place: at Oconee Unit 3" in s.carried and s.last_turn == "and in 2005?"


def test_a_fragment_swaps_in_its_place_and_keeps_the_date():
    s = standalone([FIRST, "What about at Sequoyah Unit 1?"])
    assert s.question == "What caused the reactor trip at Sequoyah Unit 1 on December 31, 1998?"


def test_a_new_question_lacking_place_and_date_gets_both():
    s = standalone([FIRST, "Which systems were affected?"])
    assert s.question == "Which systems were affected at Oconee Unit 3 on December 31, 1998?"
    assert s.carried == ["place: at Oconee Unit 3", "date: on December 31, 1998"]


def test_a_complete_question_is_left_alone():
    q = "What caused the scram at Dresden on March 14, 2002?"
    s = standalone([FIRST, q])
    assert s.question == q and s.carried == []
