"""The KPIs read the decisions from a summary per kind of case and day: it follows every
decision as it is taken (by a caseworker or by the rules), a deadline moved after the decision,
the period's first, partial day, a bulk load counted again by the command, and the retention
run, which anonymises the case but leaves the figures as they were and finds no person in it."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from io import StringIO

import pytest
from django.core.management import call_command

from civic.cases.models import Case, Decision, DecisionDay
from civic.cases.services import (
    case_deadline_extend,
    case_decide,
    case_decide_by_rules,
    case_retention_apply,
    case_transition,
    decision_days_rebuild,
)
from civic.core import clock
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident, create_staff
from tests.cases.builders import a_submitted_application
from tests.insights.builders import a_case


def parking(client, days: int = 90) -> dict:
    body = client.get(f"/api/insights/v1/kpis?days={days}").json()
    return next(row for row in body["services"] if row["case_type"] == "parking-permit")


def summary() -> list[tuple]:
    return sorted(
        DecisionDay.objects.values_list(
            "case_type_id", "agency_id", "day", "decided", "automated", "late", "seconds", "hours"
        ),
        key=repr,
    )


@pytest.fixture
def an_application(db, settings):
    from tests.exchange.builders import create_purpose

    create_purpose(code=settings.OWN_DATA_PURPOSE)
    return Case.objects.get(submission=a_submitted_application(applicant=a_registered_resident()))


@pytest.fixture
def caseworker(db):
    return create_staff(
        roles=[Role.CASEWORKER, Role.SERVICE_OWNER], agency=agency_get(code="havenstad")
    )


def test_a_caseworkers_decision_is_on_the_kpi_page_at_once(client, caseworker, an_application):
    client.force_login(caseworker)
    before = parking(client)
    case = case_transition(
        case=an_application,
        transition="start_review",
        user=caseworker,
        expected_version=an_application.version,
    )

    case_decide(
        case=case,
        user=caseworker,
        outcome="refused",
        template="refused-area",
        reasons="Your street is in zone C.",
        expected_version=case.version,
    )

    after = parking(client)
    assert after["decided"] == before["decided"] + 1
    assert (after["automated"], after["decided_late"]) == (before["automated"], 0)
    assert after["median_days_to_decision"] == 0.0
    kept = summary()
    assert decision_days_rebuild() == Decision.objects.count()
    assert summary() == kept, "what the service counted is what the decisions say"


def test_a_decision_by_the_rules_counts_as_automated(client, caseworker, an_application):
    client.force_login(caseworker)

    case_decide_by_rules(
        case=an_application, outcome="granted", reasons="The rules say yes.", rule_set="Parking"
    )

    figures = parking(client)
    assert (figures["decided"], figures["automated"]) == (1, 1)
    assert figures["automation_rate"] == pytest.approx(1.0)


def test_a_deadline_moved_after_the_decision_moves_it_out_of_the_late_ones(
    client, caseworker, parking_history
):
    client.force_login(caseworker)
    late = next(
        case
        for case in Case.objects.filter(decision__isnull=False)
        if case.decision.decided_at.date() > case.deadline
    )
    resident = a_registered_resident()  # told of the extension
    Case.objects.filter(pk=late.pk).update(subject=resident, applicant=resident)
    late.refresh_from_db()
    assert parking(client)["decided_late"] == 1

    case_deadline_extend(
        case=late,
        user=caseworker,
        until=late.deadline + dt.timedelta(days=60),
        message={"en": "We needed longer.", "nl": "We hadden meer tijd nodig."},
    )

    assert parking(client)["decided_late"] == 0
    kept = summary()
    decision_days_rebuild()
    assert summary() == kept


def test_the_periods_first_day_counts_from_the_hour_the_period_starts(
    client, caseworker, monkeypatch, db
):
    noon = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: noon)
    a_case(opened_days_ago=100, decided_days_ago=90 - 1 / 24)  # an hour into the period
    a_case(opened_days_ago=100, decided_days_ago=90 + 1 / 24)  # an hour before it: not counted
    a_case(opened_days_ago=100, decided_days_ago=50)
    client.force_login(caseworker)

    figures = parking(client)

    assert figures["decided"] == 2
    assert figures["median_days_to_decision"] == pytest.approx((10 - 1 / 24 + 50) / 2, abs=0.05)


def test_the_median_is_the_decisions_own_to_the_hour(client, caseworker, db):
    rng = random.Random(3)
    took = []
    for _ in range(41):
        opened = rng.uniform(40, 80)
        decided = rng.uniform(1, 39)
        a_case(opened_days_ago=opened, decided_days_ago=decided, automated=rng.random() < 0.3)
        took.append(opened - decided)
    client.force_login(caseworker)

    figures = parking(client)

    assert figures["decided"] == 41
    # counted to the hour, shown to a tenth of a day: at most a tenth off, only at a boundary
    assert figures["median_days_to_decision"] == pytest.approx(statistics.median(took), abs=0.1)


def test_decisions_loaded_in_bulk_are_counted_by_the_command(client, caseworker, db):
    case = a_case(opened_days_ago=20, decided_days_ago=None)
    Decision.objects.create(
        case=case, outcome="granted", reasons="ok", decided_by="import", decided_at=clock.now()
    )
    client.force_login(caseworker)
    assert parking(client)["decided"] == 0, "written past the services, not yet counted"
    out = StringIO()

    call_command("cases", "decision-days", "--case-type", "parking-permit", stdout=out)

    assert "1 decisions counted" in out.getvalue()
    figures = parking(client)
    assert figures["decided"] == 1 and figures["median_days_to_decision"] == 20.0


def test_the_retention_run_leaves_the_figures_and_the_summary_holds_no_person(
    client, caseworker, parking_history
):
    client.force_login(caseworker)
    before = {days: parking(client, days) for days in (90, 365)}
    kept = summary()

    anonymised = case_retention_apply(
        case_type="parking-permit",
        years=0,
        today=clock.now().date() + dt.timedelta(days=1),
        dry_run=False,
    )

    assert anonymised == 9
    assert {days: parking(client, days) for days in (90, 365)} == before
    assert summary() == kept
    columns = {f.name for f in DecisionDay._meta.get_fields()}
    assert columns == {
        "id", "case_type", "agency", "day", "decided", "automated", "late", "seconds", "hours"
    }  # fmt: skip
