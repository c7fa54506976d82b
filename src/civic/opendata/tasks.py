"""Celery tasks of the open-data app: the nightly regeneration (CELERY_BEAT_SCHEDULE). Each
only calls services."""

from __future__ import annotations

from celery import shared_task

from civic.opendata.services import datasets_regenerate


@shared_task(name="civic.opendata.datasets_regenerate")
def datasets_regenerate_task() -> dict[str, str]:
    return datasets_regenerate()
