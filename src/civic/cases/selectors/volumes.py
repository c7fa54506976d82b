"""Counts of cases for published statistics (the open-data catalogue): how many were opened,
per case type and month, how long closed ones took, and each month's decisions and backlog.
Counts only; data-subject requests are left out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from civic.cases.models import Case, DecisionDay
from civic.cases.selectors.staff import PRIVACY_CASE_TYPES
from civic.core import clock


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


def _month_after(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def case_type_months() -> list[dict[str, Any]]:
    """Per case type and month (``"YYYY-MM"``), from the case type's first case to this month:
    the decisions taken (read from the per-day summary, ``DecisionDay``, whose days are UTC
    days), how many the rules took and how many came after the case's deadline, and the
    cases still open at the month's end (for this month: now). Counts only; data-subject
    requests are left out."""
    decided = (
        DecisionDay.objects.exclude(case_type__code__startswith=PRIVACY_CASE_TYPES)
        .annotate(month=TruncMonth("day"))
        .values_list("case_type__code", "month")
        .annotate(decided=Sum("decided"), automated=Sum("automated"), late=Sum("late"))
        .order_by()
    )
    cases = Case.objects.exclude(case_type__code__startswith=PRIVACY_CASE_TYPES)
    flows: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for field, side in (("opened_at", 0), ("closed_at", 1)):
        for code, month, count in (
            cases.filter(**{f"{field}__isnull": False})
            .annotate(month=TruncMonth(field))
            .values_list("case_type__code", "month")
            .annotate(count=Count("id"))
            .order_by()
        ):
            flows[code][month.strftime("%Y-%m")][side] += count
    rows: dict[tuple[str, str], dict[str, Any]] = {}

    def row(code: str, month: str) -> dict[str, Any]:
        return rows.setdefault(
            (code, month),
            {
                "case_type": code,
                "month": month,
                "decided": 0,
                "automated": 0,
                "decided_late": 0,
                "open_at_end": 0,
            },
        )

    this_month = timezone.localtime(clock.now()).strftime("%Y-%m")
    for code, months in flows.items():
        month, still_open = min(months), 0
        while month <= this_month:
            opened, closed = months.get(month, (0, 0))
            still_open += opened - closed
            row(code, month)["open_at_end"] = still_open
            month = _month_after(month)
    for code, month, count_decided, automated, late in decided:
        found = row(code, month.strftime("%Y-%m"))
        found.update(decided=count_decided, automated=automated, decided_late=late)
    return [rows[key] for key in sorted(rows)]
