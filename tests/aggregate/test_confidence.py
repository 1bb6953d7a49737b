"""Which confidence an archive route gets: calibrated only for a route the calibrator was fitted with."""

from __future__ import annotations

from grounding.aggregate.confidence import fitted_with_routes, route_confidence
from grounding.verify.calibration import Calibrator
from grounding.verify.confidence import default_confidence

SINGLE = [{"retrieval_top": 0.8, "evidence_top": 0.7}, {"retrieval_top": 0.2, "evidence_top": 0.1}] * 4
AGG = [{"agg_route": 1.0}, {"agg_route": 1.0, "agg_empty": 1.0}] * 4


def _fit(rows):
    return Calibrator(method="logistic").fit(rows, [1, 0] * (len(rows) // 2))


def test_a_calibrator_fitted_without_route_questions_is_not_used_for_them():
    cal = _fit(SINGLE)
    assert not fitted_with_routes(cal)
    sig = {"agg_route": 1.0, "agg_empty": 0.0}
    assert route_confidence(sig, cal) == default_confidence(sig)


def test_fitted_with_aggregates_calibrates_aggregates_but_not_distributions():
    cal = _fit(SINGLE + AGG)
    agg = {"agg_route": 1.0}
    assert route_confidence(agg, cal) == cal.predict(agg)
    assert route_confidence(agg, cal) > route_confidence({"agg_route": 1.0, "agg_empty": 1.0}, cal)
    dist = {"dist_route": 1.0, "dist_support": 0.4}
    assert route_confidence(dist, cal) == default_confidence(dist)
