"""The weather the city's own sensors measured, a day at a time: the weather covariates of the
demand forecast of a kind of case and of a sensor stream's forecast (issue 20, item 2).

Which streams are weather is told by what they observe, not by their ids: the rain gauges
observe ``INSIGHTS_FLOOD_RISK_RAINFALL`` (mm/h) and give the day's rain in millimetres (the
day's mean times 24, the mean over the gauges that reported that day); the thermometers observe
``INSIGHTS_WEATHER_AIR_TEMPERATURE`` and give the day's mean. Read through the sensors'
selectors (the daily summaries, from raw readings or their daily aggregates). A covariate only
appears when some stream observes it; whether it covers a forecast's history well enough is the
forecaster's to judge (forecasting/covariates.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.conf import settings

from civic.sensors.selectors import daily_summaries, datastreams_of_property

#: covariate name -> (the setting naming the observed property, how a day's figure is made)
WEATHER = {
    "rain_mm": ("INSIGHTS_FLOOD_RISK_RAINFALL", "rain"),
    "air_temperature": ("INSIGHTS_WEATHER_AIR_TEMPERATURE", "mean"),
}


def weather_streams(*, leave_out: tuple[int, ...] = ()) -> dict[str, list[int]]:
    """covariate name -> the datastreams that measure it, for the covariates some stream
    measures; ``leave_out``: streams not to count (the stream being forecast)."""
    found = {}
    for name, (setting, _kind) in WEATHER.items():
        ids = [
            pk
            for pk in datastreams_of_property(definition=getattr(settings, setting))
            if pk not in leave_out
        ]
        if ids:
            found[name] = ids
    return found


def daily_weather(
    *, first: dt.date, last: dt.date, leave_out: tuple[int, ...] = ()
) -> dict[str, dict[dt.date, float]]:
    """covariate name -> {day: the day's figure} from ``first`` to ``last`` (both included),
    for the days some stream of it reported on."""
    streams = weather_streams(leave_out=leave_out)
    owner = {pk: name for name, ids in streams.items() for pk in ids}
    if not owner:
        return {}
    per_day: dict[str, dict[dt.date, list[float]]] = {name: {} for name in streams}
    for summary in daily_summaries(
        since=first, until=last + dt.timedelta(days=1), datastream_ids=list(owner)
    ):
        name = owner[summary.datastream]
        kind = WEATHER[name][1]
        figure = summary.mean * 24 if kind == "rain" else summary.mean
        per_day[name].setdefault(summary.day, []).append(figure)
    return {
        name: {day: sum(values) / len(values) for day, values in days.items()}
        for name, days in per_day.items()
    }


def weather_covariates(dates: list[dt.date], *, leave_out: tuple[int, ...] = ()):
    """covariate name -> the day's figure on each of ``dates`` (NaN where no stream reported),
    as the forecaster takes them."""
    if not dates:
        return {}
    daily = daily_weather(first=dates[0], last=dates[-1], leave_out=leave_out)
    return {
        name: np.array([values.get(day, np.nan) for day in dates], dtype=float)
        for name, values in daily.items()
    }
