"""Delivering register events: webhooks (signed, retried with backoff, dead-lettered after the
last try, withdrawn when the subscriber may no longer receive them) and in-process handlers.
Deliveries about the same subject reach a subscription in the order they were made; a
subscriber that is down loses nothing, it gets them on retry.

Where it runs: in the embedded default, right after the change commits (in a thread) and every
second in each web process's background thread; in production (CIVIC_EVENT_DELIVERY=celery)
in Celery workers on RabbitMQ, sent a task after each change and swept by Celery beat.

- ``attempt``: claiming, sending and recording one delivery; the sweep over the due ones;
- ``permission``: whether a subscription may still receive an event.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import close_old_connections

from civic.exchange.delivery.attempt import (
    deliveries_dispatch,
    deliveries_sweep,
    delivery_attempt,
)


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


__all__ = ["deliveries_dispatch", "deliveries_sweep", "delivery_attempt", "dispatch_after_commit"]
