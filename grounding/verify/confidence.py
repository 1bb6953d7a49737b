"""Confidence: signals gathered along the pipeline, mapped to P(answer is correct).

Without a fitted calibrator (`grounding calibrate`) a fixed logistic combination is
used: it is monotone in every signal and documented in docs/confidence.md, but its
numbers are not probabilities until calibrated on labelled questions.
"""

from __future__ import annotations

import math

from grounding.answer.signals import SignalsLike

# Weights of the uncalibrated default (log-odds per unit of signal).
DEFAULT_WEIGHTS: dict[str, float] = {
    "bias": -4.0,
    "retrieval_top": 3.0,  # cosine of the best dense hit (0..1)
    "meta_top": 2.0,  # the top passage matches the facility/place and date the question names
    "evidence_top": 1.5,  # relevance of the best evidence sentence
    "margin": 4.0,  # final-score margin between the first and second report, in RRF votes
    "support_ratio": 1.5,  # share of generated sentences that passed the checks
    "kg_match": 0.5,
    "field_answer": 2.0,  # the answer was read from a structured field of the pinned report, not generated
    "unit_conflict": -2.0,  # the question names a unit the top report does not cover
    "cause_unknown": -2.0,  # a cause question whose evidence says the cause is not yet known
    # Aggregate / distribution routes (grounding/aggregate, docs/aggregates.md): a count read from SQL by an
    # exact query starts high; what the route could only approximate lowers it.
    "agg_route": 7.0,  # the answer is a SQL count over a typed query (no generation)
    "agg_place_fuzzy": -1.5,  # the plant name was matched fuzzily (a misspelling)
    "agg_ambiguous": -1.5,  # the name matches several stored facilities
    "agg_empty": -1.0,  # the query counted nothing
    "agg_period_clipped": -0.5,  # the period reaches outside the corpus and was clipped to it
    "agg_concepts": -1.0,  # an ontology concept filter narrows the count (links, not fields)
    "dist_route": 5.0,  # a distribution over report-concept links
    "dist_support": 1.0,  # share of the linked reports the top row covers (0..1)
    "onto_route": 7.0,  # an is-a question answered by a path (or disjointness) in the ontology
}


def default_confidence(signals: SignalsLike) -> float:
    z = DEFAULT_WEIGHTS["bias"] + sum(w * signals.get(k, 0.0) for k, w in DEFAULT_WEIGHTS.items() if k != "bias")
    return 1.0 / (1.0 + math.exp(-z))
