"""The event bus: handlers declared once with ``events.handler``; after-commit handlers are
written to the outbox with the change, run after its commit, and a failing one is logged and
retried without undoing or failing the publisher."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import transaction

from civic.core import clock, events
from civic.core.handlings import handlings_sweep
from civic.core.models import EventHandling
from civic.identity.models import Agency

pytestmark = pytest.mark.django_db

FLAKY = "org.civic.test.flaky"
seen: list[str] = []


@events.handler(FLAKY)
def flaky_handler(event: events.Event) -> None:
    """Fails while the agency it names has no name yet; then records what it saw."""
    agency = Agency.objects.get(code=event.subject)
    if not agency.name:
        raise RuntimeError("the agency has no name yet")
    seen.append(event.subject)


def later(monkeypatch, seconds: int) -> None:
    moment = clock.now() + dt.timedelta(seconds=seconds)
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_every_apps_handlers_are_found_at_start():
    assert events.handlers_of("org.civic.cases.opened") == [
        "civic.cases.events.case_event_webhooks_record",
        "civic.decisions.events.case_opened",
    ]
    assert "civic.compliance.events.access_unusual_received" in events.handlers_of(
        "org.civic.exchange.access-unusual"
    )
    assert "civic.exchange.events.register_event_received" in events.handlers_of(
        "org.civic.persons.moved"
    )


def test_a_failing_handler_is_retried_and_never_undoes_the_publisher(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    seen.clear()
    with (
        caplog.at_level(logging.ERROR, logger="civic.events"),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        agency = Agency.objects.create(code="flaky-town", name="")
        events.publish(events.Event(type=FLAKY, source="/test", subject="flaky-town", data={}))
    # The publisher's change stands; the handler failed after the commit, logged.
    assert Agency.objects.filter(code="flaky-town").exists()
    handling = EventHandling.objects.get(handler="tests.core.test_events.flaky_handler")
    assert handling.status == "pending" and handling.attempts == 1
    assert "the agency has no name yet" in handling.last_error
    assert any("failed on org.civic.test.flaky" in r.getMessage() for r in caplog.records)
    assert not seen

    # Not before its retry is due; then it runs again, and this time succeeds.
    assert handlings_sweep()["done"] == 0
    agency.name = "Flaky Town"
    agency.save()
    later(monkeypatch, events.RETRY_SCHEDULE[0] + 1)
    assert handlings_sweep()["done"] == 1
    handling.refresh_from_db()
    assert handling.status == "done" and handling.attempts == 2 and seen == ["flaky-town"]
    assert handlings_sweep()["done"] == 0  # done once


def test_nothing_is_handled_when_the_publisher_rolls_back(django_capture_on_commit_callbacks):
    seen.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Agency.objects.create(code="never-town", name="Never")
        events.publish(events.Event(type=FLAKY, source="/test", subject="never-town", data={}))
        raise RuntimeError("the change fails after publishing")
    assert not EventHandling.objects.filter(payload__subject="never-town").exists()
    assert not seen


def test_a_handler_that_keeps_failing_is_left_dead_for_an_operator(monkeypatch):
    events.publish(events.Event(type=FLAKY, source="/test", subject="nowhere", data={}))
    handling = EventHandling.objects.get(payload__subject="nowhere")
    for wait in (0, *events.RETRY_SCHEDULE):
        later(monkeypatch, wait + 1)
        handlings_sweep()
    handling.refresh_from_db()
    assert handling.status == "dead" and handling.attempts == len(events.RETRY_SCHEDULE) + 1
    assert "DoesNotExist" in handling.last_error
