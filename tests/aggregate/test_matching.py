"""The evaluator's exact scoring of aggregate answers (grounding/evaluate/matching.py aggregate_correct)."""

from __future__ import annotations

from grounding.evaluate.matching import aggregate_correct


def test_counts_rankings_series_shares_comparisons():
    assert aggregate_correct({"result": {"value": 3}}, 3, "count")
    assert not aggregate_correct({"result": {"value": 4}}, 3, "count")
    assert not aggregate_correct(None, 3, "count") and not aggregate_correct({"unmapped": "x"}, 3, "count")
    rank = {"result": {"top": "DIABLO CANYON", "value": 4}}
    assert aggregate_correct(rank, {"top": ["diablo canyon", "oconee"], "value": 4}, "rank")
    assert not aggregate_correct(rank, {"top": ["oconee"], "value": 4}, "rank")
    assert not aggregate_correct(rank, {"top": ["diablo canyon"], "value": 5}, "rank")
    series = {"result": {"series": {"2010": 1, "2011": 0}}}
    assert aggregate_correct(series, {"2010": 1, "2011": 0}, "series")
    assert not aggregate_correct(series, {"2010": 1}, "series") and not aggregate_correct(series, {"2010": 1, "2011": 2}, "series")
    assert aggregate_correct({"result": {"part": 2, "total": 3, "share": 0.67}}, {"part": 2, "total": 3}, "share")
    assert not aggregate_correct({"result": {"part": 2, "total": 4}}, {"part": 2, "total": 3}, "share")
    cmp = {"result": {"rows": [{"group": "SALEM", "value": 2}, {"group": "HOPE CREEK", "value": 0}]}}
    assert aggregate_correct(cmp, {"Salem": 2, "Hope Creek": 0}, "compare")
    assert not aggregate_correct(cmp, {"Salem": 2, "Hope Creek": 1}, "compare")


def test_distribution_top_among_gold_top3():
    agg = {"category": "cause", "result": {"rows": [{"concept": "urn:x#Weather", "reports": 5}]}}
    assert aggregate_correct(agg, {"category": "cause", "top3": ["urn:x#Maint", "urn:x#Weather"]}, "distribution")
    assert not aggregate_correct(agg, {"category": "equipment", "top3": ["urn:x#Weather"]}, "distribution")
    assert not aggregate_correct({"category": "cause", "result": {"rows": []}}, {"category": "cause", "top3": ["urn:x#Weather"]}, "distribution")
