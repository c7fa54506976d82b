"""The retention run and the key rotation: writes of compliance.retention.

A retention run holds one transaction for all its rules: it works in chunks (memory stays
flat) but commits once, so a run that fails half-way leaves every register and case as it
was, and its record says why. The record itself is written outside that transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from civic.cases.selectors import cases_past_retention
from civic.cases.services import case_retention_apply, case_retention_rules
from civic.compliance.models import SubjectRequest
from civic.compliance.retention.models import KeyRotation, RetentionRun, Status
from civic.core import clock
from civic.core.errors import Conflict
from civic.core.fieldkeys.registry import source_current, source_reset
from civic.documents.retention import (
    case_documents_retention_apply,
    unlinked_documents_retention_apply,
)
from civic.exchange.services import (
    register_retention_apply,
    register_retention_rules,
    register_rows_total,
    register_seal_chunk,
    register_sealed_tables,
)

log = logging.getLogger(__name__)

#: A run still marked running after this long died with its process: another may start.
STALE_AFTER = dt.timedelta(hours=12)


class RetentionFailed(Exception):
    """The run failed and was rolled back; ``run`` is its record."""

    def __init__(self, run: RetentionRun):
        super().__init__(run.error)
        self.run = run


def _running_guard(model, now: dt.datetime, what: str) -> None:
    if model.objects.filter(status=Status.RUNNING, started_at__gt=now - STALE_AFTER).exists():
        raise Conflict(f"a {what} is already running; wait for it to finish")


def _subject_requests_anonymise(*, case_type: str) -> int:
    """A data-subject request whose case was anonymised loses whom it was about and what was
    asked, answered and erased, as its case did; its kind, dates and state stay, for the
    accountability (art. 5(2) GDPR) that requests were answered in time."""
    return (
        SubjectRequest.objects.filter(
            case__case_type__code=case_type, case__anonymised_at__isnull=False
        )
        .exclude(personal_number="")  # cleared together: done on an earlier run
        .update(personal_number="", details="", outcome="", extended_reason="", erasure={})
    )


def retention_run(
    *,
    dry_run: bool,
    triggered_by: str,
    today: dt.date | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> RetentionRun:
    """Apply every retention rule (count only on a dry run) and record what it removed.
    Raises RetentionFailed (after recording the failure) if any rule fails: nothing changed."""
    now = clock.now()
    today = today or clock.today()
    _running_guard(RetentionRun, now, "retention run")
    run = RetentionRun.objects.create(
        started_at=now, dry_run=dry_run, triggered_by=triggered_by, status=Status.RUNNING
    )
    results: list[dict] = []
    kept: list[dict] = []
    chunk = settings.RETENTION_CHUNK
    try:
        with transaction.atomic():
            for rule in register_retention_rules():
                count = register_retention_apply(
                    rule=rule,
                    today=today,
                    dry_run=dry_run,
                    chunk=chunk,
                    progress=(lambda n, k=rule.key: progress(k, n)) if progress else None,
                )
                results.append(
                    {
                        "rule": rule.key,
                        "kind": "attribute",
                        "target": f"{rule.register}.{rule.record}",
                        "agency": rule.authority,
                        "action": rule.action,
                        "years": rule.years,
                        "attributes": [f"{rule.record}.{a}" for a in rule.attributes],
                        "count": count,
                    }
                )
            for code, agency, years in case_retention_rules():
                if years is None:
                    kept.append({"kind": "case_type", "target": code, "agency": agency})
                    continue
                key = f"cases.{code}:anonymise:{years}y"
                count = case_retention_apply(
                    case_type=code,
                    years=years,
                    today=today,
                    dry_run=dry_run,
                    progress=(lambda n, k=key: progress(k, n)) if progress else None,
                )
                if not dry_run:
                    _subject_requests_anonymise(case_type=code)
                results.append(
                    {
                        "rule": key,
                        "kind": "case_type",
                        "target": code,
                        "agency": agency,
                        "action": "anonymise",
                        "years": years,
                        "attributes": [],
                        "count": count,
                    }
                )
                key = f"documents.{code}:delete:{years}y"
                count = case_documents_retention_apply(
                    cases=cases_past_retention(case_type=code, years=years, today=today),
                    dry_run=dry_run,
                    progress=(lambda n, k=key: progress(k, n)) if progress else None,
                )
                results.append(
                    {
                        "rule": key,
                        "kind": "case_documents",
                        "target": code,
                        "agency": agency,
                        "action": "delete",
                        "years": years,
                        "attributes": [],
                        "count": count,
                    }
                )
            years = settings.DOCUMENTS_UNLINKED_RETENTION_YEARS
            unlinked = unlinked_documents_retention_apply(
                today=today,
                dry_run=dry_run,
                progress=(lambda n: progress("documents.unlinked", n)) if progress else None,
            )
            for agency, count in sorted(unlinked.items(), key=lambda item: item[0] or ""):
                results.append(
                    {
                        "rule": f"documents.unlinked.{agency}:delete:{years}y",
                        "kind": "unlinked_documents",
                        "target": "documents",
                        "agency": agency,
                        "action": "delete",
                        "years": years,
                        "attributes": [],
                        "count": count,
                    }
                )
    except Exception as error:
        log.exception("retention run %s failed and was rolled back", run.pk)
        run.status, run.error = Status.FAILED, f"{type(error).__name__}: {error}"
        run.results, run.finished_at = results, clock.now()
        run.save()
        raise RetentionFailed(run) from error
    run.status, run.results, run.kept, run.finished_at = Status.DONE, results, kept, clock.now()
    run.save()
    return run


def key_rotation_start(*, new_key: bool) -> KeyRotation:
    """A rotation to the current key (a new one first, if ``new_key``), or the unfinished one
    for the current key, to resume."""
    source = source_current()
    if source is None:
        raise Conflict("field encryption is off: set CIVIC_FIELD_KEYS first")
    if new_key:
        source.add()
        source_reset()
        source = source_current()
    key_id = source.current_id()
    unfinished = KeyRotation.objects.filter(status=Status.RUNNING).first()
    if unfinished is not None and unfinished.key_id == key_id:
        return unfinished
    if unfinished is not None:  # a newer key came: that rotation's work is redone under it
        unfinished.status, unfinished.error = Status.FAILED, f"superseded by key {key_id}"
        unfinished.finished_at = clock.now()
        unfinished.save()
    return KeyRotation.objects.create(
        started_at=clock.now(),
        key_id=key_id,
        status=Status.RUNNING,
        progress={
            table: {
                "after_id": 0,
                "done": False,
                "scanned": 0,
                "sealed": 0,
                "total": register_rows_total(table=table),
            }
            for table in register_sealed_tables()
        },
    )


def key_rotation_continue(
    *,
    rotation_id: int,
    chunk: int | None = None,
    max_chunks: int | None = None,
    progress: Callable[[str, dict], None] | None = None,
) -> KeyRotation:
    """Seal the next chunks of a rotation, saving its progress with each chunk (so a stopped
    rotation resumes where it was); ``max_chunks`` bounds one call (a Celery task's share)."""
    chunk = chunk or settings.FIELD_ROTATION_CHUNK
    done_chunks = 0
    rotation = KeyRotation.objects.get(pk=rotation_id)
    for table, state in rotation.progress.items():
        while not state["done"]:
            if max_chunks is not None and done_chunks >= max_chunks:
                return rotation
            with transaction.atomic():
                rotation = KeyRotation.objects.select_for_update().get(pk=rotation_id)
                if rotation.status != Status.RUNNING:
                    return rotation
                state = rotation.progress[table]
                if source_current().current_id() != rotation.key_id:
                    raise Conflict("the current key changed during the rotation; start it again")
                step = register_seal_chunk(table=table, after_id=state["after_id"], size=chunk)
                state.update(
                    after_id=step.last_id,
                    done=step.done,
                    scanned=state["scanned"] + step.scanned,
                    sealed=state["sealed"] + step.sealed,
                )
                rotation.save(update_fields=["progress"])
            done_chunks += 1
            if progress:
                progress(table, state)
    rotation.status, rotation.finished_at = Status.DONE, clock.now()
    rotation.save(update_fields=["status", "finished_at"])
    return rotation
