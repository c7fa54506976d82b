"""Counts of cases for published statistics (the open-data catalogue): how many were opened,
per case type and month. Counts only; data-subject requests are left out."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncMonth

from civic.cases.models import Case
from civic.cases.selectors.staff import PRIVACY_CASE_TYPES


def case_volumes(*, since: dt.date | None = None) -> list[tuple[str, str, int]]:
    """Cases opened per case type and month, ``(case type code, "YYYY-MM", count)``. That a
    resident asked about their own data is theirs: data-subject requests are not counted."""
    cases = Case.objects.exclude(case_type__code__startswith=PRIVACY_CASE_TYPES)
    if since:
        cases = cases.filter(opened_at__date__gte=since)
    rows = (
        cases.annotate(month=TruncMonth("opened_at"))
        .values_list("case_type__code", "month")
        .annotate(count=Count("id"))
        .order_by("case_type__code", "month")
    )
    return [(code, month.strftime("%Y-%m"), count) for code, month, count in rows]


def case_durations(*, since: dt.date | None = None) -> list[tuple[str, str, float]]:
    """Closed cases' processing times: ``(case type code, "YYYY-MM" closed, days from opening
    to closing)``, one per case, for statistics; no case, person or reference in them."""
    cases = Case.objects.exclude(case_type__code__startswith=PRIVACY_CASE_TYPES).filter(
        closed_at__isnull=False
    )
    if since:
        cases = cases.filter(closed_at__date__gte=since)
    rows = cases.values_list("case_type__code", "opened_at", "closed_at").order_by()
    return [
        (code, closed.strftime("%Y-%m"), (closed - opened).total_seconds() / 86_400)
        for code, opened, closed in rows.iterator(chunk_size=5_000)
    ]
