"""The forecast of a sensor stream, a day at a time (issue 20, item 2): the next two weeks of a
datastream's daily figure with the range it falls in four times out of five, and how the
forecaster scored on the stream's own past, against the weekly seasonal naive forecast.

The daily figure is what a person reads a day by: the day's total for counts (people,
vehicles: each reading counts one step), the day's rain in millimetres for a rain gauge (the
mean mm/h times 24), the day's mean otherwise (a water level, a concentration).

Besides the calendar and the public holidays, the forecast takes the weather the city's other
sensors measured (weather.py: the day's rain, the day's mean air temperature) when it covers
the stream's run of days; for the days ahead, with no weather forecast to give it, their
climatology stands in (forecasting/covariates.py). The evaluation, over the last four
fortnights, gives the same covariates their observed values, standing in for a forecast of
them, as the forecaster's reports say (docs/insights.md). It is the same forecaster as `civic insights
forecast` and the demand forecast of a kind of case; it needs the ``forecast`` extra. Cached
for the day: a fit takes seconds and the figures change by the day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache

from civic.core import clock
from civic.insights.weather import weather_covariates
from civic.sensors import models as sensors
from civic.sensors.selectors import daily_summaries

HISTORY_DAYS = 730
HORIZON = 14
ORIGINS = 4
COUNT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CountObservation"


def figure_kind(stream: sensors.Datastream) -> str:
    if stream.observation_type == COUNT:
        return "total"
    if stream.observed_property.definition == settings.INSIGHTS_FLOOD_RISK_RAINFALL:
        return "rain"
    return "mean"


def _figure(summary, kind: str) -> float:
    if kind == "total":
        return summary.mean * summary.observations
    if kind == "rain":
        return summary.mean * 24
    return summary.mean


def _daily(ids: list[int], kinds: dict[int, str], first: dt.date, last: dt.date):
    """datastream id -> {day: the day's figure}, from ``first`` to ``last``."""
    out: dict[int, dict[dt.date, float]] = {pk: {} for pk in ids}
    for summary in daily_summaries(
        since=first, until=last + dt.timedelta(days=1), datastream_ids=ids
    ):
        out[summary.datastream][summary.day] = _figure(summary, kinds[summary.datastream])
    return out


def _unbroken(values: dict[dt.date, float]) -> list[dt.date]:
    """The days of the last unbroken run of days with a figure, oldest first."""
    if not values:
        return []
    day, run = max(values), []
    while day in values:
        run.append(day)
        day -= dt.timedelta(days=1)
    return run[::-1]


def stream_forecast(*, datastream_id: int, holidays_country: str = "NL") -> dict[str, Any] | None:
    """The next fortnight of the stream's daily figure and the evaluation, or a ``reason``:
    the forecast extra not installed, or too short an unbroken run of days. None: no such
    datastream."""
    stream = (
        sensors.Datastream.objects.select_related("observed_property", "thing")
        .filter(pk=datastream_id)
        .first()
    )
    if stream is None:
        return None
    today = clock.now().date()
    key = f"insights:stream-forecast:{datastream_id}:{today.isoformat()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = _forecast(stream, today, holidays_country)
    cache.set(key, result, 6 * 3600)
    return result


def _forecast(stream, today: dt.date, holidays_country: str) -> dict[str, Any]:
    kind = figure_kind(stream)
    base = {"kind": kind, "unit": "mm" if kind == "rain" else _unit(stream, kind)}
    try:
        import numpy as np
        import pandas as pd

        from civic.insights.forecasting import EvaluationSettings, SeriesRefused, evaluate
        from civic.insights.forecasting.ahead import forecast_ahead
        from civic.insights.forecasting.series import DailySeries
    except ImportError:
        return {**base, "reason": "not-installed"}
    first = today - dt.timedelta(days=HISTORY_DAYS)
    daily = _daily([stream.pk], {stream.pk: kind}, first, today - dt.timedelta(days=1))
    days = _unbroken(daily[stream.pk])
    ahead_settings = EvaluationSettings(
        horizon=HORIZON, origins=1, holidays_country=holidays_country
    )
    needed = ahead_settings.days_needed() - HORIZON
    if len(days) < needed:
        return {**base, "reason": "too-short", "days_held": len(days), "days_needed": needed}
    dates = pd.DatetimeIndex(days)
    target = np.array([daily[stream.pk][d] for d in days], dtype=float)
    # the weather of the stream's days, from the other streams (a rain gauge is not its own
    # covariate); a covariate missing on over a tenth of the days is left out
    weather = weather_covariates(days, leave_out=(stream.pk,))
    series = DailySeries(dates=dates, target=target, covariates=weather, target_name=stream.name)
    ahead = forecast_ahead(series, ahead_settings)
    covariates = {name: weather[name] for name in ahead["covariates"]}
    floor = 0.0 if kind in ("total", "rain") else None
    forecast = ahead["forecast"] if floor is None else np.clip(ahead["forecast"], floor, None)
    result = {
        **base,
        "last_day": days[-1].isoformat(),
        "days": [
            {
                "date": d.isoformat(),
                "forecast": round(float(f), 2),
                "lower_80": round(float(lo if floor is None else max(lo, floor)), 2),
                "upper_80": round(float(hi if floor is None else max(hi, floor)), 2),
            }
            for d, f, lo, hi in zip(
                ahead["dates"], forecast, ahead["lower_80"], ahead["upper_80"], strict=True
            )
        ],
        "evaluation": None,
        "covariates": ahead["covariates"],
        "covariates_left_out": ahead["covariates_left_out"],
    }
    scored = EvaluationSettings(horizon=HORIZON, origins=ORIGINS, holidays_country=holidays_country)
    if len(days) >= scored.days_needed():
        scored_series = DailySeries(
            dates=dates, target=target, covariates=covariates, target_name=stream.name
        )
        try:
            report = evaluate(scored_series, scored)
        except SeriesRefused:
            report = None
        if report is not None:
            result["evaluation"] = {
                key: round(float(report[key]), 3)
                for key in ("mase", "mase_seasonal_naive", "coverage_80", "coverage_95")
            }
            result["evaluation"]["origins"] = ORIGINS
    return result


def _unit(stream, kind: str) -> str:
    unit = (stream.unit_of_measurement or {}).get("symbol", "")
    return unit.strip("{}") if kind == "total" else unit
