"""A calibrator is used only by the system it was fitted on; the packaged one is the default."""

from __future__ import annotations

import json
import logging

import numpy as np

from grounding.system import Grounding
from grounding.verify.calibration import FEATURES, Calibrator, fingerprint, packaged_calibrator
from tests.conftest import REPO, make_config
from tests.ingest.fakes import HashEmbedder


class NamedGenerator:
    def __init__(self, name: str, path=None) -> None:
        self.name, self.path = name, path

    def generate(self, messages, sampling):  # never called here
        raise AssertionError


def _fit(fitted_with: dict) -> Calibrator:
    rng = np.random.default_rng(0)
    rows = [{f: float(rng.random()) for f in FEATURES} for _ in range(40)]
    y = [int(r["support_ratio"] > 0.5) for r in rows]
    return Calibrator(fitted_with=fitted_with).fit(rows, y)


def _system(tmp_path, gen_name="gen:a", path=None) -> Grounding:
    cfg = make_config(tmp_path, tmp_path / "none.jsonl")
    return Grounding(cfg, embedder=HashEmbedder(), generator=NamedGenerator(gen_name, path))


def test_a_matching_calibrator_in_the_data_dir_is_used(tmp_path):
    g = _system(tmp_path)
    cal = _fit(g.fingerprint())
    cal.save(g.data_dir / "calibrator.json")
    assert g.calibrator is not None and g.calibrator_path == g.data_dir / "calibrator.json"


def test_another_generator_or_model_file_means_uncalibrated_with_one_warning(tmp_path, caplog):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"model one")
    g = _system(tmp_path, path=model)
    _fit(g.fingerprint()).save(g.data_dir / "calibrator.json")
    model.write_bytes(b"model two")  # same name, other weights: the hash tells them apart
    other = _system(tmp_path, path=model)
    with caplog.at_level(logging.WARNING, logger="grounding"):
        assert other.calibrator is None
        assert other.calibrator is None  # built once: one warning
    msgs = [r.getMessage() for r in caplog.records if "calibrator" in r.getMessage()]
    assert len(msgs) == 1 and "model_sha256" in msgs[0] and "uncalibrated default" in msgs[0]
    renamed = _system(tmp_path, gen_name="gen:b", path=model)
    assert renamed.calibrator is None


def test_a_calibrator_that_records_nothing_is_not_trusted(tmp_path):
    g = _system(tmp_path)
    Calibrator().fit([{f: float(i % 2) for f in FEATURES} for i in range(10)], [i % 2 for i in range(10)]).save(
        g.data_dir / "calibrator.json"
    )
    assert Calibrator.load(g.data_dir / "calibrator.json").mismatch(g.fingerprint()).startswith("it records nothing")
    assert g.calibrator is None


def test_packaged_calibrator_records_its_system_and_matches_the_defaults():
    """The shipped file says what it was fitted with, and that is what a default install runs."""
    from grounding.config import EmbedderConfig, GeneratorConfig
    from grounding.generate.factory import make_generator

    path = packaged_calibrator()
    data = json.loads(path.read_text())
    fw = data["fitted_with"]
    assert fw["embedder"] == "all-MiniLM-L6-v2" and set(data["features"]) <= set(FEATURES)
    assert data["recommended_threshold"] is not None and data["train_metrics"]["n"] >= 100
    gen = make_generator(GeneratorConfig(), path.parent)
    assert EmbedderConfig().backend == "minilm"
    assert Calibrator.load(path).mismatch(fingerprint("all-MiniLM-L6-v2", gen, 0)) == ""


def test_the_default_threshold_is_the_packaged_calibrators_recommendation():
    from grounding.config import ConfidenceConfig, load_config

    rec = json.loads(packaged_calibrator().read_text())["recommended_threshold"]
    assert ConfidenceConfig().threshold == rec
    assert load_config(REPO / "config.toml").confidence.threshold == rec
