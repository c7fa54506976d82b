"""The flood-risk model: gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier)
on the features (features.py), then calibrated on hours it did not learn from (isotonic
regression), so that of the hours it says "30 %", about 30 % do see high water.

Trees, not a straight line: the chance of high water grows with recent rain differently when
the river is low than when it is near its line, and a logistic regression on the same features
scored a clearly worse Brier skill on the simulated city (0.44 against 0.52 over two unseen
years). The fitted model is kept as a pickle of this scikit-learn minor version, written and
read by Civic only (insights.FloodRiskModel); it is trained again from the stored readings,
never loaded from elsewhere.

``evaluate`` scores probabilities against what happened: the Brier score (the mean squared
difference between the probability and the 0/1 outcome; lower is better), the same for the
climatology baseline (always the base rate of the hours learnt from), the skill score
``1 - Brier / Brier of climatology`` (above 0: better than climatology), and the reliability
table behind the reliability diagram."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.isotonic import IsotonicRegression

#: Fewer high-water hours than this among the calibration hours: the trees' own probabilities
#: are kept (an isotonic fit on a handful of events would be a staircase).
CALIBRATION_EVENTS_NEEDED = 20
RELIABILITY_BINS = 10


@dataclass
class Fitted:
    classifier: HistGradientBoostingClassifier
    calibration: IsotonicRegression | None
    base_rate: float

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """The calibrated probability of high water for each row of features."""
        raw = self.classifier.predict_proba(np.atleast_2d(x))[:, 1]
        return raw if self.calibration is None else self.calibration.predict(raw)

    def dumps(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(data: bytes) -> Fitted:
        return pickle.loads(data)  # noqa: S301 (written by flood_risk_train, never uploaded)


def fit(x: np.ndarray, y: np.ndarray, x_calibrate: np.ndarray, y_calibrate: np.ndarray) -> Fitted:
    """Learn from (x, y), calibrate on (x_calibrate, y_calibrate), later hours than (x, y)."""
    classifier = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=0)
    classifier.fit(x, y)
    fitted = Fitted(classifier, None, float(np.mean(y)))
    if int(np.sum(y_calibrate)) >= CALIBRATION_EVENTS_NEEDED:
        raw = classifier.predict_proba(x_calibrate)[:, 1]
        fitted.calibration = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
        fitted.calibration.fit(raw, y_calibrate)
    return fitted


def evaluate(y: np.ndarray, p: np.ndarray, base_rate: float) -> dict:
    """Brier score against climatology, and the reliability table (ten bins of probability:
    how many hours, the mean probability said, and how often high water came)."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    brier = float(np.mean((p - y) ** 2))
    climatology = float(np.mean((base_rate - y) ** 2))
    bins = np.minimum((p * RELIABILITY_BINS).astype(int), RELIABILITY_BINS - 1)
    reliability = []
    for index in range(RELIABILITY_BINS):
        inside = bins == index
        count = int(inside.sum())
        reliability.append(
            {
                "low": index / RELIABILITY_BINS,
                "high": (index + 1) / RELIABILITY_BINS,
                "hours": count,
                "forecast": round(float(p[inside].mean()), 4) if count else None,
                "observed": round(float(y[inside].mean()), 4) if count else None,
            }
        )
    return {
        "hours": len(y),
        "events": int(y.sum()),
        "brier": round(brier, 5),
        "brier_climatology": round(climatology, 5),
        "skill": round(1 - brier / climatology, 4) if climatology else None,
        "base_rate": round(base_rate, 5),
        "reliability": reliability,
    }
