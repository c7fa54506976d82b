"""The models: LightGBM on calendar, covariates and history known at the origin, with
conformal intervals; statsmodels' exponential smoothing and the weekly seasonal naive as the
baselines it must beat.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import lightgbm
import numpy as np

from civic.insights.forecasting.features import HISTORY_DAYS, HistoryFeatures, as_matrix, pairs

SEASON = 7
ROUNDS = 400
#: the fewest distinct days a leaf may be fitted on
LEAF_DAYS = 5
LIGHTGBM_PARAMETERS = {
    "learning_rate": 0.03,
    "num_leaves": 31,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "feature_fraction": 0.8,
    "objective": "l1",  # the median: MASE scores absolute errors
    "num_threads": 1,  # the machine is shared; one origin's two fits take seconds
    "verbose": -1,
    "seed": 1,
}


def seasonal_naive(target: np.ndarray, origin: int, horizon: int) -> np.ndarray:
    """The last observed week repeated: day ``origin + h`` gets the value of the latest day
    at or before the origin on the same weekday."""
    ahead = np.arange(1, horizon + 1)
    return target[origin + ahead - SEASON * ((ahead + SEASON - 1) // SEASON)]


def seasonal_naive_scale(target: np.ndarray, origin: int) -> float:
    """The in-sample mean absolute error of the weekly seasonal naive forecast up to the
    origin: the MASE denominator of M4 and M5 (m = 7)."""
    history = target[: origin + 1]
    return float(np.mean(np.abs(history[SEASON:] - history[:-SEASON])))


def exponential_smoothing(target: np.ndarray, origin: int, horizon: int) -> np.ndarray:
    """Holt-Winters with an additive weekly season (statsmodels), on the last two years."""
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    history = target[max(0, origin + 1 - 730) : origin + 1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short or flat series
        fitted = ExponentialSmoothing(
            history, trend=None, seasonal="add", seasonal_periods=SEASON
        ).fit()
    return np.asarray(fitted.forecast(horizon), dtype=float)


@dataclass
class GradientBoostedForecast:
    """LightGBM fitted on every (origin, day ahead) pair of the training window.

    It learns from the covariates' observed values. It forecasts with ``ahead_covariates``
    where given: per covariate and day, a row of scenarios known at the origin for the days
    after it (the quantiles of the covariate's climatology, covariates.py), the forecast being
    the mean over the scenarios, the same for the calibration's forecasts as for the forecast
    itself; without them, with the observed values (the evaluation, whose report says so)."""

    history: HistoryFeatures
    calendar: dict[str, np.ndarray]
    covariates: dict[str, np.ndarray]
    horizon: int
    training_days: int
    ahead_covariates: dict[str, np.ndarray] | None = None

    def _fit(self, last_known: int):
        first = max(HISTORY_DAYS, last_known - self.training_days)
        origins, days = pairs(first, last_known - 1, self.horizon, last_known)
        features, level = self.history.rows(origins, days, self.calendar, self.covariates)
        matrix, names = as_matrix(features)
        data = lightgbm.Dataset(
            matrix, label=self.history.target[days] - level, feature_name=_safe(names)
        )
        # each day's value is the target of up to ``horizon`` rows (one per origin before it):
        # a leaf must hold several days, not one day's copies, or the trees learn its noise
        parameters = {**LIGHTGBM_PARAMETERS, "min_data_in_leaf": LEAF_DAYS * self.horizon}
        return lightgbm.train(parameters, data, num_boost_round=ROUNDS)

    def _predict(self, model, origins: np.ndarray, days: np.ndarray) -> np.ndarray:
        if not self.ahead_covariates:
            return self._predict_with(model, origins, days, self.covariates)
        scenarios = next(iter(self.ahead_covariates.values())).shape[1]
        return np.mean(
            [
                self._predict_with(
                    model,
                    origins,
                    days,
                    {name: rows[:, k] for name, rows in self.ahead_covariates.items()},
                )
                for k in range(scenarios)
            ],
            axis=0,
        )

    def _predict_with(self, model, origins, days, covariates) -> np.ndarray:
        features, level = self.history.rows(origins, days, self.calendar, covariates)
        matrix, _ = as_matrix(features)
        return model.predict(matrix) + level

    def calibration_residuals(self, origin: int, span: int) -> tuple[np.ndarray, np.ndarray]:
        """Out-of-sample errors (actual minus forecast) and days ahead, from a model that knew
        the series only up to ``span`` days before the origin, over the origins of that span."""
        cut = origin - span
        model = self._fit(cut)
        origins, days = pairs(cut, origin - 1, self.horizon, origin)
        forecast = self._predict(model, origins, days)
        return self.history.target[days] - forecast, days - origins

    def forecast(self, origin: int) -> np.ndarray:
        model = self._fit(origin)
        ahead = np.arange(1, self.horizon + 1)
        return self._predict(model, np.full(self.horizon, origin), origin + ahead)


def interval(
    forecast: np.ndarray, residuals: np.ndarray, residual_ahead: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Split-conformal bounds: the forecast plus the empirical quantiles of past errors made
    the same number of weeks ahead (errors grow with the horizon)."""
    tail = (1 - level) / 2
    lower = np.empty_like(forecast)
    upper = np.empty_like(forecast)
    for index in range(len(forecast)):
        week = index // SEASON
        same_week = residuals[(residual_ahead - 1) // SEASON == week]
        pool = same_week if len(same_week) >= 20 else residuals
        low, high = np.quantile(pool, [tail, 1 - tail])
        lower[index] = forecast[index] + low
        upper[index] = forecast[index] + high
    return lower, upper


def _safe(names: list[str]) -> list[str]:
    # LightGBM refuses some characters in feature names (JSON special characters)
    return ["".join(c if c.isalnum() else "_" for c in name) for name in names]
