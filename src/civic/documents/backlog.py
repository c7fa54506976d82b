"""Backlog mode: every file under a folder received, read and routed, across worker processes
or on the Celery workers.

The parent receives each file (stores it once, by its hash) before any worker reads it, so a
crash loses nothing; a worker reads a document only while it is still ``received`` and
commits its pages and status together, then routes it once, so a rerun after a crash reads
and routes each document once. Files with the same bytes are the same document: read once,
reported under every name. With ``CIVIC_DOCUMENTS_PROCESSING=celery`` each document is one
task on the workers (the same pipeline), and the command waits for them in the database.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django import db
from django.conf import settings

from civic.documents.models import Channel, Status
from civic.documents.pipeline import document_process
from civic.documents.selectors import document_get, document_report, documents_finished
from civic.documents.services import document_receive
from civic.documents.tasks import document_process_task

#: How long the command waits for the workers with no document finishing before it stops
#: waiting (the documents left are reported with an error; a rerun reports them once done).
WORKERS_QUIET_SECONDS = 600


@dataclass
class BacklogRun:
    rows: list[dict] = field(default_factory=list)
    read: int = 0  # documents read in this run
    skipped: int = 0  # files whose document was read (or refused) before
    failed: int = 0  # files that broke something other than a refusal; retried by a rerun


def folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _worker_start() -> None:
    # Each process opens its own database connection; tesseract uses one thread per process
    # so that N workers use N cores, not N times tesseract's threads.
    db.connections.close_all()
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _read(document_id: int) -> tuple[int, str | None]:
    try:
        document_process(document_id=document_id)
    except Exception as error:  # a fault, not a refusal: the batch goes on, a rerun retries
        return document_id, f"{type(error).__name__}: {error}"
    return document_id, None


def backlog_process(
    folder: Path,
    *,
    workers: int = 1,
    progress: Callable[[int], object] | None = None,
) -> BacklogRun:
    run = BacklogRun()
    files = folder_files(folder)
    names: dict[int, list[str]] = {}
    errors: dict[int, str] = {}
    to_read: list[int] = []
    for path in files:
        relative = str(path.relative_to(folder))
        try:
            document, _ = document_receive(
                data=path.read_bytes(), original_name=path.name, channel=Channel.BACKLOG
            )
        except OSError as error:
            run.failed += 1
            run.rows.append({"file": relative, "refused": None, "error": str(error)})
            if progress:
                progress(1)
            continue
        if document.pk in names:
            names[document.pk].append(relative)
            continue
        names[document.pk] = [relative]
        if document.status == Status.RECEIVED or (
            document.status == Status.PROCESSED and document.routed_at is None
        ):
            to_read.append(document.pk)

    def done(document_id: int, error: str | None) -> None:
        if error:
            errors[document_id] = error
        if progress:
            progress(len(names[document_id]))

    for document_id in names:
        if document_id not in to_read and progress:
            progress(len(names[document_id]))
    if settings.DOCUMENTS_PROCESSING == "celery":
        _on_the_workers(to_read, done)
    elif workers > 1 and len(to_read) > 1:
        db.connections.close_all()  # no connection shared across fork
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_worker_start) as pool:
            for document_id, error in pool.imap_unordered(_read, to_read):
                done(document_id, error)
    else:
        for document_id in to_read:
            done(*_read(document_id))

    read_now = set(to_read)
    for document_id, relatives in names.items():
        document = document_get(document_id=document_id)
        for relative in relatives:
            row = document_report(document=document, file=relative)
            if document_id in errors:
                row["error"] = errors[document_id]
            run.rows.append(row)
        if document_id in errors:
            run.failed += len(relatives)
        elif document_id in read_now:
            run.read += 1
            run.skipped += len(relatives) - 1
        else:
            run.skipped += len(relatives)
    run.rows.sort(key=lambda row: row["file"])
    return run


def _on_the_workers(
    to_read: list[int], done: Callable[[int, str | None], None], *, quiet: float = 0
) -> None:
    """One Celery task per document; wait until each is read and routed, or refused."""
    quiet = quiet or WORKERS_QUIET_SECONDS
    for document_id in to_read:
        document_process_task.delay(document_id)
    waiting, last_news = set(to_read), time.monotonic()
    while waiting:
        finished = documents_finished(document_ids=sorted(waiting))
        for document_id in finished:
            done(document_id, None)
        waiting -= finished
        if finished:
            last_news = time.monotonic()
        elif time.monotonic() - last_news > quiet:
            for document_id in sorted(waiting):
                done(document_id, f"not finished by the workers within {quiet:.0f} s")
            return
        else:
            time.sleep(0.5)


def report_write(rows: list[dict], path: Path) -> None:
    """The report as one JSON array, written to a temporary file and renamed into place."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(path)
