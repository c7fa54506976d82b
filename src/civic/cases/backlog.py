"""Backlog insight for managers: open cases by age, weekly inflow and outflow, deadline
breaches, and when the backlog clears at the current pace. Aggregated in the database (a few
grouped queries), so it costs the same at hundreds of thousands of cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek

from civic.cases.models import Case
from civic.core import clock

AGE_BUCKETS = ((0, 7), (8, 14), (15, 28), (29, 56), (57, None))
WEEKS = 12
PACE_WEEKS = 4


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def backlog(*, agency_id: int, case_type: str = "") -> dict[str, Any]:
    now = clock.now()
    today = now.date()
    cases = Case.objects.filter(agency_id=agency_id)
    if case_type:
        cases = cases.filter(case_type__code=case_type)
    open_cases = cases.filter(closed_at__isnull=True)
    ages = []
    for low, high in AGE_BUCKETS:
        window = Q(opened_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            window &= Q(opened_at__gt=now - dt.timedelta(days=high + 1))
        ages.append({"from_days": low, "to_days": high, "cases": open_cases.filter(window).count()})
    first_week = _week_start(today) - dt.timedelta(weeks=WEEKS - 1)
    since = dt.datetime.combine(first_week, dt.time.min, tzinfo=now.tzinfo)
    inflow = _per_week(cases.filter(opened_at__gte=since), "opened_at")
    outflow = _per_week(cases.filter(closed_at__gte=since), "closed_at")
    weeks = []
    for index in range(WEEKS):
        start = first_week + dt.timedelta(weeks=index)
        weeks.append(
            {"week": start.isoformat(), "in": inflow.get(start, 0), "out": outflow.get(start, 0)}
        )
    open_count = open_cases.count()
    breaches = {
        "open_past_deadline": open_cases.filter(
            deadline__lt=today, suspended_since__isnull=True
        ).count(),
        "decided_late": cases.filter(
            closed_at__gte=since, closed_at__date__gt=F("deadline")
        ).count(),
    }
    # The pace: full weeks only (the current week is still running).
    recent = weeks[-1 - PACE_WEEKS : -1]
    net = sum(w["out"] - w["in"] for w in recent) / max(1, len(recent))
    projection: dict[str, Any] = {
        "open": open_count,
        "net_per_week": round(net, 1),
        "weeks": PACE_WEEKS,
    }
    if open_count == 0:
        projection["clears_on"] = today.isoformat()
    elif net > 0:
        projection["clears_on"] = (
            today + dt.timedelta(days=round(7 * open_count / net))
        ).isoformat()
    else:
        projection["clears_on"] = None
    return {
        "as_of": now.isoformat(timespec="seconds"),
        "open": open_count,
        "by_age": ages,
        "weekly": weeks,
        "breaches": breaches,
        "projection": projection,
    }


def _per_week(cases, field: str) -> dict[dt.date, int]:
    rows = cases.annotate(week=TruncWeek(field)).values("week").annotate(n=Count("pk"))
    out: dict[dt.date, int] = {}
    for row in rows:
        week = row["week"]
        day = week.date() if isinstance(week, dt.datetime) else week
        out[day] = out.get(day, 0) + row["n"]
    return out
