"""Register events to subscribers: each event becomes one delivery per subscription whose
grantee holds a grant covering the event's data, recorded (with its access-log entry) in the
same transaction as the register change (an in-transaction handler, core.events); the delivery
itself happens after the commit. Other apps' events for API clients (the cases app's) are
recorded the same way through ``services.event_deliveries_record``.

The exchange publishes one event of its own: ACCESS_UNUSUAL (declared in ``watch``), when a
partner system walks over consecutive identifiers or its volume is unusual; compliance handles
it.
"""

from __future__ import annotations

from django.db import transaction

from civic.core import clock, events
from civic.core.events import Event
from civic.exchange.delivery.permission import delivery_refusal, subscription_actor
from civic.exchange.dispatch import dispatch_after_commit
from civic.exchange.entries import log_entries_write
from civic.exchange.linked import linked_entries_write, persons_named_in_event
from civic.exchange.models import AccessLogEntry, Delivery, Subscription
from civic.exchange.pseudonyms import pseudonym
from civic.exchange.watch import ACCESS_UNUSUAL
from civic.identity.events import API_CLIENT_REVOKED
from civic.identity.models import ApiClient
from civic.registers.changes import EVENT_FIELDS


@events.handler(*EVENT_FIELDS, in_transaction=True)
def register_event_received(event: Event) -> None:
    register, fields = EVENT_FIELDS[event.type]
    subscriptions = Subscription.objects.filter(
        register=register, cancelled_at__isnull=True
    ).select_related("purpose", "purpose__controller", "api_client__agency", "agency")
    now = clock.now()
    created = 0
    for subscription in subscriptions:
        if event.type not in subscription.event_types:
            continue
        if delivery_refusal(subscription, event.type) is not None:
            continue
        actor = subscription_actor(subscription)
        _, was_new = Delivery.objects.get_or_create(
            subscription=subscription,
            event_id=event.id,
            defaults={
                "event_type": event.type,
                "subject": pseudonym(register, event.subject),
                "payload": event.as_cloudevent(),
                "next_attempt_at": now,
                "created_at": now,
            },
        )
        if was_new:
            # Logged now, committed with the change, before the event can leave.
            log_entries_write(
                actor=actor,
                purpose=subscription.purpose,
                register=register,
                subjects=[event.subject],
                fields=fields,
                case="",
                kind=AccessLogEntry.Kind.LOOKUP,
                trace_id=event.id,
                at=now,
            )
            linked_entries_write(
                actor=actor,
                purpose=subscription.purpose,
                named=persons_named_in_event(register, event.subject, event.data),
                case="",
                trace_id=event.id,
                at=now,
            )
            created += 1
    if created:
        # Robust: a broker that is down must not fail the register change that already
        # committed; the deliveries stay pending and the periodic dispatch sends them.
        transaction.on_commit(dispatch_after_commit, robust=True)


@events.handler(API_CLIENT_REVOKED, in_transaction=True)
def api_client_revoked(event: Event) -> None:
    """A revoked client's subscriptions end, and what was on its way to it is withdrawn, in
    the revocation's own transaction."""
    from civic.exchange.services import api_client_subscriptions_end

    client = ApiClient.objects.get(client_id=event.subject)
    api_client_subscriptions_end(
        api_client=client, reason=f"API client {client.client_id} was revoked"
    )


__all__ = ["ACCESS_UNUSUAL", "api_client_revoked", "register_event_received"]
