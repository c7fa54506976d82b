"""Retention and erasure of received documents, for the retention run and the erasure of a
person's data (``compliance``).

A document read into a case is kept as long as the case keeps its personal data: when the
case's retention ends and the case is anonymised, the document goes too (its file, its pages
and their images, what was read from it, and the corrections made to that), unless another case
that is still kept links it. A document linked to no case (refused, unrouted, or left in an
agency's queue) is kept ``DOCUMENTS_UNLINKED_RETENTION_YEARS`` after its receipt.

Rows are deleted in chunks of ids inside the caller's transaction; the files are deleted only
when that transaction commits, so a run that fails and rolls back keeps every file its rows
name. The caller holds the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from civic.cases.models import Case
from civic.cases.selectors import documents_linked, documents_linked_elsewhere
from civic.documents.models import Document, DocumentPage, Status
from civic.documents.routing import intake_agency

CHUNK = 2_000


def _erase(documents: QuerySet[Document], progress: Callable[[int], None] | None) -> int:
    total, after = 0, 0
    while True:
        ids = list(
            documents.filter(id__gt=after).order_by("id").values_list("id", flat=True)[:CHUNK]
        )
        if not ids:
            return total
        files = [
            (d.file.storage, d.file.name) for d in Document.objects.filter(id__in=ids) if d.file
        ]
        files += [
            (p.image.storage, p.image.name)
            for p in DocumentPage.objects.filter(document_id__in=ids).only("id", "image")
            if p.image
        ]
        Document.objects.filter(id__in=ids).delete()  # pages and corrections cascade
        transaction.on_commit(lambda files=files: [s.delete(name) for s, name in files])
        total += len(ids)
        after = ids[-1]
        if progress:
            progress(total)


def case_documents_retention_apply(
    *,
    cases: QuerySet[Case],
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Erase (or, on a dry run, count) the documents sent for or routed to ``cases`` (the cases
    whose retention has ended), except those another case still links."""
    references = cases.values("reference")
    documents = Document.objects.filter(
        Q(case_reference__in=references) | Q(sent_for_case__in=references)
    ).exclude(id__in=documents_linked_elsewhere(cases=cases))
    if dry_run:
        return documents.count()
    return _erase(documents, progress)


def unlinked_documents_retention_apply(
    *,
    today: dt.date,
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> dict[str | None, int]:
    """Erase (or count) the documents linked to no case and received more than
    ``DOCUMENTS_UNLINKED_RETENTION_YEARS`` before ``today``: how many, by the agency whose they
    were (the queue's, else the intake agency's)."""
    years = settings.DOCUMENTS_UNLINKED_RETENTION_YEARS
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    documents = Document.objects.filter(
        case_reference="",
        sent_for_case="",
        received_at__lt=dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC),
    ).exclude(id__in=documents_linked())
    intake = intake_agency()
    counts = Counter(
        code or intake for code in documents.values_list("queue__code", flat=True).iterator()
    )
    if intake:  # the rule is listed, with nothing to erase, from the start
        counts.setdefault(intake, 0)
    if not dry_run:
        _erase(documents, progress)
    return dict(counts)


def refused_documents_erase(*, personal_number: str) -> int:
    """Erase the documents the person sent that were refused (never read, linked to nothing):
    Civic has no reason to keep them once the person asks (GDPR art. 17). Read documents stay
    with their case or in their queue until their retention ends."""
    documents = Document.objects.filter(sender=personal_number, status=Status.REFUSED).exclude(
        id__in=documents_linked()
    )
    return _erase(documents, None)
