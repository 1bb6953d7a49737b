"""The confidence signals of one answer, typed: what the pipeline measured, and what the calibrator reads.

One name per signal, written once here. `FEATURES` is the calibrator's input vector in the
order of its coefficients: it must stay exactly the `features` list of the packaged
grounding/data/calibrator.json (tests/answer/test_signals.py checks), or that file no longer
loads into the same confidences.

A signal that was not measured (no passages, no generation) is None: it is left out of the
answer's trace (`as_dict`) and reads as 0.0 to the calibrator, as a missing key always did.
This module imports nothing from grounding, so verify/ and aggregate/ can use it freely.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Mapping, Union

# The calibrator's inputs, in the order of its coefficient vector.
FEATURES: tuple[str, ...] = (
    "retrieval_top",
    "meta_top",
    "evidence_top",
    "margin",
    "support_ratio",
    "kg_match",
    "concept_alignment",
    "sc_agreement",
    "gen_mean_logprob",
    "gen_mean_entropy",
    "extractive",
    "has_filters",
    "field_answer",
    "kind_cue",
    "novelty",
    "unit_conflict",
    "cause_unknown",
    # aggregate / distribution / ontology routes (grounding/aggregate/confidence.py)
    "agg_route",
    "agg_place_fuzzy",
    "agg_ambiguous",
    "agg_empty",
    "agg_period_clipped",
    "agg_concepts",
    "dist_route",
    "dist_support",
    "onto_route",
)

# The signal that marks each archive route (a calibrator fitted without them has never seen these routes).
ROUTE_FEATURES: tuple[str, ...] = ("agg_route", "dist_route", "onto_route")


@dataclass
class Signals:
    """The single-event path's signals, in the order the answer's trace lists them.

    Fields before `concept_alignment` are measured on the evidence and the generation; the
    rest on what survived the checks. `injected_cause` and `wrong_place` are hard checks
    (reasons to abstain), not calibrator inputs.
    """

    # evidence (answer/evidence.py)
    retrieval_top: float | None = None  # best dense cosine among the passages
    meta_top: float | None = None  # the top passage's match with the question's facility/place and date
    evidence_top: float | None = None  # relevance of the best evidence sentence
    margin: float | None = None  # final-score margin between the first and second report, in RRF votes (0..1)
    support_ratio: float | None = None  # share of generated sentences that passed the checks
    kg_match: float | None = None
    n_passages: float | None = None
    has_filters: float | None = None
    # generation (answer/draft.py)
    gen_mean_logprob: float | None = None
    gen_mean_entropy: float | None = None
    sc_agreement: float | None = None
    sc_abstain_vote: float | None = None  # only with self-consistency samples
    # the answer as checked
    extractive: float | None = None
    field_answer: float | None = None
    kind_cue: float | None = None
    novelty: float | None = None
    unit_conflict: float | None = None
    cause_unknown: float | None = None
    concept_alignment: float | None = None
    kg_contradictions: float | None = None
    # hard checks, after the confidence
    injected_cause: float | None = None
    wrong_place: float | None = None

    def get(self, name: str, default: float = 0.0) -> float:
        """A signal's value, `default` when not measured (the lookup a plain signal dict answers too)."""
        value = getattr(self, name, None)
        return default if value is None else float(value)

    def as_dict(self) -> dict[str, float]:
        """The measured signals, in field order: what `Answer.signals` records."""
        return {f.name: float(v) for f in fields(self) if (v := getattr(self, f.name)) is not None}

    def update(self, values: Mapping[str, float]) -> None:
        """Set several signals by name; a name Signals does not know is an error, not a silent extra."""
        for name, value in values.items():
            if name not in _NAMES:
                raise KeyError(f"unknown signal {name!r}")
            setattr(self, name, value)


_NAMES = frozenset(f.name for f in fields(Signals))

# What the calibrator and the uncalibrated default accept: typed Signals, or a plain mapping (the
# archive routes' signals, labelled rows read back from an eval run's JSON).
SignalsLike = Union[Signals, Mapping[str, float]]


def feature_vector(signals: SignalsLike, features: list[str] | tuple[str, ...] = FEATURES) -> list[float]:
    """`signals` as the calibrator's input, in the order of `features`; an unmeasured one is 0.0."""
    return [float(signals.get(f, 0.0)) for f in features]
