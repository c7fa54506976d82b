"""Background work of the core, for Celery workers (production): after-commit event handlers."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from civic.core.handlings import handling_run, handlings_sweep

log = logging.getLogger("civic.events")


@shared_task(name="civic.core.event_handling")
def event_handling_task(handling_id: int) -> str:
    """Sent after the commit of each change that published an event with handlers."""
    return handling_run(handling_id)


@shared_task(name="civic.core.event_handlings_sweep")
def event_handlings_sweep_task() -> dict[str, int]:
    """Run by Celery beat: handlers whose retry is due, or whose task never reached a worker."""
    if settings.EVENT_DELIVERY != "celery":
        return {}
    outcomes = handlings_sweep()
    if outcomes:
        log.info("event handlers swept: %s", dict(outcomes))
    return dict(outcomes)
