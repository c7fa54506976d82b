"""Backlog mode: every file under a folder received and read, across worker processes.

The parent receives each file (stores it once, by its hash) before any worker reads it, so a
crash loses nothing; a worker reads a document only while it is still ``received`` and
commits its pages and status together, so a rerun after a crash reads each document once.
Files with the same bytes are the same document: read once, reported under every name.
In production the same reading runs as Celery tasks (a later step of issue 17).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django import db

from civic.documents.models import Channel, Status
from civic.documents.selectors import document_get, document_report
from civic.documents.services import document_read, document_receive


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
        document_read(document=document_get(document_id=document_id))
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
        if document.status == Status.RECEIVED:
            to_read.append(document.pk)

    def done(document_id: int, error: str | None) -> None:
        if error:
            errors[document_id] = error
        if progress:
            progress(len(names[document_id]))

    for document_id in names:
        if document_id not in to_read and progress:
            progress(len(names[document_id]))
    if workers > 1 and len(to_read) > 1:
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


def report_write(rows: list[dict], path: Path) -> None:
    """The report as one JSON array, written to a temporary file and renamed into place."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(path)
