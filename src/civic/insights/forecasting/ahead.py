"""The forecast of the days after a series' last day, with its 80 % interval: the same model
and calibration as the evaluation (evaluation.py), at one origin, the last day.

The series' covariates are their observed values over the history. A covariate that misses
more than a tenth of the history's days is left out; the others are learnt from as observed
and, for the days forecast, stand in as their climatology known at the origin (covariates.py),
or as the values ``ahead`` gives (a weather forecast, were there one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from civic.insights.forecasting import models
from civic.insights.forecasting.covariates import (
    COVERAGE,
    SCENARIOS,
    STAND_IN,
    climatology,
    coverage,
)
from civic.insights.forecasting.evaluation import EvaluationSettings
from civic.insights.forecasting.features import HistoryFeatures, calendar_features, holiday_flags
from civic.insights.forecasting.series import DailySeries, SeriesRefused


def forecast_ahead(
    series: DailySeries,
    settings: EvaluationSettings,
    *,
    ahead: dict[str, np.ndarray] | None = None,
    least_coverage: float = COVERAGE,
) -> dict:
    """``{"dates", "forecast", "lower_80", "upper_80", "covariates", "covariates_left_out",
    "stand_in"}`` for the ``horizon`` days after the last day; refuses a series too short to
    calibrate (the same count the evaluation of one origin needs, less the horizon it would
    hold out). ``covariates`` names the covariates used besides the calendar and the holidays,
    ``covariates_left_out`` those that cover less than ``least_coverage`` of the history.
    ``ahead``: a covariate's values for the days forecast when they are known (a forecast of
    them); the calibration then still takes the climatology, so the interval does not count
    on them."""
    horizon = settings.horizon
    needed = settings.days_needed() - settings.origins * horizon
    if len(series) < needed:
        raise SeriesRefused(f"The series has {len(series)} days; a forecast needs {needed}.")
    future = pd.date_range(series.dates[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    dates = series.dates.append(future)
    # the future days' target is unknown: NaN never reaches a feature (only days up to the
    # origin are read)
    target = np.concatenate([series.target, np.full(horizon, np.nan)])
    origin = len(series) - 1
    span = settings.calibration_for(origin)
    cut = origin - span
    used = sorted(
        name for name, values in series.covariates.items() if coverage(values) >= least_coverage
    )
    observed, known_ahead = {}, {}
    for name in used:
        values = np.concatenate([series.covariates[name], np.full(horizon, np.nan)])
        observed[name] = values
        # the calibration's forecasts (after the cut) and the forecast (after the origin) read
        # the stand-in known when they are made, never the observed value
        stand_in = np.full((len(dates), SCENARIOS), np.nan)
        stand_in[cut + 1 : origin + 1] = climatology(
            dates, values, cut, np.arange(cut + 1, origin + 1)
        )
        stand_in[origin + 1 :] = climatology(
            dates, values, origin, np.arange(origin + 1, len(dates))
        )
        if ahead is not None and name in ahead:
            stand_in[origin + 1 :] = np.asarray(ahead[name], dtype=float)[:, None]
        known_ahead[name] = stand_in
    model = models.GradientBoostedForecast(
        history=HistoryFeatures(target),
        calendar=calendar_features(dates, holiday_flags(dates, settings.holidays_country)),
        covariates=observed,
        horizon=horizon,
        training_days=settings.training_days,
        ahead_covariates=known_ahead,
    )
    residuals, days_ahead = model.calibration_residuals(origin, span)
    point = model.forecast(origin)
    lower, upper = models.interval(point, residuals, days_ahead, 0.80)
    return {
        "dates": [day.date() for day in future],
        "forecast": point,
        "lower_80": lower,
        "upper_80": upper,
        "covariates": used,
        "covariates_left_out": sorted(set(series.covariates) - set(used)),
        "stand_in": STAND_IN if used else None,
    }
