"""What drives the readings: the city's rain and air-pollution episodes over a period, and the
daily and weekly rhythm of people and traffic. Deterministic for a seed; NumPy arrays, one
value per step of the period.

- Rain: showers arrive at random (about one every two days), last 1–8 hours at 0.3–3 mm/h. An
  incident adds a downpour (25 mm/h for six hours) from the incident's time.
- River level: a base level plus the rain of the hours before, through a unit hydrograph that
  peaks six hours after the rain and recedes over a day or so (a gamma-shaped kernel), so that a
  downpour raises the river past its high level for some hours and it falls back.
- Rain gauge: the city's rain as a tipping-bucket gauge reports it, to 0.1 mm/h.
- Air: a baseline, the traffic rhythm, and slow episodes (an AR(1) process with a half-life of
  about a day, as stagnant weather comes and goes); rain washes some of it out.
- Counts: an hourly profile (weekday peaks at 8, 12:30 and 17; weekends in the afternoon)
  scaled by how busy a place is, fewer people out in the rain, drawn from a Poisson law.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

LOCAL = ZoneInfo("Europe/Amsterdam")
#: The river's level in metres with no recent rain, and its response to 1 mm/h for an hour.
RIVER_BASE, RIVER_GAIN = 1.4, 0.09
#: The downpour an incident adds: mm/h and hours.
INCIDENT_RAIN, INCIDENT_HOURS = 25.0, 6


@dataclass(frozen=True)
class Period:
    times: list[dt.datetime]  # UTC, one per step
    step_minutes: int

    @property
    def hours(self) -> np.ndarray:
        """Local hour of day with minutes as a fraction, per step."""
        local = [t.astimezone(LOCAL) for t in self.times]
        return np.array([t.hour + t.minute / 60 for t in local])

    @property
    def weekend(self) -> np.ndarray:
        return np.array([t.astimezone(LOCAL).weekday() >= 5 for t in self.times])


def period(since: dt.datetime, until: dt.datetime, step_minutes: int) -> Period:
    step = dt.timedelta(minutes=step_minutes)
    count = int((until - since) / step)
    return Period([since + i * step for i in range(count)], step_minutes)


def rain(p: Period, rng: np.random.Generator, incident: dt.datetime | None) -> np.ndarray:
    """mm/h per step."""
    n, per_hour = len(p.times), 60 / p.step_minutes
    out = np.zeros(n)
    expected = n / per_hour / 48  # about one shower every two days
    for _ in range(rng.poisson(expected) + (1 if rng.random() < 0.3 else 0)):
        start = rng.integers(0, max(1, n))
        length = int(rng.uniform(1, 8) * per_hour)
        out[start : start + length] += rng.uniform(0.3, 3.0)
    if incident is not None:
        start = next((i for i, t in enumerate(p.times) if t >= incident), n)
        out[start : start + int(INCIDENT_HOURS * per_hour)] += INCIDENT_RAIN
    return out


def rain_gauge(rain_mm_h: np.ndarray) -> np.ndarray:
    """What a tipping-bucket gauge reports: the rain to a tenth of a millimetre an hour."""
    return np.round(rain_mm_h, 1)


def _kernel(step_minutes: int) -> np.ndarray:
    """The river's response to one step of rain: a gamma-shaped unit hydrograph (shape 3,
    peaking after six hours), summing to the hours of rain it stands for."""
    hours = np.arange(0, 48, step_minutes / 60)
    shape, peak = 3.0, 6.0
    scale = peak / (shape - 1)
    curve = hours ** (shape - 1) * np.exp(-hours / scale)
    return curve / curve.sum() * (step_minutes / 60)


def river_level(
    p: Period, rain_mm_h: np.ndarray, rng: np.random.Generator, site: float
) -> np.ndarray:
    response = np.convolve(rain_mm_h, _kernel(p.step_minutes))[: len(rain_mm_h)]
    level = RIVER_BASE * site + RIVER_GAIN * 10 * response * site
    return np.round(level + rng.normal(0, 0.01, len(level)), 3)


def _profile(hours: np.ndarray, peaks: list[tuple[float, float, float]]) -> np.ndarray:
    """Sum of bell curves (hour, width, height) over the hours of the day."""
    out = np.zeros_like(hours)
    for at, width, height in peaks:
        out += height * np.exp(-0.5 * ((hours - at) / width) ** 2)
    return out


def traffic_rhythm(p: Period) -> np.ndarray:
    """0–1: how busy the roads are."""
    weekday = _profile(p.hours, [(8, 1.2, 1.0), (17.2, 1.5, 0.95), (13, 3.0, 0.45)])
    weekend = _profile(p.hours, [(14, 3.5, 0.55)])
    return np.clip(np.where(p.weekend, weekend, weekday) + 0.05, 0, 1)


def people_rhythm(p: Period) -> np.ndarray:
    weekday = _profile(p.hours, [(8.3, 0.8, 0.8), (12.6, 1.2, 1.0), (17.3, 1.2, 0.9)])
    weekend = _profile(p.hours, [(14.5, 2.8, 1.1)])
    night = (p.hours < 6) | (p.hours > 23)
    return np.where(night, 0.02, np.where(p.weekend, weekend, weekday) + 0.05)


def episodes(p: Period, rng: np.random.Generator) -> np.ndarray:
    """Slow air-pollution episodes: AR(1) with a half-life of about a day, sd about 1."""
    n, per_hour = len(p.times), 60 / p.step_minutes
    keep = 0.5 ** (1 / (24 * per_hour))
    shocks = rng.normal(0, np.sqrt(1 - keep**2), n)
    out = np.empty(n)
    value = rng.normal()
    for i in range(n):
        value = keep * value + shocks[i]
        out[i] = value
    return out


def pm25(p, traffic, episode, rain_mm_h, rng, scale) -> np.ndarray:
    washed = np.where(rain_mm_h > 0.2, 0.6, 1.0)
    value = (6 + 9 * traffic * scale + 5 * np.clip(episode + 0.5, 0, None)) * washed
    return np.round(np.clip(value + rng.normal(0, 1.2, len(value)), 1, None), 1)


def no2(p, traffic, episode, rng, scale) -> np.ndarray:
    value = 11 + 28 * traffic * scale + 4 * np.clip(episode, 0, None)
    return np.round(np.clip(value + rng.normal(0, 2.5, len(value)), 2, None), 1)


def counts(p: Period, rhythm: np.ndarray, rain_mm_h: np.ndarray, rng, per_hour: float):
    """Poisson counts per step: ``per_hour`` at the rhythm's top, fewer in the rain."""
    dry = np.where(rain_mm_h > 0.2, 0.55, 1.0)
    expected = per_hour * rhythm * dry * p.step_minutes / 60
    return rng.poisson(np.clip(expected, 0, None))
