"""Delivering register events: webhooks (signed, retried with backoff, dead-lettered after the
last try) and in-process handlers. Deliveries about the same subject reach a subscription in
the order they were made; a subscriber that is down loses nothing, it gets them on retry.

Where it runs: in the embedded default, right after the change commits (in a thread) and every
second in each web process's background thread; in production (CIVIC_EVENT_DELIVERY=celery)
in Celery workers on RabbitMQ.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import urllib.error
import urllib.request
from importlib import import_module

from django.conf import settings
from django.db import close_old_connections, transaction

from civic.core import clock
from civic.core.events import Event
from civic.exchange.models import Delivery, Subscription
from civic.exchange.webhooks import webhook_headers

log = logging.getLogger("civic.exchange")
LEASE = dt.timedelta(seconds=60)  # a claimed delivery is not retried by others for this long


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


def _claim(delivery_id: int) -> Delivery | None:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("subscription")
            .filter(
                pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=clock.now()
            )
            .first()
        )
        if delivery is None or _blocked(delivery):
            return None
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=clock.now() + LEASE)
        return delivery


def _send(delivery: Delivery) -> None:
    subscription = delivery.subscription
    if subscription.kind == Subscription.Kind.HANDLER:
        module, _, name = subscription.handler.rpartition(".")
        handler = getattr(import_module(module), name)
        payload = delivery.payload
        handler(
            Event(
                type=payload["type"],
                source=payload["source"],
                subject=payload["subject"],
                data=payload["data"],
                id=payload["id"],
                time=dt.datetime.fromisoformat(payload["time"]),
            )
        )
        return
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    # Subscriptions accept only http(s) URLs (services.subscription_create), so no file: here.
    request = urllib.request.Request(  # noqa: S310
        subscription.url,
        data=body,
        method="POST",
        headers=webhook_headers(subscription.secret, delivery.event_id, body),
    )
    with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(
                subscription.url, response.status, "not 2xx", response.headers, None
            )


def delivery_attempt(delivery_id: int) -> str | None:
    """Try one delivery if it is due and first in line; returns its new status, or None."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    now = clock.now()
    try:
        _send(delivery)
    except Exception as error:  # any failure of the subscriber: retry later
        schedule = _retry_schedule()
        attempts = delivery.attempts + 1
        dead = attempts > len(schedule)
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts,
            last_error=str(error)[:2000],
            status=Delivery.Status.DEAD if dead else Delivery.Status.PENDING,
            next_attempt_at=now if dead else now + dt.timedelta(seconds=schedule[attempts - 1]),
        )
        log.warning(
            "delivery %s of %s failed (attempt %s): %s",
            delivery.pk,
            delivery.event_type,
            attempts,
            error,
        )
        return Delivery.Status.DEAD if dead else Delivery.Status.PENDING
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DELIVERED,
        delivered_at=now,
        attempts=delivery.attempts + 1,
        last_error="",
    )
    return Delivery.Status.DELIVERED


def deliveries_dispatch(limit: int = 200) -> int:
    """Attempt the due deliveries, oldest first; returns how many were delivered."""
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=clock.now())
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return sum(delivery_attempt(delivery_id) == Delivery.Status.DELIVERED for delivery_id in due)


def dispatch_after_commit() -> None:
    if settings.EVENT_DELIVERY == "celery":
        from civic.exchange.tasks import deliveries_dispatch_task

        deliveries_dispatch_task.delay()
    elif settings.EVENT_DELIVERY == "thread":
        threading.Thread(
            target=_dispatch_in_thread, name="civic-event-delivery", daemon=True
        ).start()


def _dispatch_in_thread() -> None:
    try:
        deliveries_dispatch()
    finally:
        close_old_connections()
