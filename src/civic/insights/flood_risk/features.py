"""What the flood-risk model knows at the end of an hour, and what it is scored against.

Every series is hourly (one mean per hour, NaN where nothing was read). Row ``i`` of the
features is what is known at the end of hour ``i``:

- ``margin``: how far the gauge's level is below its high-water line (negative above it), so
  one model serves gauges with different lines;
- ``rise_1h``, ``rise_3h``: how much the level rose over the last hour and three hours;
- ``rain_1h`` … ``rain_24h``: the rain that fell in the last 1, 3, 6, 12 and 24 hours (mm): a
  river answers rain some hours later, so recent rain is rain on its way.

The outcome of row ``i`` is whether the level goes above the line in any of the next
``hours_ahead`` hours. Rain still to come is not known; that is the uncertainty the
probability stands for.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

RAIN_HOURS = (1, 3, 6, 12, 24)
FEATURES = ("margin", "rise_1h", "rise_3h", *(f"rain_{hours}h" for hours in RAIN_HOURS))
#: Hours of readings before an hour that its features need.
LOOKBACK_HOURS = 24


def _trailing_sum(values: np.ndarray, hours: int) -> np.ndarray:
    """Sum of the last ``hours`` values up to each hour (NaN if any is missing or too early)."""
    out = np.full(len(values), np.nan)
    if len(values) >= hours:
        out[hours - 1 :] = sliding_window_view(values, hours).sum(axis=1)
    return out


def _earlier(values: np.ndarray, hours: int) -> np.ndarray:
    out = np.full(len(values), np.nan)
    out[hours:] = values[:-hours]
    return out


def features(level: np.ndarray, rain: np.ndarray, flood_level: float) -> np.ndarray:
    """One row per hour, one column per name in FEATURES; a row with NaN cannot be judged."""
    level, rain = np.asarray(level, dtype=float), np.asarray(rain, dtype=float)
    columns = [flood_level - level, level - _earlier(level, 1), level - _earlier(level, 3)]
    columns += [_trailing_sum(rain, hours) for hours in RAIN_HOURS]
    return np.column_stack(columns)


def outcome(level: np.ndarray, flood_level: float, hours_ahead: int) -> np.ndarray:
    """1.0 where the level goes above ``flood_level`` within the next ``hours_ahead`` hours,
    0.0 where it stays below, NaN where those hours are not all known."""
    level = np.asarray(level, dtype=float)
    out = np.full(len(level), np.nan)
    if len(level) <= hours_ahead:
        return out
    ahead = sliding_window_view(level[1:], hours_ahead)  # row i: hours i+1 .. i+hours_ahead
    known = ~np.isnan(ahead).any(axis=1)
    above = (np.nan_to_num(ahead, nan=-np.inf) > flood_level).any(axis=1)
    out[: len(ahead)] = np.where(known, above.astype(float), np.nan)
    return out


def usable(x: np.ndarray, y: np.ndarray | None = None) -> np.ndarray:
    """The rows that can be learnt from or scored: every feature (and the outcome) known."""
    keep = ~np.isnan(x).any(axis=1)
    return keep if y is None else keep & ~np.isnan(y)
