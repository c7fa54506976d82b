"""Celery tasks of the sensors app: the nightly retention (CELERY_BEAT_SCHEDULE) and an
issued advisory's delivery to the residents of its area."""

from __future__ import annotations

from celery import shared_task

from civic.sensors.advisories.delivery import advisory_deliver
from civic.sensors.retention import retention_run


@shared_task(name="civic.sensors.retention")
def retention_task() -> dict[str, int]:
    outcome = retention_run()
    return {
        "days": len(outcome.days),
        "aggregates": outcome.aggregates,
        "raw_deleted": outcome.raw_deleted,
        "hourly_deleted": outcome.hourly_deleted,
    }


@shared_task(name="civic.sensors.advisory_deliver", acks_late=True)
def advisory_deliver_task(advisory_id: int) -> int:
    return advisory_deliver(advisory_id=advisory_id)
