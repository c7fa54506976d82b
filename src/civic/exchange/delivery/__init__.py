"""Delivering register events: webhooks (signed, retried with backoff, dead-lettered after the
last try, withdrawn when the subscriber may no longer receive them) and in-process handlers.
Deliveries about the same subject reach a subscription in the order they were made; a
subscriber that is down loses nothing, it gets them on retry.

Where it runs: in the embedded default, right after the change commits (in a thread) and every
second in each web process's background thread; in production (CIVIC_EVENT_DELIVERY=celery)
in Celery workers on RabbitMQ, sent a task after each change and swept by Celery beat.

- ``attempt``: claiming, sending and recording one delivery; the sweep over the due ones;
- ``permission``: whether a subscription may still receive an event.

What starts a dispatch after a change commits (a Celery task or a thread) is
``exchange.dispatch``, above this package and the Celery tasks that call it.
"""

from __future__ import annotations

from civic.exchange.delivery.attempt import (
    deliveries_dispatch,
    deliveries_sweep,
    delivery_attempt,
)

__all__ = ["deliveries_dispatch", "deliveries_sweep", "delivery_attempt"]
