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
    Celery task per chunk, then close it (announcing its offers). ``progress(done, total)``
    follows along. Whatever stops it (an error, a stalled queue, Ctrl-C) is written on the run
    before it is raised."""
    try:
        _chunks_run(run, progress)
        return run_finish(run)
    except BaseException as error:
        run_stop(run, error=error)
        raise


def chunks_wait(
    pending_of: Callable[[], list[int]],
    total: int,
    progress: Callable[[int, int], None] | None,
    stalled: Callable[[int], Exception],
) -> None:
    """Wait while Celery workers compute a run's chunks (proactive runs and reforms alike),
    following ``progress``; raise ``stalled(left)`` when no chunk finishes for
    CIVIC_PROACTIVE_STALL_SECONDS."""
    pending = pending_of()
    last_change, waiting = time.monotonic(), len(pending)
    while pending:
        time.sleep(1)
        pending = pending_of()
        if progress:
            progress(total - len(pending), total)
        if len(pending) < waiting:
            last_change, waiting = time.monotonic(), len(pending)
        elif time.monotonic() - last_change > settings.PROACTIVE_STALL_SECONDS:
            raise stalled(len(pending))


def _chunks_run(run: ProactiveRun, progress: Callable[[int, int], None] | None) -> None:
    total = run.chunks.count()
    pending = chunks_pending(run)
    if settings.PROACTIVE_RUNNER == "celery":
        for chunk_id in pending:
            chunk_evaluate_task.delay(chunk_id)

        def stalled(left: int) -> Exception:
            return RunStalled(
                f"no Celery worker finished a chunk of run {run.pk} in "
                f"{settings.PROACTIVE_STALL_SECONDS} s ({left} of {total} left); is "
                f"a worker consuming queue {settings.INSTANCE!r}? The run "
                "resumes where it stopped with `civic proactive run`."
            )

        chunks_wait(lambda: chunks_pending(run), total, progress, stalled)
    else:
        for i, chunk_id in enumerate(pending, start=total - len(pending) + 1):
            chunk_evaluate(chunk_id=chunk_id)
            if progress:
                progress(i, total)
