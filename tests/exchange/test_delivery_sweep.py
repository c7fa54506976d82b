"""A delivery reaches its receiver once, as far as the receiver can tell: every re-send carries
the same webhook-id (the receiver drops a second copy), a delivery held by a worker that died
is sent again after its lease, and the dead worker cannot overwrite the outcome. Operators
without Celery beat run `civic events deliver`. Real receivers on loopback ports."""

from __future__ import annotations

import contextlib
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from civic.exchange import services
from civic.exchange.delivery import deliveries_dispatch
from civic.exchange.delivery.attempt import _claim, _record, lease
from civic.exchange.models import Delivery
from civic.exchange.webhooks import WebhookReplayed, webhook_verify
from civic.registers.changes import MOVED
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.receivers import Receiver
from tests.exchange.test_events import MOVE_FIELDS, later, move


@pytest.fixture
def subscribed(db):
    """A partner subscribed to moves, with the receiver the test starts."""
    purpose = create_purpose(code="address-updates")
    client, _, _ = create_partner(purpose=purpose, attributes=MOVE_FIELDS)

    def subscribe(receiver: Receiver):
        return services.subscription_create(
            purpose=purpose,
            register="persons",
            event_types=[MOVED],
            api_client=client,
            url=receiver.url(),
        )

    return subscribe


def test_every_resend_of_a_delivery_carries_the_same_webhook_id_and_body(subscribed, monkeypatch):
    with Receiver([503, 500]) as receiver:
        subscription = subscribed(receiver)
        event = move(a_registered_resident())
        assert deliveries_dispatch() == 0
        later(monkeypatch, 11)
        assert deliveries_dispatch() == 0
        later(monkeypatch, 11 + 31)
        assert deliveries_dispatch() == 1
    assert [r.status for r in receiver.requests] == [503, 500, 204]
    assert {r.webhook_id for r in receiver.requests} == {event.id}
    assert len({r.body for r in receiver.requests}) == 1
    for request in receiver.requests:  # each is signed afresh, and genuine
        webhook_verify(subscription.secret, request.headers, request.body, now=_sent(request))
    assert Delivery.objects.get().attempts == 3


def _sent(request) -> int:
    return int(request.headers["webhook-timestamp"])


def test_a_receiver_that_already_stored_a_delivery_drops_the_resend(subscribed, monkeypatch):
    """The receiver stored the event, but its answer never reached Civic (here: it answered
    500 after storing): the re-send is recognised by its webhook-id, answered 2xx, not stored
    twice."""
    stored: list[str] = []
    seen: set[str] = set()
    with Receiver([500]) as receiver:
        subscription = subscribed(receiver)
        move(a_registered_resident())
        deliveries_dispatch()
        later(monkeypatch, 11)
        deliveries_dispatch()
    for request in receiver.requests:  # what the receiver's code does with each
        with contextlib.suppress(WebhookReplayed):
            stored.append(
                webhook_verify(
                    subscription.secret,
                    request.headers,
                    request.body,
                    seen=seen,
                    now=_sent(request),
                )
            )
    assert len(receiver.requests) == 2 and len(stored) == 1
    assert Delivery.objects.get().status == "delivered"


def test_a_delivery_held_by_a_worker_that_died_is_sent_after_its_lease(subscribed, monkeypatch):
    with Receiver() as receiver:
        subscribed(receiver)
        event = move(a_registered_resident())
        delivery = Delivery.objects.get()
        held, _ = _claim(delivery.pk)  # a worker claims it, then dies before it sends
        assert held is not None
        assert deliveries_dispatch() == 0  # others leave it alone while the lease runs
        later(monkeypatch, int(lease().total_seconds()) + 1)
        assert deliveries_dispatch() == 1
        assert [r.webhook_id for r in receiver.requests] == [event.id]
        # The dead worker's attempt, had it come back, cannot record an outcome any more.
        assert _record(held, status="dead", last_error="stale") is False
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.last_error == ""


def test_events_deliver_makes_one_pass_and_says_what_happened(subscribed, monkeypatch):
    with Receiver([503]) as receiver:
        subscribed(receiver)
        number = a_registered_resident()
        move(number, days_from_now=1)
        move(number, days_from_now=40)  # waits behind the first: same resident, same order
        out = StringIO()
        call_command("events", "deliver", stdout=out)
        assert out.getvalue().strip() == (
            "0 delivered, 1 failed (to be retried), 0 dead, 0 withdrawn, 1 left for later; "
            "now 2 pending, 0 dead, 0 withdrawn"
        )
        later(monkeypatch, 11)
        out = StringIO()
        call_command("events", "deliver", stdout=out)
        assert out.getvalue().startswith("2 delivered, 0 failed")
    assert len(receiver.accepted) == 2


def test_events_status_shows_what_was_withdrawn_and_why(subscribed):
    with Receiver([503]) as receiver:
        subscription = subscribed(receiver)
        move(a_registered_resident())
        deliveries_dispatch()
    services.subscription_cancel(subscription=subscription)
    out = StringIO()
    call_command("events", "status", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "0 pending, 0 delivered, 0 dead, 1 withdrawn"
    assert lines[1].endswith(
        "withdrawn\torg.civic.persons.moved\t"
        f"subscription {subscription.pk}\tthe subscription was cancelled"
    )


def test_celery_beat_sweeps_the_due_deliveries_every_few_seconds(settings):
    import civic.exchange.tasks  # noqa: F401 (registers the tasks with the app)
    from civic.celery import app

    [entry] = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "civic.exchange.deliveries_sweep"
    ]
    assert entry["task"] in app.tasks
    assert dt.timedelta(seconds=entry["schedule"]) <= dt.timedelta(seconds=10)
