"""Sending the deliveries a change made, once it commits: a Celery task in production
(CIVIC_EVENT_DELIVERY=celery), a thread in the embedded default, or nothing until the periodic
dispatch picks them up. Used by the register events and the case events (exchange.events,
exchange.event_subscriptions); sits above the Celery tasks and the delivery package."""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import close_old_connections

from civic.exchange.delivery import deliveries_dispatch
from civic.exchange.tasks import deliveries_dispatch_task


def dispatch_after_commit() -> None:
    if settings.EVENT_DELIVERY == "celery":
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
