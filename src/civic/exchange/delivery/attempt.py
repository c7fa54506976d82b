"""Attempting deliveries: claim one, check that it may still go, send it, record the outcome.

A delivery is claimed under a row lock by writing a token of the attempt in ``claim`` and
moving ``next_attempt_at`` past the lease; the permission check (permission.py) runs in that
same transaction, so a delivery whose client was revoked or whose grant ended is withdrawn,
never sent. Only the attempt that holds the claim records the outcome: one whose worker died
leaves the delivery pending, and the next sweep after the lease tries it again (the receiver
may then get it twice, with the same webhook-id, and drops the second).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from collections import Counter
from importlib import import_module

from django.conf import settings
from django.db import transaction

from civic.core import clock
from civic.core.events import Event
from civic.exchange.delivery.permission import delivery_refusal
from civic.exchange.delivery.post import webhook_post
from civic.exchange.models import Delivery, Subscription
from civic.exchange.webhooks import webhook_headers

log = logging.getLogger("civic.exchange")
#: Outcomes of one attempt, besides the statuses: not due, or waiting behind an earlier one.
SKIPPED = "skipped"


def lease() -> dt.timedelta:
    """How long a claimed delivery is left to its attempt before others may try it: past the
    longest one attempt takes (connecting, sending and the answer, each within the timeout)."""
    return dt.timedelta(seconds=3 * settings.WEBHOOK_TIMEOUT_SECONDS + 5)


def _retry_schedule() -> list[int]:
    return [int(s) for s in settings.WEBHOOK_RETRY_SCHEDULE]


def _blocked(delivery: Delivery) -> bool:
    """An earlier delivery about the same subject to the same subscription is still pending."""
    return Delivery.objects.filter(
        subscription_id=delivery.subscription_id,
        subject=delivery.subject,
        status=Delivery.Status.PENDING,
        id__lt=delivery.id,
    ).exists()


def _claim(delivery_id: int) -> tuple[Delivery | None, str]:
    """Claim a due delivery that is first in line; withdraw it instead if it may no longer go.
    Returns the claimed delivery (its ``claim`` set) or None, and the outcome so far."""
    with transaction.atomic():
        delivery = (
            # Only the delivery's row is locked (PostgreSQL locks no nullable side of a join).
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "subscription__purpose", "subscription__api_client__agency", "subscription__agency"
            )
            .filter(
                pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=clock.now()
            )
            .first()
        )
        if delivery is None or _blocked(delivery):
            return None, SKIPPED
        refusal = delivery_refusal(
            delivery.subscription, delivery.event_type, delivery.payload.get("data")
        )
        if refusal is not None:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.WITHDRAWN, withdrawn_reason=refusal[:200], claim=""
            )
            log.warning(
                "delivery %s of %s withdrawn: %s", delivery.pk, delivery.event_type, refusal
            )
            return None, Delivery.Status.WITHDRAWN
        delivery.claim = secrets.token_hex(16)
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=clock.now() + lease(), claim=delivery.claim
        )
        return delivery, Delivery.Status.PENDING


def _handler_run(delivery: Delivery) -> None:
    module, _, name = delivery.subscription.handler.rpartition(".")
    handler = getattr(import_module(module), name)
    handler(Event.from_cloudevent(delivery.payload))


def _send(delivery: Delivery) -> None:
    subscription = delivery.subscription
    if subscription.kind == Subscription.Kind.HANDLER:
        _handler_run(delivery)
        return
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    # The event's id is the webhook-id of every attempt: a receiver that got an attempt whose
    # answer was lost drops the re-send (webhooks.webhook_verify with `seen`).
    webhook_post(
        subscription.url, body, webhook_headers(subscription.secret, delivery.event_id, body)
    )


def _record(delivery: Delivery, **outcome) -> bool:
    """Record the outcome if this attempt still holds the claim; False if it lost it (the
    delivery was withdrawn meanwhile, or its lease ran out and another attempt took it)."""
    held = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING, claim=delivery.claim
    ).update(claim="", **outcome)
    if not held:
        log.warning(
            "delivery %s of %s: the attempt lost its claim before it ended (withdrawn, or "
            "its lease ran out); the subscriber may have it",
            delivery.pk,
            delivery.event_type,
        )
    return bool(held)


def delivery_attempt(delivery_id: int) -> str:
    """Try one delivery if it is due and first in line; returns what happened: a status
    (delivered, pending for a retry, dead, withdrawn) or SKIPPED."""
    delivery, outcome = _claim(delivery_id)
    if delivery is None:
        return outcome
    try:
        _send(delivery)
    except Exception as error:  # any failure of the subscriber: retry later
        now = clock.now()
        schedule = _retry_schedule()
        attempts = delivery.attempts + 1
        dead = attempts > len(schedule)
        status = Delivery.Status.DEAD if dead else Delivery.Status.PENDING
        _record(
            delivery,
            attempts=attempts,
            last_error=str(error)[:2000],
            status=status,
            next_attempt_at=now if dead else now + dt.timedelta(seconds=schedule[attempts - 1]),
        )
        log.warning(
            "delivery %s of %s failed (attempt %s): %s",
            delivery.pk,
            delivery.event_type,
            attempts,
            error,
        )
        return status
    _record(
        delivery,
        status=Delivery.Status.DELIVERED,
        delivered_at=clock.now(),
        attempts=delivery.attempts + 1,
        last_error="",
    )
    log.info("delivery %s of %s delivered", delivery.pk, delivery.event_type)
    return Delivery.Status.DELIVERED


def deliveries_sweep(limit: int = 200) -> Counter:
    """Attempt the due deliveries, oldest first — new ones, retries, and those whose claim's
    lease ran out; returns how many ended how (delivered, pending, dead, withdrawn, skipped)."""
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=clock.now())
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return Counter(delivery_attempt(delivery_id) for delivery_id in due)


def sweep_summary(outcomes: Counter) -> str:
    """One line for the operator: how many were delivered, are waiting for a retry, went dead,
    were withdrawn or were left (not due, or behind an earlier one about the same subject)."""
    return ", ".join(
        f"{outcomes.get(key, 0)} {label}"
        for key, label in (
            (Delivery.Status.DELIVERED, "delivered"),
            (Delivery.Status.PENDING, "failed (to be retried)"),
            (Delivery.Status.DEAD, "dead"),
            (Delivery.Status.WITHDRAWN, "withdrawn"),
            (SKIPPED, "left for later"),
        )
    )


def deliveries_dispatch(limit: int = 200) -> int:
    """Attempt the due deliveries; returns how many were delivered."""
    return deliveries_sweep(limit)[Delivery.Status.DELIVERED]
