"""The forecaster on a daily series it has never seen: the report's figures can be recomputed
from its own forecasts, it beats the seasonal naive forecast where the covariate explains the
demand, and files it cannot forecast are refused in words."""

from __future__ import annotations

import json
from io import StringIO

import holidays
import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

pytest.importorskip("lightgbm", reason="the forecast extra is not installed")

from civic.insights.forecasting import EvaluationSettings, SeriesRefused, evaluate
from civic.insights.forecasting.series import series_from_frame

SMALL = EvaluationSettings(horizon=14, origins=3)


def a_daily_demand(days: int = 320, seed: int = 3) -> pd.DataFrame:
    """Applications a day: a weekly rhythm, a slow trend, and a covariate (the temperature,
    say) that moves demand a lot from day to day."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2025-01-01", periods=days, freq="D")
    weekday = np.array([30.0, 34, 32, 31, 26, 8, 5])[dates.day_of_week]
    temperature = 12 + 8 * np.sin(np.arange(days) / 58) + rng.normal(0, 4, days)
    demand = weekday + 0.02 * np.arange(days) + 1.5 * temperature + rng.normal(0, 1.5, days)
    return pd.DataFrame(
        {"day": dates.strftime("%Y-%m-%d"), "applications": demand.round(1), "temp": temperature}
    )


def run_cli(tmp_path, frame: pd.DataFrame, *extra: str) -> dict:
    csv = tmp_path / "never-seen.csv"
    frame.to_csv(csv, index=False)
    report = tmp_path / "report.json"
    out = StringIO()
    call_command(
        "insights", "forecast", "--csv", str(csv), "--date-column", "day",
        "--target", "applications", "--report", str(report), *extra, stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return json.loads(report.read_text()), out.getvalue()


def test_the_cli_reports_mase_and_coverage_that_recompute_from_its_own_forecasts(tmp_path):
    frame = a_daily_demand()

    report, printed = run_cli(
        tmp_path, frame, "--covariates", "temp", "--horizon", "14", "--origins", "3"
    )

    assert len(report["origins"]) == 3
    assert len(report["forecasts"]) == 3 * 14
    assert {"origin", "date", "actual", "forecast", "lower_80", "upper_80"} <= set(
        report["forecasts"][0]
    )
    target = frame["applications"].to_numpy()
    dates = list(frame["day"])
    for origin in report["origins"]:
        # the M4/M5 scale: in-sample MAE of the weekly seasonal naive up to the origin
        history = target[: dates.index(origin["origin"]) + 1]
        scale = np.mean(np.abs(history[7:] - history[:-7]))
        rows = [f for f in report["forecasts"] if f["origin"] == origin["origin"]]
        assert rows[0]["date"] > origin["origin"]
        mae = np.mean([abs(r["actual"] - r["forecast"]) for r in rows])
        assert origin["mase"] == pytest.approx(mae / scale)
        naive = np.mean([abs(r["actual"] - r["seasonal_naive"]) for r in rows])
        assert origin["mase_seasonal_naive"] == pytest.approx(naive / scale)
        assert origin["coverage_80"] == pytest.approx(
            np.mean([r["lower_80"] <= r["actual"] <= r["upper_80"] for r in rows])
        )
    assert report["mase"] == pytest.approx(np.mean([o["mase"] for o in report["origins"]]))
    assert report["coverage_95"] == pytest.approx(
        np.mean([f["lower_95"] <= f["actual"] <= f["upper_95"] for f in report["forecasts"]])
    )
    assert "MASE" in printed and "report.json" in printed


def test_the_seasonal_naive_forecast_repeats_the_last_observed_week(tmp_path):
    report, _ = run_cli(tmp_path, a_daily_demand(), "--horizon", "14", "--origins", "1")

    target = dict(zip(a_daily_demand()["day"], a_daily_demand()["applications"], strict=True))
    for row in report["forecasts"]:
        week_before = (pd.Timestamp(row["date"]) - pd.Timedelta(days=7)).date().isoformat()
        if week_before > row["origin"]:
            week_before = (pd.Timestamp(week_before) - pd.Timedelta(days=7)).date().isoformat()
        assert row["seasonal_naive"] == target[week_before]


def test_a_covariate_that_drives_demand_beats_seasonal_naive_and_the_report_says_it_stood_in():
    frame = a_daily_demand()
    series = series_from_frame(frame, date_column="day", target="applications", covariates=["temp"])

    report = evaluate(series, SMALL)

    assert report["mase"] < 0.7 * report["mase_seasonal_naive"]
    assert "standing in for forecasts" in report["covariates_note"]
    assert report["settings"]["covariates"] == ["temp"]
    assert all(
        f["lower_95"] <= f["lower_80"] <= f["upper_80"] <= f["upper_95"]
        for f in report["forecasts"]
    )


def test_without_covariates_the_dutch_holidays_still_count_and_the_report_says_none_were_given():
    # closed on Dutch public holidays, Christmas among the days forecast
    dates = pd.date_range("2025-02-01", "2025-12-31", freq="D")
    closed = np.array([day in holidays.country_holidays("NL", years=2025) for day in dates])
    rng = np.random.default_rng(5)
    demand = np.where(closed, 0.0, np.array([30.0, 34, 32, 31, 26, 8, 5])[dates.day_of_week])
    frame = pd.DataFrame({"day": dates, "applications": demand + rng.normal(0, 1, len(dates))})
    series = series_from_frame(frame, date_column="day", target="applications")

    report = evaluate(series, EvaluationSettings(horizon=7, origins=2))

    christmas = next(f for f in report["forecasts"] if f["date"] == "2025-12-25")
    assert christmas["forecast"] < 0.6 * christmas["seasonal_naive"]
    assert christmas["seasonal_naive"] > 25  # a Thursday, as the week before

    assert report["covariates_note"] == "No covariates were given."
    assert report["settings"]["holidays_country"] == "NL"
    assert report["mase"] < report["mase_seasonal_naive"]


@pytest.mark.parametrize(
    ("change", "arguments", "words"),
    [
        (lambda f: f, ("--target", "visits"), "no column 'visits'"),
        (lambda f: f, ("--covariates", "rain"), "no column 'rain'"),
        (lambda f: f.drop(index=40), (), "not daily without gaps: after 2025-02-09"),
        (
            lambda f: f.assign(
                applications=f["applications"].astype(str).where(f.index != 9, "closed")
            ),
            (),
            "not numeric: on 2025-01-10 it holds 'closed'",
        ),
        (lambda f: f.assign(day=f["day"].where(f.index != 5, "yesterday")), (), "not dates"),
        (lambda f: f.head(100), (), "has 100 days; 3 origin(s) of 14 days need at least"),
        (lambda f: pd.concat([f, f.tail(1)]), (), "appears more than once"),
        (lambda f: f, ("--holidays", "XX"), "no holiday calendar for 'XX'"),
    ],
    ids=["target", "covariate", "gap", "text", "date", "short", "duplicate", "country"],
)
def test_a_file_that_cannot_be_forecast_is_refused_in_words(tmp_path, change, arguments, words):
    csv = tmp_path / "series.csv"
    change(a_daily_demand()).to_csv(csv, index=False)
    options = {"--target": "applications", "--horizon": "14", "--origins": "3"}
    options.update(dict(zip(arguments[::2], arguments[1::2], strict=True)))
    flat = [item for pair in options.items() for item in pair]

    with pytest.raises(CommandError, match=words.replace("(", r"\(").replace(")", r"\)")):
        call_command(
            "insights", "forecast", "--csv", str(csv), "--date-column", "day", *flat,
            stdout=StringIO(), stderr=StringIO(),
        )  # fmt: skip


def test_a_missing_file_is_refused():
    with pytest.raises(SeriesRefused, match="There is no file"):
        from civic.insights.forecasting import series_from_csv

        series_from_csv("/nonexistent/series.csv", date_column="d", target="y")
