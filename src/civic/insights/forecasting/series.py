"""A daily series read from a CSV Civic has never seen, checked before anything is fitted.

Every refusal is a ``SeriesRefused`` whose message names the column, the date or the count
at fault, so the person who made the file can fix it without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd


class SeriesRefused(ValueError):
    """The file cannot be forecast as asked; the message says why in words."""


@dataclass(frozen=True)
class DailySeries:
    """One value a day with no gaps, and the covariates observed on the same days."""

    dates: pd.DatetimeIndex
    target: np.ndarray
    covariates: dict[str, np.ndarray]
    target_name: str

    def __len__(self) -> int:
        return len(self.target)


def series_from_csv(
    path: str | Path, *, date_column: str, target: str, covariates: list[str] | tuple = ()
) -> DailySeries:
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise SeriesRefused(f"There is no file {str(path)!r}.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise SeriesRefused(f"{path} is not a readable CSV file: {error}") from None
    return series_from_frame(frame, date_column=date_column, target=target, covariates=covariates)


def series_from_frame(
    frame: pd.DataFrame, *, date_column: str, target: str, covariates: list[str] | tuple = ()
) -> DailySeries:
    wanted = [date_column, target, *covariates]
    missing = [name for name in wanted if name not in frame.columns]
    if missing:
        raise SeriesRefused(
            f"The file has no column {', '.join(repr(m) for m in missing)}; "
            f"its columns are {', '.join(repr(str(c)) for c in frame.columns)}."
        )
    if target in covariates:
        raise SeriesRefused(f"The target {target!r} cannot also be a covariate.")
    dates = _daily_dates(frame[date_column], date_column)
    order = np.argsort(dates.values, kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    dates = dates[order]
    values = _numeric(frame[target], target, dates, allow_empty=False)
    covariate_values = {
        name: _numeric(frame[name], name, dates, allow_empty=True) for name in covariates
    }
    return DailySeries(
        dates=pd.DatetimeIndex(dates),
        target=values,
        covariates=covariate_values,
        target_name=target,
    )


def _daily_dates(column: pd.Series, name: str) -> pd.DatetimeIndex:
    parsed = pd.to_datetime(column, errors="coerce", format="mixed")
    bad = column[parsed.isna()]
    if len(bad):
        raise SeriesRefused(
            f"The date column {name!r} has {len(bad)} value(s) that are not dates, "
            f"the first on row {int(bad.index[0]) + 2}: {str(bad.iloc[0])!r}."
        )
    if (parsed.dt.normalize() != parsed).any():
        raise SeriesRefused(
            f"The date column {name!r} has times of day: the forecaster takes one value a day "
            "(sum or average the rows of each day first)."
        )
    dates = pd.DatetimeIndex(parsed).sort_values()
    duplicated = dates[dates.duplicated()]
    if len(duplicated):
        raise SeriesRefused(
            f"The date {duplicated[0].date()} appears more than once in {name!r}: the forecaster "
            "takes one value a day."
        )
    steps = np.diff(dates.values).astype("timedelta64[D]").astype(int)
    if len(steps) and (steps != 1).any():
        first = int(np.argmax(steps != 1))
        raise SeriesRefused(
            f"The dates are not daily without gaps: after {dates[first].date()} the next date is "
            f"{dates[first + 1].date()}. Fill the missing days (a zero when nothing happened)."
        )
    return pd.DatetimeIndex(parsed)


def _numeric(column: pd.Series, name: str, dates, *, allow_empty: bool) -> np.ndarray:
    values = pd.to_numeric(column, errors="coerce")
    not_numbers = column.notna() & values.isna()
    if not_numbers.any():
        row = int(np.argmax(not_numbers.values))
        raise SeriesRefused(
            f"The column {name!r} is not numeric: on {dates[row].date()} it holds "
            f"{str(column.iloc[row])!r}."
        )
    if not allow_empty and values.isna().any():
        row = int(np.argmax(values.isna().values))
        raise SeriesRefused(f"The target {name!r} is empty on {dates[row].date()}.")
    return values.to_numpy(dtype=float)
