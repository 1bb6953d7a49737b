"""Extractive quotes and the answer-shape signals that feed confidence."""

from grounding.answer.compose import best_quote, kind_cue, novelty, question_kind

VOGTLE = "What caused the manual reactor trip at Vogtle Unit 1 on February 3, 2017?"


def test_question_kinds():
    assert question_kind(VOGTLE) == "cause"
    assert question_kind("How many customers were affected?") == "number"
    assert question_kind("2020년 1월 31일 FitzPatrick 원자로 정지의 원인은 무엇인가?") == "cause"
    assert question_kind("What happened at Byron?") == "what"


def test_kind_cue_rewards_an_answer_that_states_what_was_asked():
    assert kind_cue(VOGTLE, "UNIT 1 MANUAL REACTOR TRIP DUE TO LOOP 1 MSIV STARTING TO FAIL CLOSED") == 1.0
    assert kind_cue(VOGTLE, "The reactor tripped at Vogtle Unit 1 on February 3, 2017.") == 0.0
    assert kind_cue("How many customers were affected?", "Customers affected: many.") == 0.0
    assert kind_cue("What happened at Byron?", "anything") == 0.5


def test_novelty_is_low_for_an_answer_that_restates_the_question():
    q = "On what date was service restored after the winter storm in Southern Michigan that began on February 20, 2011?"
    assert novelty(q, "The winter storm in Southern Michigan that began on February 20, 2011.") == 0.0
    assert novelty(q, "Service was restored on 2011-02-23 after crews replaced downed feeders.") > 0.5
    assert novelty(q, "") == 0.0


def test_best_quote_prefers_the_sentence_with_the_cause():
    sents = ["The reactor tripped at 1304.", "The trip was due to a loss of main feedwater pump B.", "The NRC Resident Inspector was notified."]
    quote = best_quote(VOGTLE, [("P1", sents, [0.6, 0.55, 0.3])])
    assert quote is not None and quote.key == "P1" and "due to a loss of main feedwater" in quote.text
    assert best_quote(VOGTLE, []) is None


def test_states_cause_unknown_only_for_cause_questions_whose_evidence_says_so():
    from grounding.answer.compose import states_cause_unknown

    q = "What caused the reactor trip at Watts Bar Unit 2 on April 12, 2018?"
    assert states_cause_unknown(q, ["The cause of the trip is currently under investigation."])
    assert states_cause_unknown(q, ["Unit 2 tripped from 100 percent power for unknown reason(s)."])
    assert not states_cause_unknown(q, ["The trip was due to a loss of feedwater pump B."])
    assert not states_cause_unknown("What happened at Watts Bar?", ["The cause is unknown."])
