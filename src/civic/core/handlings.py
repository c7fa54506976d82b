"""The outbox of after-commit event handlers (core.events): recording a handler's run in the
publisher's transaction, starting it once that commits, running it in a transaction of its own,
and retrying it after a failure.

Where handlers run: in the embedded default right after the commit, in the same process (the
outcome of an automated decision is there when the resident's next page loads); with
CIVIC_EVENT_DELIVERY=celery in a Celery worker, one task per handler run. Failed runs are
retried by ``handlings_sweep``: the web process's background thread (embedded), Celery beat
(production) or ``civic events deliver``.

A run holds its row's lock while the handler works, and marks the row done in the handler's
own transaction: what the handler wrote and "done" commit together, so a run that dies half
way leaves nothing behind and is tried again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.db import transaction

from civic.core import clock, events
from civic.core.models import EventHandling

log = logging.getLogger("civic.events")
SKIPPED = "skipped"


def _retry_at(attempts: int, now: dt.datetime) -> dt.datetime | None:
    if attempts > len(events.RETRY_SCHEDULE):
        return None
    return now + dt.timedelta(seconds=events.RETRY_SCHEDULE[attempts - 1])


def handling_run(handling_id: int) -> str:
    """Run one pending handler if it is due; returns done, pending (failed, to be retried),
    dead (failed for the last time) or SKIPPED (not due, done, or being run elsewhere)."""
    with transaction.atomic():
        row = (
            EventHandling.objects.select_for_update(skip_locked=True)
            .filter(
                pk=handling_id,
                status=EventHandling.Status.PENDING,
                next_attempt_at__lte=clock.now(),
            )
            .first()
        )
        if row is None:
            return SKIPPED
        attempts = row.attempts + 1
        try:
            with transaction.atomic():
                events.handler_run(row.handler, events.Event.from_cloudevent(row.payload))
        except Exception as error:  # any failure of the handler: logged, retried later
            now = clock.now()
            retry_at = _retry_at(attempts, now)
            status = EventHandling.Status.PENDING if retry_at else EventHandling.Status.DEAD
            EventHandling.objects.filter(pk=row.pk).update(
                status=status,
                attempts=attempts,
                last_error=f"{type(error).__name__}: {error}"[:2000],
                next_attempt_at=retry_at or now,
            )
            log.exception(
                "event handler %s failed on %s %s (attempt %s; %s)",
                row.handler,
                row.event_type,
                row.event_id,
                attempts,
                f"retried at {retry_at.isoformat()}" if retry_at else "no retries left",
            )
            return status
        EventHandling.objects.filter(pk=row.pk).update(
            status=EventHandling.Status.DONE, attempts=attempts, done_at=clock.now(), last_error=""
        )
        return EventHandling.Status.DONE


def handlings_sweep(limit: int = 200) -> Counter:
    """Run the due handlers, oldest first: retries, and runs whose start never came (the
    process stopped after the commit, the broker was down)."""
    due = list(
        EventHandling.objects.filter(
            status=EventHandling.Status.PENDING, next_attempt_at__lte=clock.now()
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    return Counter(handling_run(handling_id) for handling_id in due)
