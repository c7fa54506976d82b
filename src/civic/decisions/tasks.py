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
    run = ProactiveChunk.objects.select_related("run").get(pk=chunk_id).run
    if run.trigger == ProactiveRun.Trigger.NIGHTLY:
        # Nobody watches a nightly run (beat started it): the task of its last chunk announces
        # the offers and closes it. A run started by `civic proactive run` is closed by the
        # process watching it (proactive_runner.run_execute), not by two processes at once.
        run_finish(run)
    return made


@shared_task(name="civic.decisions.proactive_run_nightly")
def proactive_run_nightly() -> int:
    """Start (or resume) the population run; its chunks go to the workers as tasks."""
    run = run_start(trigger=ProactiveRun.Trigger.NIGHTLY)
    pending = chunks_pending(run)
    for chunk_id in pending:
        chunk_evaluate_task.delay(chunk_id)
    if not pending:  # every chunk done before, the announcing or closing cut short: finish now
        run_finish(run)
    return len(pending)


@shared_task(name="civic.decisions.reform_chunk_evaluate", acks_late=True)
def reform_chunk_task(chunk_id: int) -> None:
    """One chunk of a reform run (decisions.reform_runs)."""
    reform_chunk_evaluate(chunk_id=chunk_id)
    chunk = ReformChunk.objects.select_related("run").get(pk=chunk_id)
    reform_run_finish(chunk.run)  # the last chunk done combines the figures
