"""The demand forecast of a kind of case and the staffing it asks for: "at this pace and this
forecast, the queue needs N more caseworker-days next month".

The forecast is the forecaster's (forecasting/) on the cases opened a day over the last year;
the pace is the last four weeks' decisions by caseworkers per caseworker-day. Besides the
calendar and the public holidays, the forecast takes the weather the city's sensors measured
(weather.py) as covariates when they cover the year; for the days ahead their climatology
stands in (forecasting/covariates.py). Cached for the day: the figures change by the day, and
a fit takes a second or two.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.core.cache import cache

from civic.cases.selectors import cases_opened_per_day, caseworker_pace
from civic.core import clock
from civic.insights.weather import weather_covariates

HISTORY_DAYS = 365
HORIZON = 28
PACE_DAYS = 28


def demand_forecast(*, case_type: str, holidays_country: str = "NL") -> dict[str, Any] | None:
    """The next four weeks' cases a day with the 80 % interval, or None with a reason: the
    ``forecast`` extra not installed, or too little history. ``covariates`` names the weather
    covariates the forecast used besides the calendar and the holidays (none: it fell back to
    them alone), ``covariates_left_out`` those measured too sparsely over the year."""
    today = clock.now().date()
    key = f"insights:forecast:{case_type}:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        import numpy as np

        from civic.insights.forecasting import EvaluationSettings, SeriesRefused
        from civic.insights.forecasting.ahead import forecast_ahead
        from civic.insights.forecasting.series import DailySeries
    except ImportError:
        return {"reason": "not-installed"}
    days = cases_opened_per_day(
        case_type=case_type,
        first_day=today - dt.timedelta(days=HISTORY_DAYS),
        last_day=today - dt.timedelta(days=1),
    )
    import pandas as pd

    series = DailySeries(
        dates=pd.DatetimeIndex([day for day, _ in days]),
        target=np.array([count for _, count in days], dtype=float),
        covariates=weather_covariates([day for day, _ in days]),
        target_name=case_type,
    )
    if series.target.sum() == 0:
        result: dict[str, Any] = {"reason": "no-history"}
    else:
        try:
            ahead = forecast_ahead(
                series,
                EvaluationSettings(horizon=HORIZON, origins=1, holidays_country=holidays_country),
            )
        except SeriesRefused:
            result = {"reason": "too-short"}
        else:
            # demand is never negative, whatever the trees and the interval say
            forecast = np.clip(ahead["forecast"], 0, None)
            result = {
                "days": [
                    {
                        "date": d.isoformat(),
                        "forecast": round(float(f), 1),
                        "lower_80": round(float(max(lo, 0)), 1),
                        "upper_80": round(float(max(hi, 0)), 1),
                    }
                    for d, f, lo, hi in zip(
                        ahead["dates"], forecast, ahead["lower_80"], ahead["upper_80"], strict=True
                    )
                ],
                "total": round(float(forecast.sum())),
                "covariates": ahead["covariates"],
                "covariates_left_out": ahead["covariates_left_out"],
            }
    cache.set(key, result, 6 * 3600)
    return result


def staffing_suggestion(
    *,
    case_type: str,
    forecast: dict[str, Any],
    automation_rate: float | None,
    open_past_deadline: int,
) -> dict[str, Any] | None:
    """The caseworker-days next month's forecast asks for against the last four weeks' pace;
    None when there is no forecast or no caseworker decided anything lately (no pace)."""
    if "total" not in forecast:
        return None
    pace = caseworker_pace(case_type=case_type, since=clock.now() - dt.timedelta(days=PACE_DAYS))
    if not pace["decisions"] or not pace["caseworker_days"]:
        return None
    per_day = pace["decisions"] / pace["caseworker_days"]
    for_caseworkers = forecast["total"] * (1 - (automation_rate or 0))
    # the cases past their deadline are work already owed on top of what comes in
    needed = math.ceil((for_caseworkers + open_past_deadline) / per_day)
    return {
        "caseworker_days_recent": pace["caseworker_days"],
        "decisions_per_caseworker_day": round(per_day, 1),
        "forecast_cases": forecast["total"],
        "for_caseworkers": round(for_caseworkers),
        "open_past_deadline": open_past_deadline,
        "caseworker_days_needed": needed,
        "more_caseworker_days": needed - pace["caseworker_days"],
    }
