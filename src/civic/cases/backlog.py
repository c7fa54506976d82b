"""Backlog insight for managers: open cases by age, weekly inflow and outflow, deadline
breaches, and when the backlog clears at the current pace. Aggregated in the database (a few
grouped queries), so it costs the same at hundreds of thousands of cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.db.models.functions import TruncDate

from civic.cases.models import Case
from civic.core import clock
from civic.identity.selectors import staff_agency_id

AGE_BUCKETS = ((0, 7), (8, 14), (15, 28), (29, 56), (57, None))
WEEKS = 12
PACE_WEEKS = 4


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def backlog(*, user, case_type: str = "") -> dict[str, Any]:
    """The figures of the staff member's own agency (nothing for anyone without one)."""
    now = clock.now()
    today = now.date()
    cases = Case.objects.filter(agency_id=staff_agency_id(user=user))
    if case_type:
        cases = cases.filter(case_type__code=case_type)
    open_cases = cases.filter(closed_at__isnull=True)
    # Each figure is a count over a range of one index (agency, closed_at, opened_at or
    # deadline): no per-row expressions, which on SQLite are Python calls.
    ages = []
    for low, high in AGE_BUCKETS:
        window = open_cases.filter(opened_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            window = window.filter(opened_at__gt=now - dt.timedelta(days=high + 1))
        ages.append({"from_days": low, "to_days": high, "cases": window.count()})
    counted = {
        "open": open_cases.count(),
        "past_deadline": open_cases.filter(
            suspended_since__isnull=True, deadline__lt=today
        ).count(),
    }
    first_week = _week_start(today) - dt.timedelta(weeks=WEEKS - 1)
    starts = [
        dt.datetime.combine(first_week + dt.timedelta(weeks=i), dt.time.min, tzinfo=now.tzinfo)
        for i in range(WEEKS + 1)
    ]
    inflow = _per_week(cases, "opened_at", starts)
    outflow = _per_week(cases, "closed_at", starts)
    weeks = [
        {"week": starts[i].date().isoformat(), "in": inflow[i], "out": outflow[i]}
        for i in range(WEEKS)
    ]
    open_count = counted["open"]
    late = (
        cases.filter(closed_at__gte=starts[0])
        .annotate(closed_on=TruncDate("closed_at"))
        .filter(closed_on__gt=F("deadline"))
        .count()
    )
    breaches = {"open_past_deadline": counted["past_deadline"], "decided_late": late}
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


def _per_week(cases, field: str, starts: list[dt.datetime]) -> list[int]:
    return [
        cases.filter(**{f"{field}__gte": starts[i], f"{field}__lt": starts[i + 1]}).count()
        for i in range(len(starts) - 1)
    ]
