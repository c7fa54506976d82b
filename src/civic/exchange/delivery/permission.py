"""May this subscription receive this event? Asked when an event is recorded for a subscriber,
and again under a delivery's claim just before it is sent: a client revoked, a grant ended or
narrowed, or a subscription cancelled since the event was recorded stops the delivery."""

from __future__ import annotations

from civic.exchange.actors import Actor
from civic.exchange.authorisation import grants_active
from civic.exchange.models import Subscription
from civic.registers.changes import EVENT_FIELDS


def subscription_actor(subscription: Subscription) -> Actor:
    """Who receives: the webhook's API client, or the job an in-process handler runs as."""
    if subscription.kind == Subscription.Kind.WEBHOOK:
        return Actor.api_client(subscription.api_client)
    return Actor.job(subscription.job, agency=subscription.agency.code)


def subscription_covers(subscription: Subscription, actor: Actor, fields: list[str]) -> bool:
    """The actor's active grants for the subscription's purpose and register allow every field."""
    granted: set[str] = set()
    for attributes in grants_active(
        actor=actor, purpose=subscription.purpose, register=subscription.register
    ).values_list("attributes", flat=True):
        granted.update(attributes)
    return set(fields) <= granted


def delivery_refusal(
    subscription: Subscription, event_type: str, data: dict | None = None
) -> str | None:
    """Why a delivery of ``event_type`` (with ``data``) to ``subscription`` may not go now, or
    None. The reason is for the operator (kept on the withdrawn delivery), in plain words."""
    if subscription.cancelled_at is not None:
        return subscription.cancelled_reason or "the subscription was cancelled"
    client = subscription.api_client
    if subscription.kind == Subscription.Kind.WEBHOOK and client.revoked_at is not None:
        return f"API client {client.client_id} was revoked"
    if event_type not in EVENT_FIELDS:
        # A case event: the client's access to the case type, kept in the subscription.
        case_type = (data or {}).get("case_type")
        if case_type not in subscription.case_types:
            return f"the subscription no longer covers case type {case_type}"
        return None
    _register, fields = EVENT_FIELDS[event_type]
    if not subscription_covers(subscription, subscription_actor(subscription), fields):
        return (
            f"no active grant for purpose {subscription.purpose.code} covers the data of "
            f"{event_type} any more"
        )
    return None
