"""The demand forecast of a kind of case and the staffing suggestion on its KPI page."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.core.cache import cache

from civic.core import clock
from civic.insights import staffing
from tests.insights.builders import a_year_of_parking_permits

pytest.importorskip("lightgbm", reason="the forecast extra is not installed")


@pytest.fixture
def a_year_of_permits(db):
    cache.clear()
    a_year_of_parking_permits()
    yield
    cache.clear()


def test_the_forecast_follows_the_weekly_rhythm_of_the_history(a_year_of_permits):
    forecast = staffing.demand_forecast(case_type="parking-permit")

    by_weekday = {
        dt.date.fromisoformat(d["date"]).weekday(): d["forecast"] for d in forecast["days"]
    }
    assert len(forecast["days"]) == 28
    assert by_weekday[2] == pytest.approx(12, abs=1.5)
    assert by_weekday[6] == pytest.approx(0, abs=1.5)
    assert 4 * 62 - 20 <= forecast["total"] <= 4 * 62 + 20


def test_the_suggestion_is_the_forecast_at_the_recent_pace(a_year_of_permits):
    forecast = staffing.demand_forecast(case_type="parking-permit")

    suggestion = staffing.staffing_suggestion(
        case_type="parking-permit", forecast=forecast, automation_rate=0.0, open_past_deadline=0
    )

    assert suggestion["decisions_per_caseworker_day"] == 5.0
    today = clock.now().date()
    weekdays = sum((today - dt.timedelta(days=b)).weekday() < 5 for b in range(1, 28))
    assert suggestion["caseworker_days_recent"] == 2 * weekdays
    needed = math.ceil(forecast["total"] / 5)
    assert suggestion["caseworker_days_needed"] == needed
    assert suggestion["more_caseworker_days"] == needed - 2 * weekdays


def test_the_kind_of_case_page_shows_the_forecast_its_table_and_the_staffing_sentence(
    client, manager, a_year_of_permits
):
    client.force_login(manager)

    html = client.get("/staff/insights/parking-permit/").content.decode()

    assert "Demand in the next four weeks" in html
    assert "At this pace and this forecast, the queue needs" in html
    assert html.count('<td class="govuk-table__cell govuk-table__cell--numeric">') >= 2 * 28


def test_the_backlog_page_of_a_kind_of_case_shows_the_staffing_it_asks_for(
    client, manager, a_year_of_permits
):
    client.force_login(manager)

    html = client.get("/staff/cases/backlog/?case_type=parking-permit").content.decode()

    assert "Staffing next month" in html
    assert "At this pace and this forecast, the queue needs" in html
    assert 'href="/staff/insights/parking-permit/"' in html


def test_the_backlog_page_of_all_kinds_says_how_to_see_the_staffing(client, manager):
    client.force_login(manager)

    html = client.get("/staff/cases/backlog/").content.decode()

    assert "Choose a kind of case to see next month" in html
    assert "At this pace and this forecast" not in html


def test_the_backlog_page_shows_no_staffing_for_another_agencys_kind_of_case(
    client, manager, a_year_of_permits
):
    client.force_login(manager)

    html = client.get("/staff/cases/backlog/?case_type=housing-allowance").content.decode()

    assert "Staffing next month" not in html
