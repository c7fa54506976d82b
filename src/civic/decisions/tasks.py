"""Celery tasks of the decisions app: a proactive run's chunks across workers, and the
nightly run (CELERY_BEAT_SCHEDULE). Each only calls services."""

from __future__ import annotations

from celery import shared_task

from civic.decisions.models import ProactiveChunk, ProactiveRun, ReformChunk
from civic.decisions.proactive import chunk_evaluate, chunks_pending, run_finish, run_start
from civic.decisions.reform_runs import chunk_evaluate as reform_chunk_evaluate
from civic.decisions.reform_runs import run_finish as reform_run_finish


@shared_task(name="civic.decisions.proactive_chunk_evaluate", acks_late=True)
def chunk_evaluate_task(chunk_id: int) -> int:
    made = chunk_evaluate(chunk_id=chunk_id)
    # The last chunk done announces the run's offers and closes it: the nightly run has no
    # process waiting for its chunks to do that.
    run_finish(ProactiveChunk.objects.select_related("run").get(pk=chunk_id).run)
    return made


@shared_task(name="civic.decisions.proactive_run_nightly")
def proactive_run_nightly() -> int:
    """Start (or resume) the population run; its chunks go to the workers as tasks."""
    run = run_start(trigger=ProactiveRun.Trigger.NIGHTLY)
    pending = chunks_pending(run)
    for chunk_id in pending:
        chunk_evaluate_task.delay(chunk_id)
    return len(pending)


@shared_task(name="civic.decisions.reform_chunk_evaluate", acks_late=True)
def reform_chunk_task(chunk_id: int) -> None:
    """One chunk of a reform run (decisions.reform_runs)."""
    reform_chunk_evaluate(chunk_id=chunk_id)
    chunk = ReformChunk.objects.select_related("run").get(pk=chunk_id)
    reform_run_finish(chunk.run)  # the last chunk done combines the figures
