import pytest

from grounding.verify.normalize import facts
from grounding.verify.support import SupportPolicy, check_sentences

P1 = (
    "At 1435 hours on December 31, 1998, Oconee Unit 3 reactor tripped from 100% steady state operation. "
    "Control Rod Drive breaker testing was in progress at the time of the reactor trip. When the associated CRD breaker "
    "was tripped from the 3A RPS cabinet, the remaining three RPS channels actuated causing the reactor trip."
)
Q = "What caused the reactor trip at Oconee on December 31, 1998?"


def test_numbers_and_dates_are_normalized():
    assert facts("tripped from 100% power on Oct. 12, 2007") == facts("tripped from 100 percent power on 2007-10-12")
    assert facts("90 %")[1] != facts("50 %")[1]


@pytest.mark.parametrize(
    "sentence, why",
    [
        ("The Oconee Unit 3 reactor trip was caused by a malfunctioning control rod module (CRM) during breaker testing.", "CRM"),
        ("The Oconee Unit 3 reactor tripped from 50% steady state operation.", "50"),
        ("The reactor tripped on January 3, 1999 during breaker testing.", "1999-01-03"),
        ("The Oconee Unit 3 reactor trip was caused by a lightning strike on a switchyard breaker.", "lightning"),
        ("The Oconee Unit 3 reactor trip happened because operators withdrew rods too quickly during startup.", "content words"),
    ],
)
def test_unsupported_sentences_are_caught_with_a_reason(embedder, sentence, why):
    (res,) = check_sentences([sentence], [("P1", P1)], embedder, SupportPolicy(), question=Q)
    assert res.status == "unsupported" and res.citations == []
    assert why in res.reason


def test_faithful_sentences_are_supported_and_cited(embedder):
    ok = [
        "The Oconee Unit 3 reactor tripped from 100% power while control rod drive breaker testing was in progress.",
        "When the CRD breaker was tripped from the 3A RPS cabinet, the remaining RPS channels actuated, causing the reactor trip.",
    ]
    other = ("P2", "The Indian Point unit tripped on March 9, 1999 after a flow transmitter modification.")
    res = check_sentences(ok, [other, ("P1", P1)], embedder, SupportPolicy(), question=Q)
    assert [r.status for r in res] == ["supported", "supported"]
    assert all(r.citations == ["P1"] for r in res)


def test_no_passages_means_unsupported(embedder):
    (res,) = check_sentences(["Anything."], [], embedder, SupportPolicy())
    assert res.status == "unsupported" and "no evidence" in res.reason


def test_claims_of_what_went_wrong_must_be_stated_in_the_evidence(embedder):
    s = "The reactor trip during the control rod drive breaker test was due to a malfunctioning 3A Reactor Protective System (RPS)."
    (res,) = check_sentences([s], [("P1", P1)], embedder, SupportPolicy(), question=Q)
    assert res.status == "unsupported" and "malfunction" in res.reason


P2 = "The emergency diesel generators started and loaded as designed."
CLAIM = "Oconee Unit 3 reactor tripped from 100% steady state operation during breaker testing."


def test_a_claim_is_checked_against_the_passages_it_cites_first(embedder):
    shown = [("P1", P1), ("P2", P2)]
    (ok,) = check_sentences([CLAIM], shown, embedder, SupportPolicy(), question=Q, cites=[["P1"]])
    assert ok.status == "supported" and ok.citations == ["P1"] and "corrected" not in ok.reason


def test_a_miscited_claim_is_recited_to_its_support_or_dropped(embedder):
    """Claims output: the model cited P2, which does not say it. Re-cited to P1 (the reason says so), or dropped."""
    shown = [("P1", P1), ("P2", P2)]
    (fixed,) = check_sentences([CLAIM], shown, embedder, SupportPolicy(), question=Q, cites=[["P2"]])
    assert fixed.status == "supported" and fixed.citations == ["P1"]
    assert "cites P2" in fixed.reason and "corrected" in fixed.reason
    (strict,) = check_sentences([CLAIM], shown, embedder, SupportPolicy(), question=Q, cites=[["P2"]], recite=False)
    assert strict.status == "unsupported" and strict.citations == [] and "P2" in strict.reason
    (none,) = check_sentences([CLAIM], shown, embedder, SupportPolicy(), question=Q, cites=[["P9"]], recite=False)
    assert none.status == "unsupported" and "P9" in none.reason
