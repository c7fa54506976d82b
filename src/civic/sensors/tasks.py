"""Celery tasks of the sensors app: the nightly retention (CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

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
