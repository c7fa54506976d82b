"""Register events to subscribers: each event becomes one delivery per subscription whose
grantee holds a grant covering the event's data, recorded (with its access-log entry) in the
same transaction as the register change; the delivery itself happens after the commit."""

from __future__ import annotations

from django.db import transaction

from civic.core import clock
from civic.core.events import Event, subscribe
from civic.exchange.actors import Actor
from civic.exchange.authorisation import grants_active
from civic.exchange.linked import linked_entries_write, persons_named_in_event
from civic.exchange.models import AccessLogEntry, Delivery, Subscription
from civic.exchange.pseudonyms import pseudonym
from civic.exchange.query import log_entries_write
from civic.registers.changes import EVENT_FIELDS


def _actor(subscription: Subscription) -> Actor:
    if subscription.kind == Subscription.Kind.WEBHOOK:
        return Actor.api_client(subscription.api_client)
    return Actor.job(subscription.job, agency=subscription.agency.code)


def _covered(subscription: Subscription, actor: Actor, fields: list[str]) -> bool:
    granted: set[str] = set()
    for attributes in grants_active(
        actor=actor, purpose=subscription.purpose, register=subscription.register
    ).values_list("attributes", flat=True):
        granted.update(attributes)
    return set(fields) <= granted


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
        actor = _actor(subscription)
        if not _covered(subscription, actor, fields):
            continue
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
        from civic.exchange.delivery import dispatch_after_commit

        transaction.on_commit(dispatch_after_commit)


def subscriptions_connect() -> None:
    for event_type in EVENT_FIELDS:
        subscribe(event_type, register_event_received)


__all__ = ["register_event_received", "subscriptions_connect"]
