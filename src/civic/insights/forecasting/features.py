"""Features known at forecast time: the calendar of the day forecast and the history up to
the origin, never a value after it.

A row describes one (origin, day ahead) pair. Levels are taken relative to the mean of the 28
days up to the origin, so that trees, which cannot extrapolate, forecast a shape around a level
the data sets.
"""

from __future__ import annotations

import holidays as holiday_calendars
import numpy as np
import pandas as pd

from civic.insights.forecasting.series import SeriesRefused

LEVEL_DAYS = 28
#: days of history an origin needs before it can have features
HISTORY_DAYS = 35


def holiday_flags(dates: pd.DatetimeIndex, country: str) -> np.ndarray:
    years = range(dates.min().year - 1, dates.max().year + 2)
    try:
        calendar = holiday_calendars.country_holidays(country, years=years)
    except NotImplementedError:  # how the holidays package says it has no such country
        raise SeriesRefused(
            f"There is no holiday calendar for {country!r}; give a country code such as NL, BE, "
            "DE or US."
        ) from None
    return np.array([day.date() in calendar for day in dates], dtype=float)


def calendar_features(dates: pd.DatetimeIndex, holiday: np.ndarray) -> dict[str, np.ndarray]:
    """The day of week, month and season of each day, and whether it is a holiday or next to
    one (bridge days and the day after a holiday behave apart from other days)."""
    before = np.append(holiday[1:], 0.0)
    after = np.insert(holiday[:-1], 0, 0.0)
    return {
        "day_of_week": dates.day_of_week.to_numpy(dtype=float),
        "month": dates.month.to_numpy(dtype=float),
        "day_of_year": dates.day_of_year.to_numpy(dtype=float),
        "holiday": holiday,
        "day_before_holiday": before,
        "day_after_holiday": after,
    }


class HistoryFeatures:
    """Rolling summaries of the target, computed once for the whole series; a row for
    (origin, day) only reads entries at or before the origin."""

    def __init__(self, target: np.ndarray):
        series = pd.Series(target)
        self.target = target
        self.level = series.rolling(LEVEL_DAYS, min_periods=LEVEL_DAYS).mean().to_numpy()
        self.week = series.rolling(7, min_periods=7).mean().to_numpy()

    def rows(
        self,
        origins: np.ndarray,
        days: np.ndarray,
        calendar: dict[str, np.ndarray],
        covariates: dict[str, np.ndarray],
    ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Features for each pair (origins[i], days[i]) and the level they are relative to."""
        ahead = days - origins
        # the latest day at or before the origin with the forecast day's weekday
        same_weekday = days - 7 * ((ahead + 6) // 7)
        level = self.level[origins]
        features = {
            "days_ahead": ahead.astype(float),
            "last_same_weekday": self.target[same_weekday] - level,
            "same_weekday_before": self.target[same_weekday - 7] - level,
            "same_weekday_mean_4": np.mean(
                [self.target[same_weekday - 7 * k] for k in range(4)], axis=0
            )
            - level,
            "last_week": self.week[origins] - level,
            "last_day": self.target[origins] - level,
            "level": level,
            "last_same_weekday_holiday": calendar["holiday"][same_weekday],
        }
        for name, values in calendar.items():
            features[name] = values[days]
        for name, values in covariates.items():
            # what the caller gives: the observed value when fitting, and, when forecasting,
            # the observed value (the evaluation: its report says so) or a stand-in known at
            # the origin (the forecast ahead: covariates.py)
            features[f"covariate:{name}"] = values[days]
        return features, level


def pairs(first_origin: int, last_origin: int, horizon: int, last_day: int):
    """Every (origin, day) with origin in [first_origin, last_origin] and day in the next
    ``horizon`` days, up to ``last_day``."""
    origin_grid = np.arange(first_origin, last_origin + 1)
    ahead = np.arange(1, horizon + 1)
    origins = np.repeat(origin_grid, horizon)
    days = origins + np.tile(ahead, len(origin_grid))
    keep = days <= last_day
    return origins[keep], days[keep]


def as_matrix(features: dict[str, np.ndarray]) -> tuple[np.ndarray, list[str]]:
    names = list(features)
    return np.column_stack([features[name] for name in names]), names
