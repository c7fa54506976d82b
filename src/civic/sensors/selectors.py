"""Reads of the sensor store for other apps (the open-data catalogue): figures per datastream,
never the SensorThings API's own entity reads (views and observations_api)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Min
from django.db.models.functions import TruncDate

from civic.sensors import models as m

#: What a period's numeric readings are summed up to (here, and in retention's aggregates).
NUMERIC_SUMMARY = {
    "observations": Count("id"),
    "minimum": Min("result_number"),
    "maximum": Max("result_number"),
    "mean": Avg("result_number"),
}


@dataclass(frozen=True)
class DailySummary:
    datastream: int
    name: str
    observed_property: str
    unit: str
    day: dt.date
    observations: int
    minimum: float
    maximum: float
    mean: float


def daily_summaries(*, since: dt.date, until: dt.date) -> list[DailySummary]:
    """Per datastream and UTC day from ``since`` up to (not including) ``until``: how many
    numeric readings, their minimum, maximum and mean; grouped in the database, or, for a day
    whose raw readings are past retention, its daily aggregate (retention.py)."""
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(until, dt.time(), tzinfo=dt.UTC)
    rows = (
        m.Observation.objects.filter(
            phenomenon_time__gte=start, phenomenon_time__lt=end, result_number__isnull=False
        )
        .annotate(day=TruncDate("phenomenon_time", tzinfo=dt.UTC))
        .values("datastream_id", "day")
        .annotate(**NUMERIC_SUMMARY)
        .order_by("datastream_id", "day")
    )
    rows = list(rows)
    # Days whose raw readings are past retention are read from their daily aggregates.
    have = {(row["datastream_id"], row["day"]) for row in rows}
    for aggregate in m.ObservationAggregate.objects.filter(
        period=m.ObservationAggregate.Period.DAY, start__gte=start, start__lt=end
    ):
        day = aggregate.start.astimezone(dt.UTC).date()
        if (aggregate.datastream_id, day) not in have:
            rows.append(
                {
                    "datastream_id": aggregate.datastream_id,
                    "day": day,
                    "observations": aggregate.count,
                    "minimum": aggregate.minimum,
                    "maximum": aggregate.maximum,
                    "mean": aggregate.mean,
                }
            )
    rows.sort(key=lambda row: (row["datastream_id"], row["day"]))
    streams = {
        s.pk: s
        for s in m.Datastream.objects.select_related("observed_property").filter(
            pk__in={row["datastream_id"] for row in rows}
        )
    }
    return [
        DailySummary(
            datastream=row["datastream_id"],
            name=streams[row["datastream_id"]].name,
            observed_property=streams[row["datastream_id"]].observed_property.name,
            unit=(streams[row["datastream_id"]].unit_of_measurement or {}).get("symbol", ""),
            day=row["day"],
            observations=row["observations"],
            minimum=row["minimum"],
            maximum=row["maximum"],
            mean=row["mean"],
        )
        for row in rows
    ]
