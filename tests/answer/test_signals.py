"""Signals <-> the calibrator: one name per signal, the packaged calibrator's vector order, same confidences."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from grounding.answer.signals import FEATURES, ROUTE_FEATURES, Signals, feature_vector
from grounding.verify.calibration import Calibrator, packaged_calibrator
from grounding.verify.confidence import DEFAULT_WEIGHTS, default_confidence

SINGLE_EVENT = [f for f in FEATURES if not f.startswith(("agg_", "dist_", "onto_"))]


def _measured() -> Signals:
    s = Signals()
    for i, f in enumerate(fields(Signals)):
        setattr(s, f.name, round(0.05 + 0.037 * i, 4))
    return s


def test_features_are_the_packaged_calibrators_in_its_order():
    data = json.loads(packaged_calibrator().read_text(encoding="utf-8"))
    assert list(FEATURES) == data["features"]
    assert Calibrator.load(packaged_calibrator()).features == list(FEATURES)


def test_every_single_event_feature_is_a_signals_field():
    names = [f.name for f in fields(Signals)]
    assert set(SINGLE_EVENT) <= set(names)
    assert set(ROUTE_FEATURES) <= set(FEATURES)
    assert {k for k in DEFAULT_WEIGHTS if k != "bias"} <= set(FEATURES)  # the default weighs calibrator inputs only


def test_feature_vector_follows_the_given_order_and_reads_unmeasured_as_zero():
    s = Signals(retrieval_top=0.9, margin=0.3, field_answer=1.0)
    vec = feature_vector(s)
    assert len(vec) == len(FEATURES)
    assert vec[FEATURES.index("retrieval_top")] == 0.9 and vec[FEATURES.index("margin")] == 0.3
    assert vec[FEATURES.index("field_answer")] == 1.0 and vec[FEATURES.index("meta_top")] == 0.0
    assert feature_vector(s, ["margin", "retrieval_top"]) == [0.3, 0.9]
    assert feature_vector(s.as_dict()) == vec  # a plain mapping (an archive route, an eval row) reads the same


def test_packaged_calibrator_gives_the_same_confidence_for_signals_and_their_dict():
    cal = Calibrator.load(packaged_calibrator())
    s = _measured()
    assert cal.predict(s) == pytest.approx(cal.predict(s.as_dict()), abs=1e-15)
    assert default_confidence(s) == pytest.approx(default_confidence(s.as_dict()), abs=1e-15)
    empty = Signals(n_passages=0.0, has_filters=0.0)
    assert cal.predict(empty) == pytest.approx(cal.predict({"n_passages": 0.0, "has_filters": 0.0}), abs=1e-15)


def test_as_dict_keeps_field_order_and_leaves_out_what_was_not_measured():
    s = Signals(n_passages=0.0, has_filters=1.0)
    s.extractive = 0.0
    s.update({"gen_mean_logprob": -0.5})
    assert list(s.as_dict()) == ["n_passages", "has_filters", "gen_mean_logprob", "extractive"]
    assert list(_measured().as_dict()) == [f.name for f in fields(Signals)]


def test_an_unknown_signal_name_is_an_error():
    with pytest.raises(KeyError, match="sc_agrement"):
        Signals().update({"sc_agrement": 1.0})
