"""The weather covariates of the live forecasts (issue 20, item 2): the daily rain the city's
rain gauges measured joins the demand forecast of a kind of case when it covers the history,
a gappy weather stream is left out, and without weather sensors the forecast falls back to the
calendar and the holidays and says so."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from django.core.cache import cache

from civic.core import clock
from civic.insights import staffing
from civic.sensors import models as m
from civic.sensors.simulation.network import network_ensure
from tests.insights.test_staffing import a_year_of_permits  # noqa: F401 (a fixture)

pytest.importorskip("lightgbm", reason="the forecast extra is not installed")

from civic.insights.forecasting import EvaluationSettings
from civic.insights.forecasting.ahead import forecast_ahead
from civic.insights.forecasting.series import DailySeries


def _rain_days(share: float, seed: int = 3) -> None:
    """One reading a day at noon on the demo rain gauge over the last year, on ``share`` of
    the days (the others missing)."""
    gauge = network_ensure()[("rain-centrum", "rainfall")]
    rng = np.random.default_rng(seed)
    today = clock.now().date()
    readings = []
    for back in range(1, 367):
        if rng.random() >= share:
            continue
        day = today - dt.timedelta(days=back)
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        wet = rng.random() < 0.4
        readings.append(
            m.Observation(
                datastream_id=gauge,
                phenomenon_time=noon,
                result_time=noon,
                result_number=float(rng.exponential(0.2)) if wet else 0.0,
            )
        )
    m.Observation.objects.bulk_create(readings)
    cache.clear()


def test_with_a_rain_gauge_over_the_year_the_forecast_takes_the_rain(
    a_year_of_permits,  # noqa: F811
    client,
    manager,
):
    _rain_days(share=1.0)

    forecast = staffing.demand_forecast(case_type="parking-permit")

    assert forecast["covariates"] == ["rain_mm"]
    assert len(forecast["days"]) == 28
    for day in forecast["days"]:
        assert 0 <= day["lower_80"] <= day["forecast"] <= day["upper_80"]
    client.force_login(manager)
    html = client.get("/staff/insights/parking-permit/").content.decode()
    covariates = html[html.index('id="forecast-covariates"') :]
    assert "weather the city" in covariates and "rain" in covariates[:400], covariates[:400]


def test_without_weather_sensors_it_falls_back_to_the_calendar_and_says_so(
    a_year_of_permits,  # noqa: F811
    client,
    manager,
):
    forecast = staffing.demand_forecast(case_type="parking-permit")

    assert forecast["covariates"] == [] and forecast["covariates_left_out"] == []
    assert len(forecast["days"]) == 28
    client.force_login(manager)
    html = client.get("/staff/insights/parking-permit/").content.decode()
    assert "the calendar and the public holidays only" in html


def test_a_rain_gauge_with_gaps_is_left_out(a_year_of_permits):  # noqa: F811
    _rain_days(share=0.75)

    forecast = staffing.demand_forecast(case_type="parking-permit")

    assert forecast["covariates"] == []
    assert forecast["covariates_left_out"] == ["rain_mm"]
    assert len(forecast["days"]) == 28


def _rainy_demand(seed: int):
    """A year and four weeks of cases a day: a weekly rhythm plus 1.5 cases a mm of rain."""
    rng = np.random.default_rng(seed)
    days = 365 + 28
    dates = pd.date_range("2025-01-01", periods=days, freq="D")
    rain = np.where(rng.random(days) < 0.45, rng.exponential(4, days), 0.0)
    cases = rng.poisson(np.where(dates.day_of_week < 5, 12.0, 3.0) + 1.5 * rain)
    return dates, cases.astype(float), rain


def test_when_demand_follows_the_rain_knowing_the_rain_brings_the_forecast_closer():
    """The last four weeks held out: the forecast given their measured rain (what a weather
    forecast would give) errs less than the forecast without rain; the climatology, which
    stands in while there is no weather forecast, is not asked to."""
    errors = {"with": [], "without": []}
    for seed in (0, 1):
        dates, cases, rain = _rainy_demand(seed)
        history, settings = 365, EvaluationSettings(horizon=28, origins=1)
        actual = cases[history:]
        with_rain = forecast_ahead(
            DailySeries(dates[:history], cases[:history], {"rain_mm": rain[:history]}, "cases"),
            settings,
            ahead={"rain_mm": rain[history:]},
        )
        without = forecast_ahead(
            DailySeries(dates[:history], cases[:history], {}, "cases"), settings
        )
        assert with_rain["covariates"] == ["rain_mm"] and without["covariates"] == []
        errors["with"].append(np.mean(np.abs(with_rain["forecast"] - actual)))
        errors["without"].append(np.mean(np.abs(without["forecast"] - actual)))
    assert np.mean(errors["with"]) < 0.8 * np.mean(errors["without"])


def test_the_climatology_stands_in_for_the_days_ahead_and_a_sparse_covariate_is_left_out():
    dates, cases, rain = _rainy_demand(2)
    history, settings = 365, EvaluationSettings(horizon=28, origins=1)
    sparse = rain[:history].copy()
    sparse[::5] = np.nan  # a fifth of the days missing

    found = forecast_ahead(
        DailySeries(
            dates[:history],
            cases[:history],
            {"rain_mm": rain[:history], "sparse": sparse},
            "cases",
        ),
        settings,
    )

    assert found["covariates"] == ["rain_mm"] and found["covariates_left_out"] == ["sparse"]
    assert "climatology" in found["stand_in"]
    assert len(found["forecast"]) == 28
    assert np.all(found["lower_80"] <= found["upper_80"])
