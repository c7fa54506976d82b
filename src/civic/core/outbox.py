"""The start of the after-commit handlers: a publisher's transaction writes one pending run per
handler (``core.models.EventHandling``), and once it commits each run is started, in-process in
the embedded default or as a Celery task in production (``core.tasks``), which runs it with
``core.handlings``.

It sits above the bus (``core.events``, which holds the registry and ``publish``) and above the
tasks, and fills the bus's recorder when Django starts (``CoreConfig.ready``): the bus, which
every app imports, so imports nothing that imports it back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from civic.core import clock, events
from civic.core.handlings import handling_run
from civic.core.models import EventHandling
from civic.core.tasks import event_handling_task


def handlings_record(event: events.Event, handlers: list[str]) -> list[int]:
    """Write one pending run per handler (in the caller's transaction) and start them once
    it commits."""
    now = clock.now()
    payload = event.as_cloudevent()
    rows = [
        EventHandling.objects.get_or_create(
            event_id=event.id,
            handler=name,
            defaults={
                "event_type": event.type,
                "payload": payload,
                "next_attempt_at": now,
                "created_at": now,
            },
        )[0]
        for name in handlers
    ]
    ids = [row.pk for row in rows]
    # Robust: a broker that is down must not fail a change that already committed; the runs
    # stay pending and the sweep starts them.
    transaction.on_commit(lambda: handlings_start(ids), robust=True)
    return ids


def handlings_start(ids: list[int]) -> None:
    if settings.EVENT_DELIVERY == "celery":
        for handling_id in ids:
            event_handling_task.delay(handling_id)
        return
    for handling_id in ids:
        handling_run(handling_id)
