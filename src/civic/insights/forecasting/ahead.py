"""The forecast of the days after a series' last day, with its 80 % interval: the same model
and calibration as the evaluation (evaluation.py), at one origin, the last day."""

from __future__ import annotations

import numpy as np
import pandas as pd

from civic.insights.forecasting import models
from civic.insights.forecasting.evaluation import EvaluationSettings
from civic.insights.forecasting.features import HistoryFeatures, calendar_features, holiday_flags
from civic.insights.forecasting.series import DailySeries, SeriesRefused


def forecast_ahead(series: DailySeries, settings: EvaluationSettings) -> dict:
    """``{"dates", "forecast", "lower_80", "upper_80"}`` for the ``horizon`` days after the last
    day; refuses a series too short to calibrate (the same count the evaluation of one origin
    needs, less the horizon it would hold out)."""
    horizon = settings.horizon
    needed = settings.days_needed() - settings.origins * horizon
    if len(series) < needed:
        raise SeriesRefused(f"The series has {len(series)} days; a forecast needs {needed}.")
    future = pd.date_range(series.dates[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    dates = series.dates.append(future)
    # the future days' target is unknown: NaN never reaches a feature (only days up to the
    # origin are read), and covariates are not used here
    target = np.concatenate([series.target, np.full(horizon, np.nan)])
    model = models.GradientBoostedForecast(
        history=HistoryFeatures(target),
        calendar=calendar_features(dates, holiday_flags(dates, settings.holidays_country)),
        covariates={},
        horizon=horizon,
        training_days=settings.training_days,
    )
    origin = len(series) - 1
    residuals, ahead = model.calibration_residuals(origin, settings.calibration_for(origin))
    point = model.forecast(origin)
    lower, upper = models.interval(point, residuals, ahead, 0.80)
    return {
        "dates": [day.date() for day in future],
        "forecast": point,
        "lower_80": lower,
        "upper_80": upper,
    }
