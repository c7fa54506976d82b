"""Covariates for the days ahead, when nothing forecasts them.

The model learns from the covariates' observed values (the weather the city's sensors
measured on each day of the history). For the days after the origin nobody has measured
anything yet, and Civic has no weather-forecast feed, so a forecast takes a stand-in that is
known at the origin: the covariate's climatology, the values it took on the days of the
history within a week either side of the same day of the year (the same calendar weeks of the
years held, and the days just before the origin when the day ahead is near). Where the history
holds fewer than a week of such days (less than a year of history, most often), the last four
weeks before the origin stand in for them.

The climatology is a distribution, not one value: the day's forecast is the mean of the
forecasts made with each of ``SCENARIOS`` even quantiles of it. Giving the trees the mean rain
instead would forecast a day of average rain, which is not the average of the days: most days
are dry and a few are very wet.

Why climatology: it is what is known of the weather weeks ahead (the season: wet autumns, warm
summers), it never uses a value measured after the origin, and it is the same stand-in the
calibration of the interval uses, so the interval carries the error of not knowing the day's
weather. It cannot tell which of the days ahead will be wet.

A covariate is only used when it covers the history well enough (``COVERAGE`` of its days);
the days it misses are left empty, which the trees handle as missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: the share of the history's days a covariate must have a value on to be used
COVERAGE = 0.9
#: days either side of the same day of the year that make up the climatology
WINDOW = 7
#: the fewest such days for a climatology; with fewer, the recent mean stands in
LEAST_DAYS = 7
#: the days before the origin that stand in without a climatology
RECENT_DAYS = 28
#: the quantiles of the climatology a forecast is averaged over
SCENARIOS = 10

STAND_IN = (
    "For the days ahead, each covariate is its climatology: its observed values within "
    f"{WINDOW} days of the same day of the year over the history known at the origin (the last "
    f"{RECENT_DAYS} days where fewer than {LEAST_DAYS} such days are known); the forecast is "
    f"the mean of the forecasts over {SCENARIOS} even quantiles of them. No value measured "
    "after the origin is used."
)


def coverage(values: np.ndarray) -> float:
    """The share of days with a value."""
    return float(np.isfinite(values).mean()) if len(values) else 0.0


def climatology(
    dates: pd.DatetimeIndex, values: np.ndarray, known: int, wanted: np.ndarray
) -> np.ndarray:
    """The stand-in for the days at the indices ``wanted``, from the values of days 0 to
    ``known`` only: a row of ``SCENARIOS`` even quantiles of their climatology, or of the last
    weeks; NaN when nothing is known."""
    levels = (np.arange(SCENARIOS) + 0.5) / SCENARIOS
    past = values[: known + 1]
    seen = np.isfinite(past)
    day_of_year = dates.day_of_year.to_numpy()
    past_day = day_of_year[: known + 1]
    recent = past[seen][-RECENT_DAYS:]
    fallback = np.quantile(recent, levels) if len(recent) else np.full(SCENARIOS, np.nan)
    out = np.empty((len(wanted), SCENARIOS))
    for position, index in enumerate(wanted):
        apart = np.abs(past_day - day_of_year[index])
        apart = np.minimum(apart, 365 - apart)  # around the turn of the year
        near = past[seen & (apart <= WINDOW)]
        out[position] = np.quantile(near, levels) if len(near) >= LEAST_DAYS else fallback
    return out
