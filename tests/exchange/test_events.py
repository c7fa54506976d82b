"""Register events: CloudEvents to subscribers that hold a grant, signed webhooks retried until
the subscriber is back, in order per subject, exactly once, and dead-lettered after the last try."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading

import pytest

from civic.core import clock
from civic.exchange import services
from civic.exchange.delivery import deliveries_dispatch
from civic.exchange.models import AccessLogEntry, Delivery
from civic.exchange.webhooks import WebhookRefused, webhook_headers, webhook_verify
from civic.registers import services as registers
from civic.registers.changes import MOVED
from civic.registers.selectors import address_at
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose

MOVE_FIELDS = ["residence.address", "residence.valid_from"]


class Subscriber:
    """A partner's webhook endpoint on localhost that verifies what it receives."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.seen: set[str] = set()
        self.secret = ""
        self.server: http.server.HTTPServer | None = None
        self.port = 0

    def start(self) -> None:
        subscriber = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    webhook_verify(
                        subscriber.secret, dict(self.headers), body, seen=subscriber.seen
                    )
                except WebhookRefused:
                    self.send_response(400)
                    self.end_headers()
                    return
                subscriber.received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/civic-events"


@pytest.fixture
def subscriber(db):
    purpose = create_purpose(code="address-updates")
    client, _, _ = create_partner(purpose=purpose, attributes=MOVE_FIELDS)
    endpoint = Subscriber()
    endpoint.start()
    subscription = services.subscription_create(
        purpose=purpose,
        register="persons",
        event_types=[MOVED],
        api_client=client,
        url=endpoint.url,
    )
    endpoint.secret = subscription.secret
    yield endpoint, subscription
    if endpoint.server:
        endpoint.stop()


def an_address_to_move_to(number: str):
    from civic.registers.models import Address, Residence

    lived_at = Residence.objects.filter(person__personal_number=number).values("address")
    return Address.objects.exclude(pk__in=lived_at).order_by("id").first()


def move(number: str, days_from_now: int = 0):
    return registers.person_move(
        personal_number=number,
        address=an_address_to_move_to(number).identifier,
        moved_on=clock.today() + dt.timedelta(days=days_from_now),
    )


def later(monkeypatch, seconds: int) -> None:
    moment = clock.now() + dt.timedelta(seconds=seconds)
    monkeypatch.setattr(clock, "now", lambda: moment)


def test_a_move_changes_the_register_bitemporally(db):
    number = a_registered_resident()
    before = address_at(personal_number=number, valid_at=clock.today())
    move(number, days_from_now=1)
    assert address_at(personal_number=number, valid_at=clock.today()) == before
    assert (
        address_at(personal_number=number, valid_at=clock.today() + dt.timedelta(days=1)) != before
    )
    before_the_change = clock.now() - dt.timedelta(seconds=1)
    assert (
        address_at(
            personal_number=number,
            valid_at=clock.today() + dt.timedelta(days=1),
            known_at=before_the_change,
        )
        == before
    )


def test_a_move_reaches_the_subscriber_as_a_signed_cloudevent_and_is_logged(subscriber):
    endpoint, subscription = subscriber
    number = a_registered_resident()
    event = move(number, days_from_now=1)
    assert deliveries_dispatch() == 1
    [received] = endpoint.received
    assert (
        received["specversion"] == "1.0"
        and received["type"] == MOVED
        and received["id"] == event.id
    )
    assert received["subject"] == number
    assert set(received["data"]) == set(MOVE_FIELDS)
    entry = AccessLogEntry.objects.get(trace_id=event.id)
    assert entry.actor == subscription.api_client.client_id and entry.fields == ",".join(
        MOVE_FIELDS
    )


def test_a_subscriber_without_a_grant_for_the_data_gets_nothing(db):
    purpose = create_purpose()
    client, _, _ = create_partner(purpose=purpose, attributes=["identity.given_names"])
    from civic.exchange.errors import NotGranted

    with pytest.raises(NotGranted):
        services.subscription_create(
            purpose=purpose,
            register="persons",
            event_types=[MOVED],
            api_client=client,
            url="https://partner.example/hook",
        )
    move(a_registered_resident())
    assert not Delivery.objects.exists()


def test_a_subscriber_that_is_down_gets_every_event_once_in_order_after_it_restarts(
    subscriber, monkeypatch
):
    endpoint, _ = subscriber
    endpoint.stop()
    number = a_registered_resident()
    first, second = move(number, days_from_now=1), move(number, days_from_now=40)
    assert deliveries_dispatch() == 0
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
    endpoint.start()  # the subscriber comes back on the same port
    assert deliveries_dispatch() == 0  # not yet: the retry is scheduled in 10 seconds
    later(monkeypatch, 11)
    assert deliveries_dispatch() == 2
    assert [e["id"] for e in endpoint.received] == [first.id, second.id]
    later(monkeypatch, 3600)
    assert deliveries_dispatch() == 0
    assert len(endpoint.received) == 2


def test_after_the_last_retry_a_delivery_is_dead_lettered_with_its_error(
    subscriber, monkeypatch, settings
):
    endpoint, _ = subscriber
    endpoint.stop()
    settings.WEBHOOK_RETRY_SCHEDULE = ["1", "1"]
    move(a_registered_resident())
    for step in range(3):
        later(monkeypatch, 2 * (step + 1))
        deliveries_dispatch()
    delivery = Delivery.objects.get()
    assert (
        delivery.status == "dead"
        and delivery.attempts == 3
        and "refused" in delivery.last_error.lower()
    )


def test_a_cancelled_subscription_receives_nothing_new(subscriber):
    _endpoint, subscription = subscriber
    services.subscription_cancel(subscription=subscription)
    move(a_registered_resident())
    assert not Delivery.objects.exists()


received_by_handler: list = []


def handler_for_tests(event) -> None:
    received_by_handler.append(event)


def test_an_in_process_handler_receives_events_under_a_jobs_grant(db):
    from civic.identity.selectors import agency_get

    purpose = create_purpose()
    havenstad = agency_get(code="havenstad")
    services.grant_create(
        purpose=purpose,
        register="persons",
        attributes=MOVE_FIELDS,
        job="proactive",
        agency=havenstad,
    )
    services.subscription_create(
        purpose=purpose,
        register="persons",
        event_types=[MOVED],
        job="proactive",
        agency=havenstad,
        handler="tests.exchange.test_events.handler_for_tests",
    )
    received_by_handler.clear()
    event = move(a_registered_resident())
    deliveries_dispatch()
    assert [e.id for e in received_by_handler] == [event.id]


SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.mark.parametrize("tamper", ["body", "signature", "secret", "old", "replay"])
def test_the_verifying_helper_refuses_tampered_or_replayed_deliveries(tamper):
    body = b'{"id":"1"}'
    headers = webhook_headers(SECRET, "msg_1", body, timestamp=1_800_000_000)
    seen: set[str] = set()
    now = 1_800_000_010
    assert webhook_verify(SECRET, headers, body, seen=seen, now=now) == "msg_1"
    seen_before = set() if tamper != "replay" else seen
    if tamper == "body":
        body = b'{"id":"2"}'
    elif tamper == "signature":
        headers["webhook-signature"] = "v1," + "A" * 44
    elif tamper == "secret":
        headers = webhook_headers("whsec_" + "B" * 32, "msg_1", body, timestamp=1_800_000_000)
    elif tamper == "old":
        now += 3600
    with pytest.raises(WebhookRefused):
        webhook_verify(SECRET, headers, body, seen=seen_before, now=now)
