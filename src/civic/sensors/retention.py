"""Retention of sensor readings: raw readings past CIVIC_SENSORS_RAW_RETENTION_DAYS are summed
up per hour and per day (count, minimum, maximum, mean of the numeric ones, grouped in the
database) and then deleted; hourly aggregates past CIVIC_SENSORS_HOURLY_RETENTION_DAYS are
deleted; daily ones are kept for good.

One UTC day at a time, each in its own transaction: the day's aggregates are written before its
raw readings go, in the same commit, so a run stopped half-way has lost nothing and the next
run goes on from the oldest day left. Aggregates of a day are written whole (replacing any
earlier ones of it), so running twice gives the same figures. On PostgreSQL a monthly
partition wholly past the cutoff is summed up day by day and then dropped whole
(sensors/partitions.py), which costs no row deletes and leaves no dead rows behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models.functions import TruncDay, TruncHour

from civic.core import clock
from civic.sensors import models as m
from civic.sensors.partitions import partition_drop, partitions_expired
from civic.sensors.selectors import NUMERIC_SUMMARY

PERIODS = {
    m.ObservationAggregate.Period.HOUR: TruncHour,
    m.ObservationAggregate.Period.DAY: TruncDay,
}


@dataclass
class RetentionOutcome:
    days: list[dt.date] = field(default_factory=list)
    aggregates: int = 0
    raw_deleted: int = 0
    hourly_deleted: int = 0
    dry_run: bool = False


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _aggregates_of_day(day: dt.date) -> list[m.ObservationAggregate]:
    raw = m.Observation.objects.filter(
        phenomenon_time__gte=_midnight(day),
        phenomenon_time__lt=_midnight(day + dt.timedelta(days=1)),
        result_number__isnull=False,
    )
    out = []
    for period, truncate in PERIODS.items():
        rows = (
            raw.annotate(bucket=truncate("phenomenon_time", tzinfo=dt.UTC))
            .values("datastream_id", "bucket")
            .annotate(**NUMERIC_SUMMARY)
        )
        out += [
            m.ObservationAggregate(
                datastream_id=row["datastream_id"],
                period=period,
                start=row["bucket"],
                count=row["observations"],
                minimum=row["minimum"],
                maximum=row["maximum"],
                mean=row["mean"],
            )
            for row in rows
        ]
    return out


def _aggregates_write(day: dt.date) -> int:
    aggregates = _aggregates_of_day(day)
    m.ObservationAggregate.objects.bulk_create(
        aggregates,
        update_conflicts=True,
        unique_fields=["datastream", "period", "start"],
        update_fields=["count", "minimum", "maximum", "mean"],
    )
    return len(aggregates)


def _day_retire(day: dt.date) -> tuple[int, int]:
    """The day's aggregates written, then its raw readings deleted: one transaction."""
    with transaction.atomic():
        made = _aggregates_write(day)
        deleted, _by_model = m.Observation.objects.filter(
            phenomenon_time__gte=_midnight(day),
            phenomenon_time__lt=_midnight(day + dt.timedelta(days=1)),
        ).delete()
    return made, deleted


def _months_retire(days: list[dt.date], before: dt.datetime, outcome: RetentionOutcome) -> set:
    """PostgreSQL: each monthly partition wholly past the cutoff, its days summed up (a
    transaction a day), then dropped whole rather than deleted row by row. The days done."""
    done: set[dt.date] = set()
    for name, low, high in partitions_expired(before):
        month = [day for day in days if low.date() <= day < high.date()]
        for day in month:
            with transaction.atomic():
                outcome.aggregates += _aggregates_write(day)
        with transaction.atomic():
            outcome.raw_deleted += partition_drop(name)
        done.update(month)
    return done


def retention_run(*, dry_run: bool = False, now: dt.datetime | None = None) -> RetentionOutcome:
    """Retire every whole UTC day of raw readings before the raw cutoff, oldest first; then
    drop the hourly aggregates past theirs. A dry run counts and changes nothing."""
    now = now or clock.now()
    raw_cutoff = (now - dt.timedelta(days=settings.SENSORS_RAW_RETENTION_DAYS)).date()
    hourly_cutoff = _midnight(
        (now - dt.timedelta(days=settings.SENSORS_HOURLY_RETENTION_DAYS)).date()
    )
    outcome = RetentionOutcome(dry_run=dry_run)
    old = m.Observation.objects.filter(phenomenon_time__lt=_midnight(raw_cutoff))
    days = sorted(
        {
            value.date()
            for value in old.annotate(day=TruncDay("phenomenon_time", tzinfo=dt.UTC))
            .values_list("day", flat=True)
            .distinct()
        }
    )
    outcome.days = days
    hourly = m.ObservationAggregate.objects.filter(
        period=m.ObservationAggregate.Period.HOUR, start__lt=hourly_cutoff
    )
    if dry_run:
        outcome.raw_deleted = old.count()
        outcome.hourly_deleted = hourly.count()
        return outcome
    dropped = _months_retire(days, _midnight(raw_cutoff), outcome)
    for day in (day for day in days if day not in dropped):
        made, deleted = _day_retire(day)
        outcome.aggregates += made
        outcome.raw_deleted += deleted
    outcome.hourly_deleted, _by_model = hourly.delete()
    return outcome
