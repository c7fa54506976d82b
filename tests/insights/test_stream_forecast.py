"""A sensor stream's forecast (issue 20, item 2): a city operator sees the next fortnight of a
stream's daily figure with its 80 % range, and how the forecaster scored on the stream's own
past against seasonal naive, with the day's rain as a weather covariate; a stream with too
short a history says so; other staff and the public cannot see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from civic.core import clock
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.insights.stream_forecast import figure_kind, stream_forecast
from civic.sensors import models as m
from civic.sensors.simulation.network import network_ensure
from civic.sensors.simulation.run import simulate
from tests.builders import create_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    """Two years of hourly pedestrian counts at the Markt and the city's rain, up to today."""
    cache.clear()
    today = dt.datetime.combine(clock.now().date(), dt.time(), tzinfo=dt.UTC)
    simulate(
        since=today - dt.timedelta(days=730),
        until=today,
        step_minutes=60,
        seed=7,
        kinds=("pedestrians", "rain"),
    )
    streams = network_ensure()
    return {
        "market": streams[("ped-markt", "pedestrians")],
        "rain": streams[("rain-centrum", "rainfall")],
        "river": streams[("river-havenbrug", "water_level")],
    }


def test_a_count_stream_is_forecast_a_fortnight_ahead_and_scored_against_seasonal_naive(history):
    found = stream_forecast(datastream_id=history["market"])
    assert found["kind"] == "total" and found["unit"] == "people"
    assert len(found["days"]) == 14
    first = dt.date.fromisoformat(found["days"][0]["date"])
    assert first == dt.date.fromisoformat(found["last_day"]) + dt.timedelta(days=1)
    for day in found["days"]:
        assert 0 <= day["lower_80"] <= day["forecast"] <= day["upper_80"]
    # A busy square: thousands a day, fewer on rainy days, a weekly rhythm.
    assert 1_000 < found["days"][0]["forecast"] < 50_000
    scored = found["evaluation"]
    assert found["covariates"] == ["rain_mm"] and scored["origins"] == 4
    assert found["covariates_left_out"] == []
    assert scored["mase"] < scored["mase_seasonal_naive"]
    assert 0 <= scored["coverage_80"] <= 1


def test_the_daily_figure_is_the_total_the_rain_or_the_mean(history):
    kinds = {
        pk: figure_kind(m.Datastream.objects.select_related("observed_property").get(pk=pk))
        for pk in history.values()
    }
    assert kinds == {history["market"]: "total", history["rain"]: "rain", history["river"]: "mean"}


def test_a_stream_with_too_short_a_history_says_so(history):
    found = stream_forecast(datastream_id=history["river"])  # no readings at all
    assert found["reason"] == "too-short" and found["days_held"] == 0
    assert stream_forecast(datastream_id=999_999) is None


def test_only_staff_who_run_the_sensors_see_the_page(history, client):
    url = f"/staff/insights/streams/{history['market']}/"
    operator = create_staff(roles=[Role.CITY_OPERATOR], agency=agency_get(code="havenstad"))
    client.force_login(operator)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Pedestrians Markt" in text and "seasonal naive" in text and "<svg" in text
    assert client.get("/staff/insights/streams/999999/").status_code == 404
    caseworker = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    client.force_login(caseworker)
    assert client.get(url).status_code == 403
