"""Celery tasks of retention and key rotation (imported by compliance.tasks, where Celery
finds them). A task only calls services."""

from __future__ import annotations

from celery import shared_task

from civic.compliance.retention import services

#: Chunks one rotation task seals before it sends the next: workers stay free for other work.
ROTATION_CHUNKS_PER_TASK = 20


@shared_task(name="civic.compliance.retention_run")
def retention_run_task(dry_run: bool = False) -> int:
    return services.retention_run(dry_run=dry_run, triggered_by="schedule").pk


@shared_task(name="civic.compliance.key_rotation")
def key_rotation_task(rotation_id: int) -> str:
    rotation = services.key_rotation_continue(
        rotation_id=rotation_id, max_chunks=ROTATION_CHUNKS_PER_TASK
    )
    if rotation.status == "running":
        key_rotation_task.delay(rotation_id)
    return rotation.status
