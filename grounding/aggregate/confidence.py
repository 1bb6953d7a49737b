"""Confidence of an aggregate / distribution answer, from what the route knows.

The route's signals (`agg_route`, `agg_place_fuzzy`, `agg_ambiguous`, `agg_empty`, `agg_period_clipped`,
`agg_concepts`, `dist_route`, `dist_support`, `onto_route`) are ordinary confidence signals: the uncalibrated default
(verify/confidence.py DEFAULT_WEIGHTS) weighs them, and `grounding calibrate` learns them once its
question set holds aggregate questions. A logistic calibrator fitted WITHOUT aggregate questions has
never seen these signals (their coefficients are 0 and the retrieval signals they lack would read as
"no evidence"), so it is used for these routes only when it was fitted with them.
"""

from __future__ import annotations

from grounding.answer.signals import ROUTE_FEATURES, SignalsLike
from grounding.verify.calibration import Calibrator, confidence_from
from grounding.verify.confidence import default_confidence


def fitted_with_routes(cal: Calibrator | None, routes: tuple[str, ...] = ROUTE_FEATURES) -> bool:
    """The calibrator saw questions of at least one of `routes` (their signal's mean is above 0)."""
    if cal is None or cal.method != "logistic" or not cal.mean:
        return False
    idx = [cal.features.index(f) for f in routes if f in cal.features]
    return any(i < len(cal.mean) and cal.mean[i] > 0 for i in idx)


def route_confidence(signals: SignalsLike, cal: Calibrator | None) -> float:
    """Calibrated when the calibrator was fitted with questions of this answer's own route (an aggregate
    count, a distribution, an ontology question); else the uncalibrated default. A calibrator fitted with
    aggregate questions but no distribution ones has a zero coefficient for `dist_route`, so it is not
    used for distributions."""
    get = signals.get if hasattr(signals, "get") else (lambda k, d=None: getattr(signals, k, d))
    mine = tuple(f for f in ROUTE_FEATURES if (get(f, 0.0) or 0.0) > 0) or ROUTE_FEATURES
    return confidence_from(signals, cal) if fitted_with_routes(cal, mine) else default_confidence(signals)
