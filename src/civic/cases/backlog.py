"""Backlog insight for managers: open cases by age, weekly inflow and outflow, deadline
breaches, and when the backlog clears at the current pace. Aggregated in the database (a few
grouped queries), so it costs the same at hundreds of thousands of cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

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
    # One pass over the open cases for every age bucket, one over the last 12 weeks' openings
    # and one over their closings, each a conditional count (no per-row functions, which on
    # SQLite are Python calls).
    windows = {}
    for index, (low, high) in enumerate(AGE_BUCKETS):
        window = Q(opened_at__lte=now - dt.timedelta(days=low))
        if high is not None:
            window &= Q(opened_at__gt=now - dt.timedelta(days=high + 1))
        windows[f"age{index}"] = Count("pk", filter=window)
    windows["open"] = Count("pk")
    windows["past_deadline"] = Count(
        "pk", filter=Q(deadline__lt=today, suspended_since__isnull=True)
    )
    counted = open_cases.aggregate(**windows)
    ages = [
        {"from_days": low, "to_days": high, "cases": counted[f"age{index}"]}
        for index, (low, high) in enumerate(AGE_BUCKETS)
    ]
    first_week = _week_start(today) - dt.timedelta(weeks=WEEKS - 1)
    starts = [
        dt.datetime.combine(first_week + dt.timedelta(weeks=i), dt.time.min, tzinfo=now.tzinfo)
        for i in range(WEEKS + 1)
    ]
    inflow = _per_week(cases.filter(opened_at__gte=starts[0]), "opened_at", starts)
    outflow = _per_week(cases.filter(closed_at__gte=starts[0]), "closed_at", starts)
    weeks = [
        {"week": starts[i].date().isoformat(), "in": inflow[i], "out": outflow[i]}
        for i in range(WEEKS)
    ]
    open_count = counted["open"]
    late = sum(
        1
        for closed, deadline in cases.filter(closed_at__gte=starts[0]).values_list(
            "closed_at", "deadline"
        )
        if timezone.localtime(closed).date() > deadline
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
    counted = cases.aggregate(
        **{
            f"w{i}": Count(
                "pk", filter=Q(**{f"{field}__gte": starts[i], f"{field}__lt": starts[i + 1]})
            )
            for i in range(len(starts) - 1)
        }
    )
    return [counted[f"w{i}"] for i in range(len(starts) - 1)]
