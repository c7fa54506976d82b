"""Case types' retention: a closed case keeps its personal data for its type's
``retention_years``, then the retention run anonymises it. The case row stays (reference,
type, state, dates, outcome) so that statistics and the access log's case references still
count; who it was about, what was written and what was uploaded go.

Cases are taken in chunks of ids, so memory stays flat; the caller holds the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from civic.cases.models import (
    AnswerDocument,
    Case,
    CaseDocument,
    CaseEvent,
    CaseType,
    Decision,
    InformationRequest,
)
from civic.cases.selectors.case_types import cases_past_retention
from civic.core import clock
from civic.forms.services import submissions_anonymise

ANONYMOUS = ""


def case_retention_rules() -> list[tuple[str, str, int | None]]:
    """``(case type code, agency code, years)`` for every case type; None: kept for good."""
    return list(
        CaseType.objects.order_by("code").values_list("code", "agency__code", "retention_years")
    )


def _anonymise(ids: list[int], now: dt.datetime) -> None:
    documents = AnswerDocument.objects.filter(answer_to__case_id__in=ids)
    files = [(d.file.storage, d.file.name) for d in documents.only("id", "file") if d.file]
    documents.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    # What document intake read into the case (amounts, an IBAN, an employer) goes with it; the
    # documents themselves are intake's, erased by its own retention rule in the same run.
    CaseDocument.objects.filter(case_id__in=ids).delete()
    InformationRequest.objects.filter(case_id__in=ids).update(question=ANONYMOUS, answer=ANONYMOUS)
    CaseEvent.objects.filter(case_id__in=ids).update(text=ANONYMOUS, texts={})
    Decision.objects.filter(case_id__in=ids).update(reasons=ANONYMOUS, reasons_texts={})
    submissions_anonymise(
        submission_ids=list(
            Case.objects.filter(id__in=ids, submission__isnull=False).values_list(
                "submission_id", flat=True
            )
        )
    )
    Case.objects.filter(id__in=ids).update(
        subject=ANONYMOUS, applicant=ANONYMOUS, anonymised_at=now
    )


def case_retention_apply(
    *,
    case_type: str,
    years: int,
    today: dt.date,
    dry_run: bool,
    chunk: int = 2_000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Anonymise (or, on a dry run, count) the closed cases of ``case_type`` whose closing is
    more than ``years`` before ``today`` and that still hold personal data."""
    expired = cases_past_retention(case_type=case_type, years=years, today=today).filter(
        anonymised_at__isnull=True
    )
    if dry_run:
        return expired.count()
    now, total, after = clock.now(), 0, 0
    while True:
        ids = list(expired.filter(id__gt=after).order_by("id").values_list("id", flat=True)[:chunk])
        if not ids:
            return total
        _anonymise(ids, now)
        total += len(ids)
        after = ids[-1]
        if progress:
            progress(total)
