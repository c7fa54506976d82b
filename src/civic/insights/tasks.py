"""Celery tasks of insights: the daily digital-maturity index (CELERY_BEAT_SCHEDULE). Each
only calls services."""

from __future__ import annotations

from celery import shared_task

from civic.insights.services import maturity_record


@shared_task(name="civic.insights.maturity_record")
def maturity_record_task() -> float | None:
    return maturity_record().index
