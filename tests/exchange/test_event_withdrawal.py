"""Revoking a partner's client, ending or narrowing its grant, or cancelling its subscription
stops its webhook at once: no event made afterwards reaches it, and what was already queued
or waiting for a retry is withdrawn (kept, with the reason, for the operator), never sent.
Checked with a real HTTP receiver on localhost."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from civic.core import clock
from civic.exchange import services
from civic.exchange.delivery import deliveries_dispatch
from civic.exchange.models import Delivery, Grant
from civic.identity.models import ApiClient
from civic.registers.changes import MOVED
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.test_events import MOVE_FIELDS, Subscriber, later, move


@pytest.fixture
def partner(db):
    """A partner with a grant for moves and a webhook subscription to them, its receiver up."""
    purpose = create_purpose(code="address-updates")
    client, _, _ = create_partner(purpose=purpose, attributes=MOVE_FIELDS)
    receiver = Subscriber()
    receiver.start()
    subscription = services.subscription_create(
        purpose=purpose,
        register="persons",
        event_types=[MOVED],
        api_client=client,
        url=receiver.url,
    )
    receiver.secret = subscription.secret
    yield client, receiver, subscription
    if receiver.server:
        receiver.stop()


def a_delivery_waiting_for_a_retry(receiver) -> Delivery:
    """The receiver is down when a resident moves: the delivery waits for its retry."""
    receiver.stop()
    move(a_registered_resident())
    assert deliveries_dispatch() == 0
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    return delivery


def receiver_back_and_retry_due(receiver, monkeypatch) -> None:
    receiver.start()  # on the same port
    later(monkeypatch, 11)
    deliveries_dispatch()


def test_a_revoked_client_gets_no_event_made_after_its_revocation(partner):
    client, receiver, subscription = partner
    call_command("apiclient", "revoke", client.client_id, stdout=StringIO())
    move(a_registered_resident())
    deliveries_dispatch()
    assert receiver.received == []
    subscription.refresh_from_db()
    assert subscription.cancelled_at is not None
    assert subscription.cancelled_reason == f"API client {client.client_id} was revoked"


def test_a_delivery_waiting_for_a_retry_is_withdrawn_when_the_client_is_revoked(
    partner, monkeypatch
):
    client, receiver, _ = partner
    delivery = a_delivery_waiting_for_a_retry(receiver)
    call_command("apiclient", "revoke", client.client_id, stdout=StringIO())
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn"  # at once, before any worker looks at it
    assert delivery.withdrawn_reason == f"API client {client.client_id} was revoked"
    receiver_back_and_retry_due(receiver, monkeypatch)
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn" and delivery.delivered_at is None


def test_ending_the_grant_withdraws_the_delivery_waiting_for_a_retry(partner, monkeypatch):
    client, receiver, _ = partner
    delivery = a_delivery_waiting_for_a_retry(receiver)
    services.grant_revoke(grant=Grant.objects.get(api_client=client))
    receiver_back_and_retry_due(receiver, monkeypatch)
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn"
    assert "no active grant for purpose address-updates covers" in delivery.withdrawn_reason


def test_narrowing_the_grant_below_the_events_data_withdraws_it_but_keeps_what_it_covers(
    partner, monkeypatch
):
    client, receiver, subscription = partner
    delivery = a_delivery_waiting_for_a_retry(receiver)
    services.grant_set(
        purpose=subscription.purpose,
        register="persons",
        attributes=["residence.address"],  # no longer residence.valid_from, which a move carries
        api_client=client,
    )
    receiver_back_and_retry_due(receiver, monkeypatch)
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn"


def test_a_grant_set_again_unchanged_withdraws_nothing(partner, monkeypatch):
    client, receiver, subscription = partner
    a_delivery_waiting_for_a_retry(receiver)
    services.grant_set(
        purpose=subscription.purpose, register="persons", attributes=MOVE_FIELDS, api_client=client
    )
    services.grant_set(  # widened: the old grant is replaced, the delivery still covered
        purpose=subscription.purpose,
        register="persons",
        attributes=[*MOVE_FIELDS, "identity.birth_date"],
        api_client=client,
    )
    receiver_back_and_retry_due(receiver, monkeypatch)
    assert len(receiver.received) == 1
    assert Delivery.objects.get().status == "delivered"


def test_a_grant_that_expires_while_a_delivery_waits_stops_it_at_send_time(partner, monkeypatch):
    """No service call ends this grant, time does: the check under the delivery's claim does."""
    client, receiver, _ = partner
    Grant.objects.filter(api_client=client).update(
        valid_until=clock.now() + dt.timedelta(seconds=5)
    )
    delivery = a_delivery_waiting_for_a_retry(receiver)
    receiver_back_and_retry_due(receiver, monkeypatch)
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn" and "no active grant" in delivery.withdrawn_reason


def test_a_client_revoked_behind_the_services_back_is_stopped_at_send_time(partner, monkeypatch):
    client, receiver, _ = partner
    delivery = a_delivery_waiting_for_a_retry(receiver)
    ApiClient.objects.filter(pk=client.pk).update(revoked_at=clock.now())  # e.g. SQL by hand
    receiver_back_and_retry_due(receiver, monkeypatch)
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn"
    assert delivery.withdrawn_reason == f"API client {client.client_id} was revoked"


def test_a_cancelled_subscriptions_waiting_delivery_is_withdrawn(partner, monkeypatch):
    _client, receiver, subscription = partner
    delivery = a_delivery_waiting_for_a_retry(receiver)
    services.subscription_cancel(subscription=subscription)
    receiver_back_and_retry_due(receiver, monkeypatch)
    assert receiver.received == []
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn"
    assert delivery.withdrawn_reason == "the subscription was cancelled"


def test_another_clients_deliveries_are_untouched_by_a_revocation(partner):
    _client, receiver, subscription = partner
    other, _, _ = create_partner(purpose=subscription.purpose, attributes=MOVE_FIELDS)
    call_command("apiclient", "revoke", other.client_id, stdout=StringIO())
    event = move(a_registered_resident())
    assert deliveries_dispatch() == 1
    assert [e["id"] for e in receiver.received] == [event.id]


def test_a_grant_ended_in_the_back_office_withdraws_the_waiting_delivery(
    partner, monkeypatch, admin_client
):
    client, receiver, _ = partner
    delivery = a_delivery_waiting_for_a_retry(receiver)
    grant = Grant.objects.get(api_client=client)
    url = f"/admin/exchange/grant/{grant.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in (
            (name, form[name].value()) for name in form.fields if name != "revoked_at"
        )
        if value is not None
    }
    now = clock.now()
    data.update(
        {
            "attributes": '["residence.address", "residence.valid_from"]',
            "valid_from_0": grant.valid_from.date().isoformat(),
            "valid_from_1": grant.valid_from.strftime("%H:%M:%S"),
            "revoked_at_0": now.date().isoformat(),
            "revoked_at_1": now.strftime("%H:%M:%S"),
        }
    )
    data.pop("valid_from", None)
    saved = admin_client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    delivery.refresh_from_db()
    assert delivery.status == "withdrawn"  # at once, not only when a worker looks
    receiver_back_and_retry_due(receiver, monkeypatch)
    assert receiver.received == []
