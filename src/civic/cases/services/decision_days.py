"""The summary of decisions per kind of case and day (``DecisionDay``) that the KPIs read:
counted by the services that decide a case, in their transaction, and rebuilt from the
decisions by ``civic cases decision-days`` (after a bulk load, or to check it).

A decision counts on the UTC date it was taken; it is late when that date is after the case's
deadline, and it took ``decided_at - opened_at``, kept to the second in the sum and to the
nearest whole hour in the histogram the median is read from."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from civic.cases.models import Case, Decision, DecisionDay

HOUR = 3600


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def decision_contribution(
    *, opened_at: dt.datetime, deadline: dt.date, decided_at: dt.datetime, automated: bool
) -> tuple[dt.date, dict[str, Any]]:
    day = _utc(decided_at).date()
    seconds = (decided_at - opened_at).total_seconds()
    return day, {
        "automated": int(bool(automated)),
        "late": int(day > deadline),
        "seconds": round(seconds),
        "hour": str(round(seconds / HOUR)),
    }


def decision_day_count(
    *,
    case: Case,
    decided_at: dt.datetime,
    automated: bool,
    deadline: dt.date | None = None,
    opened_at: dt.datetime | None = None,
    sign: int = 1,
) -> None:
    """Add (``sign`` 1) or take away (-1) one decision of ``case`` in its day's row; the
    deadline and opening are the case's unless given (the values the decision was counted
    with, when a change takes it away)."""
    day, one = decision_contribution(
        opened_at=opened_at or case.opened_at,
        deadline=deadline or case.deadline,
        decided_at=decided_at,
        automated=automated,
    )
    with transaction.atomic():
        DecisionDay.objects.get_or_create(
            case_type_id=case.case_type_id, agency_id=case.agency_id, day=day
        )
        row = DecisionDay.objects.select_for_update().get(
            case_type_id=case.case_type_id, agency_id=case.agency_id, day=day
        )
        row.decided += sign
        row.automated += sign * one["automated"]
        row.late += sign * one["late"]
        row.seconds += sign * one["seconds"]
        left = row.hours.get(one["hour"], 0) + sign
        if left:
            row.hours[one["hour"]] = left
        else:
            row.hours.pop(one["hour"], None)
        if row.decided:
            row.save()
        else:
            row.delete()


def decision_days_rebuild(
    *, case_type_ids: list[int] | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Count the summary again from the decisions (of ``case_type_ids``, or of every kind of
    case), replacing its rows; the number of decisions counted. One pass over the decisions,
    in chunks, in one transaction; on PostgreSQL the summary is locked against writes first, so
    a case decided meanwhile waits and is then counted on top (SQLite has one writer anyway)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {DecisionDay._meta.db_table} IN EXCLUSIVE MODE")
        return _rebuild(case_type_ids, progress)


def _rebuild(case_type_ids: list[int] | None, progress: Callable[[int], None] | None) -> int:
    decisions = Decision.objects.all()
    rows = DecisionDay.objects.all()
    if case_type_ids is not None:
        decisions = decisions.filter(case__case_type_id__in=case_type_ids)
        rows = rows.filter(case_type_id__in=case_type_ids)
    totals: dict[tuple[int, int, dt.date], dict[str, Any]] = defaultdict(
        lambda: {"decided": 0, "automated": 0, "late": 0, "seconds": 0, "hours": defaultdict(int)}
    )
    counted = 0
    for type_id, agency_id, opened_at, deadline, decided_at, automated in decisions.values_list(
        "case__case_type_id",
        "case__agency_id",
        "case__opened_at",
        "case__deadline",
        "decided_at",
        "automated",
    ).iterator(chunk_size=5_000):
        day, one = decision_contribution(
            opened_at=opened_at, deadline=deadline, decided_at=decided_at, automated=automated
        )
        row = totals[(type_id, agency_id, day)]
        row["decided"] += 1
        row["automated"] += one["automated"]
        row["late"] += one["late"]
        row["seconds"] += one["seconds"]
        row["hours"][one["hour"]] += 1
        counted += 1
        if progress and counted % 10_000 == 0:
            progress(counted)
    rows.delete()
    DecisionDay.objects.bulk_create(
        [
            DecisionDay(
                case_type_id=type_id,
                agency_id=agency_id,
                day=day,
                **{**row, "hours": dict(row["hours"])},
            )
            for (type_id, agency_id, day), row in totals.items()
        ],
        batch_size=2_000,
    )
    if progress:
        progress(counted)
    return counted
