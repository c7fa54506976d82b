"""Backlog insight: open cases by age, weekly inflow and outflow, breaches, and when the
backlog clears at the current pace, as a page and as JSON."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.cases.models import Case, CaseType
from civic.core import clock
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff


def _case(
    n: int, *, opened_days_ago: int, closed_days_ago: int | None = None, deadline_days: int = 56
):
    now = clock.now()
    opened = now - dt.timedelta(days=opened_days_ago)
    return Case.objects.create(
        reference=f"BL-{n:05d}",
        case_type=CaseType.objects.get(code="parking-permit"),
        agency=agency_get(code="havenstad"),
        subject="000000000",
        applicant="000000000",
        state="decided" if closed_days_ago is not None else "received",
        opened_at=opened,
        deadline=opened.date() + dt.timedelta(days=deadline_days),
        closed_at=now - dt.timedelta(days=closed_days_ago) if closed_days_ago is not None else None,
    )


@pytest.fixture
def manager(db):
    return create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))


def test_backlog_figures_as_json(client, manager):
    n = 0
    for days in (1, 3, 10, 20, 40, 90):  # open, of several ages
        n += 1
        _case(n, opened_days_ago=days)
    for week in range(
        1, 6
    ):  # each past week: two opened and closed that week, plus four old ones closed
        for _ in range(2):
            n += 1
            _case(n, opened_days_ago=7 * week + 1, closed_days_ago=7 * week)
        for _ in range(4):
            n += 1
            _case(n, opened_days_ago=200, closed_days_ago=7 * week, deadline_days=30)
    client.force_login(manager)
    figures = client.get("/staff/cases/backlog/?format=json").json()
    assert figures["open"] == 6
    assert [a["cases"] for a in figures["by_age"]] == [2, 1, 1, 1, 1]
    assert figures["breaches"]["open_past_deadline"] == 1  # opened 90 days ago, 56-day period
    assert figures["breaches"]["decided_late"] == 20
    assert sum(w["out"] for w in figures["weekly"]) == 30
    projection = figures["projection"]
    assert projection["net_per_week"] > 0 and projection["clears_on"] is not None


def test_a_backlog_that_grows_never_clears(client, manager):
    for n in range(1, 9):
        _case(n, opened_days_ago=7 * (n % 4 + 1))
    client.force_login(manager)
    figures = client.get("/staff/cases/backlog/?format=json").json()
    assert figures["projection"]["clears_on"] is None
    page = client.get("/staff/cases/backlog/").content.decode()
    assert "does not clear" in page and "Open cases by age" in page and "<svg" in page


def test_residents_and_other_roles_cannot_see_the_backlog(client, db):
    dpo = create_staff(roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="havenstad"))
    client.force_login(dpo)
    assert client.get("/staff/cases/backlog/").status_code == 403
