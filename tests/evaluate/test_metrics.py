import math

import numpy as np
import pytest

from grounding.evaluate.metrics import Outcome, compute, ece, risk_coverage


def test_penalized_score_rewards_abstaining_over_guessing():
    right = Outcome(True, True, True, 0.9, ["a"], ["a"])
    wrong = Outcome(True, True, False, 0.8, ["b"], ["a"])
    abstain = Outcome(False, False, False, 0.1, [], [])
    m = compute([right, wrong, abstain], threshold=0.75)
    assert m["penalized_score"] == pytest.approx((1 - 3) / 3)
    assert m["accuracy"] == 0.5 and m["coverage"] == pytest.approx(2 / 3)
    assert m["abstain_rate_unanswerable"] == 1.0
    assert m["citation_precision"] == 0.5 and m["citation_recall"] == 0.5
    assert m["auroc"] == 1.0


def test_ece_is_zero_when_calibrated_and_large_when_overconfident():
    y = np.array([1, 0] * 50, dtype=float)
    assert ece(np.full(100, 0.5), y) == pytest.approx(0.0)
    assert ece(np.full(100, 0.99), y) == pytest.approx(0.49)


def test_risk_coverage_starts_with_the_most_confident():
    curve = risk_coverage(np.array([0.9, 0.1, 0.5]), np.array([1.0, 0.0, 1.0]))
    assert curve[0] == (pytest.approx(1 / 3), 0.0) and math.isclose(curve[-1][1], 1 / 3)


def test_citation_precision_skips_answers_whose_gold_is_a_number_not_reports():
    """Regression: aggregate answers (gold: a count, no gold reports) scored citation precision 0 when mixed
    with single-event questions in one run; an answered unanswerable question still counts as a wrong citation."""
    right = Outcome(True, True, True, 0.9, ["a"], ["a"])
    count = Outcome(True, True, True, 0.9, ["x", "y"], [])
    unanswerable_answered = Outcome(False, True, False, 0.8, ["b"], [])
    assert compute([right, count], threshold=0.5)["citation_precision"] == 1.0
    assert compute([right, count, unanswerable_answered], threshold=0.5)["citation_precision"] == 0.5
