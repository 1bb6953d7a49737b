import numpy as np

from grounding.verify.calibration import Calibrator


def _data(n=400, seed=0):
    rng = np.random.default_rng(seed)
    rows, y = [], []
    for _ in range(n):
        meta = float(rng.random() < 0.5)
        top = float(rng.random())
        p = 1 / (1 + np.exp(-(-3 + 4 * meta + 2 * top)))
        rows.append({"meta_top": meta, "retrieval_top": top})
        y.append(int(rng.random() < p))
    return rows, y


def test_logistic_calibrator_is_monotone_and_roundtrips(tmp_path):
    rows, y = _data()
    cal = Calibrator().fit(rows, y)
    lo = cal.predict({"meta_top": 0.0, "retrieval_top": 0.2})
    hi = cal.predict({"meta_top": 1.0, "retrieval_top": 0.9})
    assert 0 < lo < 0.3 < 0.7 < hi < 1
    cal.save(tmp_path / "c.json")
    again = Calibrator.load(tmp_path / "c.json")
    assert again.predict({"meta_top": 1.0, "retrieval_top": 0.9}) == hi


def test_calibrated_probabilities_match_frequencies():
    rows, y = _data(2000, seed=1)
    cal = Calibrator().fit(rows[:1000], y[:1000])
    p = np.array([cal.predict(r) for r in rows[1000:]])
    yt = np.array(y[1000:])
    for lo, hi in [(0.0, 0.3), (0.7, 1.0)]:
        m = (p >= lo) & (p < hi)
        assert abs(p[m].mean() - yt[m].mean()) < 0.08


def test_isotonic_calibrator_outputs_probabilities():
    rows, y = _data()
    cal = Calibrator(method="isotonic").fit(rows, y)
    vals = [cal.predict(r) for r in rows[:50]]
    assert all(0.0 <= v <= 1.0 for v in vals)


def test_ask_draws_as_many_samples_as_the_calibrator_was_fitted_with(tmp_path):
    from grounding.answer.agent import AnswerAgent
    from tests.conftest import make_config

    cfg = make_config(tmp_path, tmp_path / "none.jsonl")
    rows, y = _data()
    agent = AnswerAgent(cfg, None, None, None, None)  # type: ignore[arg-type]  # only the sample policy is used
    assert agent.default_samples() == cfg.confidence.self_consistency_samples
    Calibrator(samples=3).fit(rows, y).save(tmp_path / "c.json")
    agent.calibrator = Calibrator.load(tmp_path / "c.json")
    assert agent.default_samples() == 3
    agent.calibrator = Calibrator(samples=0).fit(rows, y)
    assert agent.default_samples() == cfg.confidence.self_consistency_samples
