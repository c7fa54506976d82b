"""The digital-maturity index: the six OECD dimensions scored from the platform's live figures,
recorded a day at a time, published with its method and history (page, API, command), and
moved by what the platform does: a decision explained, an offer taken up."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from civic.cases.models import Decision
from civic.catalog.models import Service
from civic.core import clock
from civic.decisions.models import Offer, RuleOutcome
from civic.insights.maturity import DIMENSIONS, maturity_compute
from civic.insights.models import MaturitySnapshot
from civic.insights.services import maturity_record
from tests.builders import a_registered_resident
from tests.cases.builders import a_submitted_application
from tests.insights.test_kpis import text_of

pytestmark = pytest.mark.django_db

PAGE = "/performance/maturity/"


def _input(computed: dict, key: str) -> dict:
    return computed["inputs"][key]


def _score(computed: dict, key: str) -> float | None:
    return next(d["score"] for d in computed["dimensions"] if d["key"] == key)


def test_every_dimension_is_scored_from_the_figures_behind_it(parking_history):
    computed = maturity_compute()

    assert [d["key"] for d in computed["dimensions"]] == [
        "digital_by_design",
        "data_driven",
        "government_as_a_platform",
        "open_by_default",
        "user_driven",
        "proactive",
    ]
    services = _input(computed, "services_digital")
    assert services["denominator"] == Service.objects.filter(published=True).count()
    assert 0 < services["numerator"] <= services["denominator"]
    # 8 decided in the year's window, one of them late (the ninth was decided 380 days ago)
    on_time = _input(computed, "decided_on_time")
    assert (on_time["numerator"], on_time["denominator"]) == (7, 8)
    # six decided by the rules, none with an explanation recorded
    assert _input(computed, "decisions_explained")["denominator"] == 6
    assert _input(computed, "decisions_explained")["numerator"] == 0
    # no comment kept yet: said, and left out of "user-driven" rather than counted as 0
    assert _input(computed, "feedback_acted_on")["value"] is None
    assert _score(computed, "user_driven") == 87.5
    scores = [d["score"] for d in computed["dimensions"] if d["score"] is not None]
    assert computed["index"] == round(sum(scores) / len(scores), 1)


def test_an_explained_decision_and_an_offer_taken_up_raise_their_dimensions(parking_history):
    before = maturity_compute()
    reference = (
        Decision.objects.filter(automated=True).values_list("case__reference", flat=True).first()
    )
    RuleOutcome.objects.create(
        case_reference=reference,
        case_type="parking-permit",
        rule_set="parking",
        route=RuleOutcome.Route.DECIDED,
        outcome="granted",
        explanation={"steps": ["a permit for the resident's street"]},
        computed_at=clock.now(),
    )
    for year, status in ((2025, Offer.Status.OFFERED), (2026, Offer.Status.ACCEPTED)):
        Offer.objects.create(
            personal_number=a_registered_resident(),
            rule_set="school-clothing-grant",
            year=year,
            household=f"h-{year}",
            amount=100,
            status=status,
            created_at=clock.now() - dt.timedelta(days=3),
        )

    after = maturity_compute()

    explained = _input(after, "decisions_explained")
    assert (explained["numerator"], explained["denominator"]) == (1, 6)
    assert _score(after, "open_by_default") > _score(before, "open_by_default")
    offers = _input(after, "offers_taken_up")
    assert (offers["numerator"], offers["denominator"]) == (1, 2)
    assert _score(after, "proactive") == 50.0


def test_a_form_sent_counts_the_questions_a_register_answered(db):
    before = _input(maturity_compute(), "register_answers")
    a_submitted_application(applicant=a_registered_resident())
    after = _input(maturity_compute(), "register_answers")
    assert after["denominator"] > (before["denominator"] or 0)
    assert after["numerator"] > (before["numerator"] or 0)
    assert after["numerator"] <= after["denominator"]


def test_a_day_is_recorded_once_and_the_page_shows_the_history_and_the_method(client, db):
    assert "has not been computed yet" in text_of(client.get(PAGE))
    yesterday = clock.now() - dt.timedelta(days=1)
    maturity_record(now=yesterday)
    maturity_record()
    maturity_record()  # again today: replaces today's
    assert MaturitySnapshot.objects.count() == 2

    response = client.get(PAGE)
    assert response.status_code == 200
    text = text_of(response)
    for dimension in DIMENSIONS:
        assert str(dimension.name) in text
    assert "The index is" in text and "out of 100" in text
    assert "Feedback acted on nothing to count yet" in text
    assert "How the index is scored" in text and "Nothing is weighted by hand" in text
    history = text.split("The index day by day")[1]
    assert yesterday.date().strftime("%Y") in history
    assert history.count(str(yesterday.year)) >= 2  # a row a day
    html = response.content.decode()
    assert 'role="img"' in html and "the same scores, with the figures behind them" in html


def test_the_page_in_dutch(client, db):
    maturity_record()
    text = text_of(client.get(PAGE, HTTP_ACCEPT_LANGUAGE="nl"))
    assert "Index digitale volwassenheid" in text
    assert "Overheid als platform" in text and "Proactief" in text


def test_the_api_gives_the_latest_index_or_a_problem_before_there_is_one(client, db):
    missing = client.get("/api/insights/v1/maturity")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/problem+json")
    snapshot = maturity_record()
    body = client.get("/api/insights/v1/maturity").json()
    assert body["index"] == snapshot.index and body["day"] == snapshot.day.isoformat()
    assert len(body["dimensions"]) == 6
    platform = next(d for d in body["dimensions"] if d["key"] == "government_as_a_platform")
    (agencies,) = platform["inputs"]
    assert agencies["key"] == "agencies_on_platform" and agencies["denominator"] >= 1


def test_the_command_prints_the_index_and_records_it_and_beat_runs_it_daily(db, settings):
    from civic.celery import app
    from civic.insights.tasks import maturity_record_task

    out = StringIO()
    call_command("insights", "maturity", "--record", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["index"] == MaturitySnapshot.objects.get().index
    assert len(printed["dimensions"]) == 6
    entry = settings.CELERY_BEAT_SCHEDULE["insights-maturity-daily"]
    assert entry["task"] in app.tasks and entry["schedule"] == 24 * 3600
    assert maturity_record_task.apply().get() == MaturitySnapshot.objects.get().index
