"""Running a proactive run to its end: its pending chunks here, one after the other, or
(CIVIC_PROACTIVE_RUNNER=celery) as one Celery task per chunk, watched until they are done.

Above decisions.proactive (what a run and a chunk are) and the Celery tasks that evaluate a
chunk; used by `civic proactive run`, `civic demo` and the benchmarks.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings

from civic.decisions.models import ProactiveRun
from civic.decisions.proactive import (
    RunStalled,
    chunk_evaluate,
    chunks_pending,
    run_finish,
    run_stop,
)
from civic.decisions.tasks import chunk_evaluate_task


def run_execute(
    run: ProactiveRun, *, progress: Callable[[int, int], None] | None = None
) -> ProactiveRun:
    """Evaluate the run's pending chunks, here or (CIVIC_PROACTIVE_RUNNER=celery) as one
    Celery task per chunk, then close it. ``progress(done, total)`` follows along. Whatever
    stops it (an error, a stalled queue, Ctrl-C) is written on the run before it is raised."""
    try:
        _chunks_run(run, progress)
    except BaseException as error:
        run_stop(run, error=error)
        raise
    return run_finish(run)


def _chunks_run(run: ProactiveRun, progress: Callable[[int, int], None] | None) -> None:
    total = run.chunks.count()
    pending = chunks_pending(run)
    if settings.PROACTIVE_RUNNER == "celery":
        for chunk_id in pending:
            chunk_evaluate_task.delay(chunk_id)
        last_change, waiting = time.monotonic(), len(pending)
        while pending:
            time.sleep(1)
            pending = chunks_pending(run)
            if progress:
                progress(total - len(pending), total)
            if len(pending) < waiting:
                last_change, waiting = time.monotonic(), len(pending)
            elif time.monotonic() - last_change > settings.PROACTIVE_STALL_SECONDS:
                raise RunStalled(
                    f"no Celery worker finished a chunk of run {run.pk} in "
                    f"{settings.PROACTIVE_STALL_SECONDS} s ({len(pending)} of {total} left); is "
                    f"a worker consuming queue {settings.INSTANCE!r}? The run "
                    "resumes where it stopped with `civic proactive run`."
                )
    else:
        for i, chunk_id in enumerate(pending, start=total - len(pending) + 1):
            chunk_evaluate(chunk_id=chunk_id)
            if progress:
                progress(i, total)
