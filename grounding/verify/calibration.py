"""Calibration: from the pipeline's signals to P(answer is correct), fitted on labelled questions.

Saved as plain JSON (coefficients or isotonic breakpoints), never pickle, so a
calibrator file can be read, diffed and trusted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from grounding.atomic_write import atomic_write_bytes
from grounding.answer.signals import FEATURES, SignalsLike, feature_vector
from grounding.verify.confidence import default_confidence


class CalibratorError(ValueError):
    """A calibrator file that cannot be read; the message names it."""


@dataclass
class Calibrator:
    method: Literal["logistic", "isotonic"] = "logistic"
    features: list[str] = field(default_factory=lambda: list(FEATURES))
    mean: list[float] = field(default_factory=list)
    scale: list[float] = field(default_factory=list)
    coef: list[float] = field(default_factory=list)
    intercept: float = 0.0
    iso_x: list[float] = field(default_factory=list)
    iso_y: list[float] = field(default_factory=list)
    n_train: int = 0
    train_metrics: dict = field(default_factory=dict)
    # Self-consistency samples per question when fitted: `ask` draws as many by default, so the
    # signals it scores are the signals the calibrator learned from (0 = none, sc_* signals absent).
    samples: int = 0
    # What it was fitted with (`fingerprint`): embedder, generator, model file hash, signal list.
    # Signals from another embedder or model are on other scales, so a calibrator is used only
    # by the system it was fitted on (`mismatch`).
    fitted_with: dict = field(default_factory=dict)
    # The abstention threshold the fitting run recommends (`grounding calibrate` prints it).
    recommended_threshold: float | None = None

    def mismatch(self, running: dict) -> str:
        """Why this calibrator does not fit the running system ("" when it does)."""
        if not self.fitted_with:
            return "it records nothing of the system it was fitted on"
        for key in ("embedder", "generator", "model_sha256"):
            want, have = self.fitted_with.get(key), running.get(key)
            if want != have:
                return f"it was fitted with {key} {want!r}, the running system has {have!r}"
        unknown = sorted(set(self.features) - set(FEATURES))
        if unknown:
            return f"it uses signals this version does not compute: {', '.join(unknown)}"
        return ""

    def _matrix(self, rows: list[SignalsLike]) -> np.ndarray:
        return np.array([feature_vector(r, self.features) for r in rows], dtype=float)

    def fit(self, rows: list[SignalsLike], y: list[int] | np.ndarray) -> "Calibrator":
        y = np.asarray(y, dtype=int)
        self.n_train = len(y)
        if self.method == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            x = np.array([default_confidence(r) for r in rows])
            iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(x, y)
            self.iso_x = [float(v) for v in iso.X_thresholds_]
            self.iso_y = [float(v) for v in iso.y_thresholds_]
            return self
        from sklearn.linear_model import LogisticRegression

        X = self._matrix(rows)
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        scale[scale == 0] = 1.0
        model = LogisticRegression(C=1.0, max_iter=1000).fit((X - mean) / scale, y)
        self.mean, self.scale = mean.tolist(), scale.tolist()
        self.coef, self.intercept = model.coef_[0].tolist(), float(model.intercept_[0])
        return self

    def predict(self, signals: SignalsLike) -> float:
        """P(correct) from one answer's signals, read in the order of this file's `features`."""
        if self.method == "isotonic":
            return float(np.interp(default_confidence(signals), self.iso_x, self.iso_y))
        x = (np.array(feature_vector(signals, self.features)) - np.array(self.mean)) / np.array(self.scale)
        z = float(x @ np.array(self.coef) + self.intercept)
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path) -> None:
        atomic_write_bytes(Path(path), json.dumps(self.__dict__, indent=2).encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> "Calibrator":
        try:
            return cls(**json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise CalibratorError(f"{path}: not a calibrator file ({exc})") from None


@functools.lru_cache(maxsize=8)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fingerprint(embedder_name: str, generator, samples: int) -> dict:
    """What a calibrator records of the system it is fitted on (compared again at ask time)."""
    path = getattr(generator, "path", None)
    digest = ""
    if isinstance(path, Path) and path.is_file():
        st = path.stat()
        digest = _file_sha256(str(path), st.st_size, st.st_mtime_ns)
    return {
        "embedder": embedder_name,
        "generator": getattr(generator, "name", type(generator).__name__),
        "model_sha256": digest,
        "samples": samples,
        "signals": list(FEATURES),
    }


def packaged_calibrator() -> Path:
    """The calibrator shipped with the package: fitted on the bundled dev split, default config."""
    return Path(__file__).resolve().parent.parent / "data" / "calibrator.json"


def confidence_from(signals: SignalsLike, calibrator: Calibrator | None) -> float:
    return calibrator.predict(signals) if calibrator is not None else default_confidence(signals)
