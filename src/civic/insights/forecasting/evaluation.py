"""Rolling-origin evaluation and its report: every forecast is written out, so anyone can
recompute MASE and coverage from the report alone.

An origin is the last day the forecaster knows; it forecasts the ``horizon`` days after it.
The origins are spaced one horizon apart and the last one's horizon ends on the last day of the
series. MASE of an origin is the mean absolute error over its horizon divided by the in-sample
mean absolute error of the weekly seasonal naive forecast up to that origin (m = 7, as in M4 and
M5); the overall MASE is the mean over origins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from civic.insights.forecasting import models
from civic.insights.forecasting.features import (
    HISTORY_DAYS,
    HistoryFeatures,
    calendar_features,
    holiday_flags,
)
from civic.insights.forecasting.series import DailySeries, SeriesRefused

COVARIATES_NOTE = (
    "Covariates were given their observed values on the forecast days, standing in for "
    "forecasts of them (a weather forecast, say): real forecasts of the covariates will make "
    "the errors larger than reported here."
)

#: the share of actuals each interval should miss, and how fast the miss level adapts
TARGET_MISS = {"80": 0.20, "95": 0.05}
ADAPT = 0.25


@dataclass(frozen=True)
class EvaluationSettings:
    horizon: int = 28
    origins: int = 5
    holidays_country: str = "NL"
    #: days of history each fit learns from (older days only slow the fit down)
    training_days: int = 1095
    #: the span of origins before each origin whose out-of-sample errors calibrate the
    #: intervals: a year where the series has one (its holidays and seasons), at least two
    #: horizons where it is short
    calibration_days: int = 364

    def shortest_calibration(self) -> int:
        return max(56, 2 * self.horizon)

    def days_needed(self) -> int:
        return HISTORY_DAYS + self.shortest_calibration() + 28 + self.origins * self.horizon + 1

    def calibration_for(self, first_origin: int) -> int:
        """The calibration span the series allows before its first origin."""
        room = first_origin - HISTORY_DAYS - 28
        return max(self.shortest_calibration(), min(self.calibration_days, room))


def evaluate(
    series: DailySeries,
    settings: EvaluationSettings,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> dict:
    _check(series, settings)
    horizon = settings.horizon
    holiday = holiday_flags(series.dates, settings.holidays_country)
    model = models.GradientBoostedForecast(
        history=HistoryFeatures(series.target),
        calendar=calendar_features(series.dates, holiday),
        covariates=series.covariates,
        horizon=horizon,
        training_days=settings.training_days,
    )
    last_origin = len(series) - 1 - horizon
    origins = [last_origin - k * horizon for k in reversed(range(settings.origins))]
    calibration = settings.calibration_for(origins[0])
    per_origin, forecasts = [], []
    past_errors, past_ahead = np.empty(0), np.empty(0, dtype=int)
    miss = dict(TARGET_MISS)
    for done, origin in enumerate(origins):
        residuals, ahead = model.calibration_residuals(origin, calibration)
        # errors of the earlier evaluation origins join the calibration once they are known
        residuals = np.concatenate([residuals, past_errors])
        ahead = np.concatenate([ahead, past_ahead])
        point = model.forecast(origin)
        lower_80, upper_80 = models.interval(point, residuals, ahead, 1 - miss["80"])
        lower_95, upper_95 = models.interval(point, residuals, ahead, 1 - miss["95"])
        naive = models.seasonal_naive(series.target, origin, horizon)
        smoothing = models.exponential_smoothing(series.target, origin, horizon)
        actual = series.target[origin + 1 : origin + 1 + horizon]
        scale = models.seasonal_naive_scale(series.target, origin)
        per_origin.append(
            {
                "origin": _day(series, origin),
                "scale": scale,
                "mase": _mase(actual, point, scale),
                "mase_seasonal_naive": _mase(actual, naive, scale),
                "mase_exponential_smoothing": _mase(actual, smoothing, scale),
                "coverage_80": _coverage(actual, lower_80, upper_80),
                "coverage_95": _coverage(actual, lower_95, upper_95),
            }
        )
        for h in range(horizon):
            forecasts.append(
                {
                    "origin": _day(series, origin),
                    "date": _day(series, origin + 1 + h),
                    "actual": float(actual[h]),
                    "forecast": float(point[h]),
                    "lower_80": float(lower_80[h]),
                    "upper_80": float(upper_80[h]),
                    "lower_95": float(lower_95[h]),
                    "upper_95": float(upper_95[h]),
                    "seasonal_naive": float(naive[h]),
                    "exponential_smoothing": float(smoothing[h]),
                }
            )
        # adaptive conformal inference (Gibbs and Candès, 2021): an origin whose intervals
        # missed more often than they should widens the next one's, and the other way round
        for name, bounds in (("80", (lower_80, upper_80)), ("95", (lower_95, upper_95))):
            missed = 1 - _coverage(actual, *bounds)
            miss[name] = float(
                np.clip(miss[name] + ADAPT * (TARGET_MISS[name] - missed), 0.005, 0.6)
            )
        past_errors = np.concatenate([past_errors, actual - point])
        past_ahead = np.concatenate([past_ahead, np.arange(1, horizon + 1)])
        progress(done + 1, len(origins))
    return _report(series, settings, calibration, per_origin, forecasts)


def _report(series, settings, calibration, per_origin, forecasts) -> dict:
    return {
        "series": {
            "target": series.target_name,
            "first_date": _day(series, 0),
            "last_date": _day(series, len(series) - 1),
            "days": len(series),
        },
        "settings": {
            "horizon": settings.horizon,
            "origins": settings.origins,
            "season": models.SEASON,
            "holidays_country": settings.holidays_country,
            "covariates": sorted(series.covariates),
            "training_days": settings.training_days,
            "calibration_days": calibration,
        },
        "model": (
            "LightGBM (median, L1) on the calendar (day of week, month, day of year, holidays), "
            "the covariates and the history known at the origin; split-conformal intervals "
            "from out-of-sample errors before the origin and at earlier origins"
        ),
        "covariates_note": COVARIATES_NOTE if series.covariates else "No covariates were given.",
        "definitions": {
            "mase": "per origin: mean |actual - forecast| over the horizon / scale; overall: "
            "the mean over origins",
            "scale": "in-sample mean |y[t] - y[t-7]| over the days up to the origin (m = 7)",
            "coverage_80": "share of actuals within [lower_80, upper_80]",
            "seasonal_naive": "the value of the latest day at or before the origin on the same "
            "weekday",
        },
        "mase": _mean(per_origin, "mase"),
        "mase_seasonal_naive": _mean(per_origin, "mase_seasonal_naive"),
        "mase_exponential_smoothing": _mean(per_origin, "mase_exponential_smoothing"),
        "coverage_80": _cover(forecasts, "80"),
        "coverage_95": _cover(forecasts, "95"),
        "origins": per_origin,
        "forecasts": forecasts,
    }


def _check(series: DailySeries, settings: EvaluationSettings) -> None:
    if settings.horizon < 1 or settings.origins < 1:
        raise SeriesRefused("The horizon and the number of origins must be at least 1.")
    needed = settings.days_needed()
    if len(series) < needed:
        raise SeriesRefused(
            f"The series has {len(series)} days; {settings.origins} origin(s) of "
            f"{settings.horizon} days need at least {needed} (history for the features and the "
            "interval calibration before the first origin). Ask for fewer origins or a shorter "
            "horizon."
        )
    if not np.isfinite(series.target).all():
        raise SeriesRefused(f"The target {series.target_name!r} has infinite values.")


def _mase(actual: np.ndarray, forecast: np.ndarray, scale: float) -> float:
    if scale == 0:
        return float("nan")  # a series constant by the week has nothing to scale by
    return float(np.mean(np.abs(actual - forecast)) / scale)


def _coverage(actual, lower, upper) -> float:
    return float(np.mean((lower <= actual) & (actual <= upper)))


def _cover(forecasts: list[dict], level: str) -> float:
    return float(
        np.mean([f[f"lower_{level}"] <= f["actual"] <= f[f"upper_{level}"] for f in forecasts])
    )


def _mean(rows: list[dict], key: str) -> float:
    return float(np.mean([row[key] for row in rows]))


def _day(series: DailySeries, index: int) -> str:
    return series.dates[index].date().isoformat()
