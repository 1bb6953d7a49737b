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


def fitted_with_routes(cal: Calibrator | None) -> bool:
    if cal is None or cal.method != "logistic" or "agg_route" not in cal.features or not cal.mean:
        return False
    idx = [cal.features.index(f) for f in ROUTE_FEATURES if f in cal.features]
    return any(i < len(cal.mean) and cal.mean[i] > 0 for i in idx)


def route_confidence(signals: SignalsLike, cal: Calibrator | None) -> float:
    return confidence_from(signals, cal) if fitted_with_routes(cal) else default_confidence(signals)
