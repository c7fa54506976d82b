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
