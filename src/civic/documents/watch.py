"""The watched folder: a scanner's or a mail room's drop folder, emptied as files arrive.

Each file that has stopped growing (unchanged for ``settle`` seconds, so a copy in progress is
not read half-way) is received (stored once, by its hash), moved to ``.received/`` in the same
folder, and processed like every document (in this process, or on a worker). Receiving comes
first: a crash before the move leaves the file, and the next scan receives the same bytes as
the same document. Hidden files and folders (a name starting with a dot) are left alone.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from civic.core import clock
from civic.documents.intake import document_dispatch
from civic.documents.models import Channel, Document
from civic.documents.services import document_receive

log = logging.getLogger(__name__)

DONE = ".received"


@dataclass(frozen=True)
class Arrival:
    name: str
    document: Document | None
    error: str = ""


def _waiting(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def folder_scan(folder: Path, *, settle: float = 2.0) -> list[Arrival]:
    """One look at the folder: every settled file received, moved aside and processed."""
    arrivals = []
    now = time.time()
    for path in _waiting(folder):
        relative = str(path.relative_to(folder))
        try:
            if now - path.stat().st_mtime < settle:
                continue  # still being written, or just written: the next scan takes it
            data = path.read_bytes()
        except OSError as error:
            log.warning("watched folder: %s cannot be read: %s", relative, error)
            arrivals.append(Arrival(relative, None, str(error)))
            continue
        document, _created = document_receive(
            data=data, original_name=path.name, channel=Channel.WATCHED_FOLDER
        )
        target = folder / DONE / f"{clock.now():%Y-%m-%d}" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # the same name twice a day: keep both
            target = target.with_name(f"{target.stem}-{document.pk}{target.suffix}")
        path.replace(target)
        transaction.on_commit(lambda pk=document.pk: document_dispatch(pk))
        arrivals.append(Arrival(relative, document))
    return arrivals


def folder_watch(folder: Path, *, interval: float = 5.0, settle: float = 2.0, say=print) -> None:
    """Scan the folder every ``interval`` seconds until stopped (Ctrl-C or SIGTERM)."""
    while True:
        for arrival in folder_scan(folder, settle=settle):
            if arrival.document is not None:
                say(f"{arrival.name}: received as document {arrival.document.pk}")
        time.sleep(interval)
