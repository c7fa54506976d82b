"""Figures per case type for the insights app (service KPIs): volumes, time to decision,
automated share, backlog and deadline breaches, and cases opened a day. Aggregates only, never
a person; re-exported by ``cases.selectors``. The caller scopes: an agency for staff, a
published service for the public page."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from civic.cases.models import Case, CaseType, Decision, DecisionDay
from civic.cases.services.decision_days import decision_contribution
from civic.core import clock


@dataclass
class _Decided:
    """The decisions of one kind of case in a period: counts and hours taken -> decisions."""

    decided: int = 0
    automated: int = 0
    late: int = 0
    hours: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, *, decided: int, automated: int, late: int, hours: dict[str, int]) -> None:
        self.decided += decided
        self.automated += automated
        self.late += late
        for hour, count in hours.items():
            self.hours[hour] += count

    def median_days(self) -> float | None:
        """The median days a decision took, to a tenth (the durations counted to the hour)."""
        if not self.decided:
            return None
        middle = sorted({(self.decided - 1) // 2, self.decided // 2})  # one, or two to average
        found, seen = [], 0
        for hour, count in sorted((int(h), n) for h, n in self.hours.items()):
            seen += count
            while middle and middle[0] < seen:
                found.append(hour)
                middle.pop(0)
            if not middle:
                break
        return round(sum(found) / len(found) / 24, 1)


def _decisions_since(ids: list[int], since: dt.datetime) -> dict[int, _Decided]:
    """The decisions of the kinds of case ``ids`` taken since ``since``: each whole day's from
    the summary (``DecisionDay``), the first day's, from ``since`` to its midnight, from the
    decisions themselves. The cost grows with the days, not with the cases decided."""
    out: dict[int, _Decided] = defaultdict(_Decided)
    first_whole_day = since.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    for type_id, decided, automated, late, hours in DecisionDay.objects.filter(
        case_type_id__in=ids, day__gte=first_whole_day
    ).values_list("case_type_id", "decided", "automated", "late", "hours"):
        out[type_id].add(decided=decided, automated=automated, late=late, hours=hours)
    midnight = dt.datetime.combine(first_whole_day, dt.time.min, tzinfo=dt.UTC)
    # Along the index on decided_at (at most a day of decisions), the kinds of case picked in
    # Python: given the kind too, SQLite would rather read every case of that kind.
    wanted = set(ids)
    for type_id, opened_at, decided_at, deadline, automated in Decision.objects.filter(
        decided_at__gte=since, decided_at__lt=midnight
    ).values_list(
        "case__case_type_id", "case__opened_at", "decided_at", "case__deadline", "automated"
    ):
        if type_id not in wanted:
            continue
        _day, one = decision_contribution(
            opened_at=opened_at, deadline=deadline, decided_at=decided_at, automated=automated
        )
        out[type_id].add(
            decided=1, automated=one["automated"], late=one["late"], hours={one["hour"]: 1}
        )
    return out


def case_type_figures(
    *,
    since: dt.datetime,
    agency_id: int | None = None,
    service_code: str | None = None,
    case_type: str | None = None,
) -> list[dict[str, Any]]:
    """One row per case type matching the filters, with the figures since ``since``."""
    types = CaseType.objects.select_related("service").order_by("code")
    if agency_id is not None:
        types = types.filter(agency_id=agency_id)
    if service_code is not None:
        types = types.filter(service__code=service_code)
    if case_type is not None:
        types = types.filter(code=case_type)
    types = list(types)
    if not types:
        return []
    today = clock.now().date()
    ids = [t.pk for t in types]
    counts = {
        row["case_type_id"]: row
        for row in Case.objects.filter(case_type_id__in=ids)
        .values("case_type_id")
        .annotate(
            opened=Count("id", filter=Q(opened_at__gte=since)),
            open=Count("id", filter=Q(closed_at__isnull=True)),
            open_past_deadline=Count(
                "id",
                filter=Q(closed_at__isnull=True, suspended_since__isnull=True, deadline__lt=today),
            ),
        )
    }
    decisions = _decisions_since(ids, since)
    rows = []
    for case_type_ in types:
        count = counts.get(case_type_.pk, {})
        decided = decisions[case_type_.pk]
        rows.append(
            {
                "case_type": case_type_.code,
                "name": case_type_.name,
                "service": case_type_.service.code if case_type_.service else "",
                "service_name": case_type_.service.name if case_type_.service else case_type_.name,
                "opened": count.get("opened", 0),
                "decided": decided.decided,
                "automated": decided.automated,
                "decided_late": decided.late,
                "median_days_to_decision": decided.median_days(),
                "open": count.get("open", 0),
                "open_past_deadline": count.get("open_past_deadline", 0),
            }
        )
    return rows


def cases_opened_per_day(
    *, case_type: str, first_day: dt.date, last_day: dt.date
) -> list[tuple[dt.date, int]]:
    """Cases of a case type opened each day from ``first_day`` to ``last_day``, zeros
    included (a forecaster needs every day)."""
    counted = dict(
        Case.objects.filter(
            case_type__code=case_type,
            opened_at__date__gte=first_day,
            opened_at__date__lte=last_day,
        )
        .annotate(day=TruncDate("opened_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    days = (last_day - first_day).days + 1
    return [
        (day, counted.get(day, 0))
        for day in (first_day + dt.timedelta(days=i) for i in range(days))
    ]


def caseworker_pace(*, case_type: str, since: dt.datetime) -> dict[str, int]:
    """Decisions by caseworkers (not the rules) since ``since``, and the caseworker-days they
    took: the distinct (caseworker, day) pairs with at least one decision. A day's work
    counted from what it decided, since Civic records no timesheets."""
    # One read of the few weeks' decisions, the day (the local one) taken in Python: SQLite
    # would call a Python function per row for it, and count the decisions in a second pass.
    decisions, worked = 0, set()
    for decided_by, decided_at in Decision.objects.filter(
        case__case_type__code=case_type, decided_at__gte=since, automated=False
    ).values_list("decided_by", "decided_at"):
        decisions += 1
        worked.add((decided_by, timezone.localtime(decided_at).date()))
    return {"decisions": decisions, "caseworker_days": len(worked)}


def automated_decision_references(*, since: dt.datetime):
    """The references of the cases the rules decided since ``since`` (a query, for a join)."""
    return Decision.objects.filter(automated=True, decided_at__gte=since).values("case__reference")
