"""The hourly series the flood-risk model reads: river gauges with their high-water line and
the city's rain, from the stored readings (raw, and the hourly aggregates that replace them
once they are past their retention)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from civic.sensors import models as sensors

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Gauge:
    rule: sensors.Rule
    flood_level: float

    @property
    def datastream_id(self) -> int:
        return self.rule.datastream_id

    @property
    def place(self) -> str:
        return self.rule.datastream.thing.name


def hour_floor(at: dt.datetime) -> dt.datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def gauges_list() -> list[Gauge]:
    """Each river gauge (a water-level datastream) with an active rule that has a level: that
    level is its high-water line. One per datastream: the rule with the lowest line."""
    rules = (
        sensors.Rule.objects.filter(
            active=True,
            level__isnull=False,
            datastream__observed_property__definition=settings.INSIGHTS_FLOOD_RISK_WATER_LEVEL,
        )
        .select_related("datastream__thing")
        .order_by("datastream_id", "level", "pk")
    )
    out: dict[int, Gauge] = {}
    for rule in rules:
        out.setdefault(rule.datastream_id, Gauge(rule, float(rule.level)))
    return list(out.values())


def hourly_means(datastream_id: int, since: dt.datetime, until: dt.datetime) -> np.ndarray:
    """The mean reading of each hour from ``since`` (an hour's start) up to ``until``; NaN for
    an hour with no reading. Hours with no raw readings left take their hourly aggregate."""
    hours = int((until - since) / HOUR)
    sums, counts = np.zeros(hours), np.zeros(hours)
    raw = sensors.Observation.objects.filter(
        datastream_id=datastream_id,
        phenomenon_time__gte=since,
        phenomenon_time__lt=until,
        result_number__isnull=False,
    ).values_list("phenomenon_time", "result_number")
    rows = list(raw.iterator(chunk_size=10_000))
    if rows:
        index = np.array([int((at - since) / HOUR) for at, _value in rows])
        np.add.at(sums, index, [value for _at, value in rows])
        np.add.at(counts, index, 1)
    aggregates = sensors.ObservationAggregate.objects.filter(
        datastream_id=datastream_id,
        period=sensors.ObservationAggregate.Period.HOUR,
        start__gte=since,
        start__lt=until,
    ).values_list("start", "mean")
    for start, mean in aggregates:
        index = int((start - since) / HOUR)
        if counts[index] == 0:
            sums[index], counts[index] = mean, 1
    with np.errstate(invalid="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def rain_hourly(since: dt.datetime, until: dt.datetime) -> np.ndarray | None:
    """The city's rain per hour (mm): the mean of the rain gauges; None without a rain gauge."""
    streams = list(
        sensors.Datastream.objects.filter(
            observed_property__definition=settings.INSIGHTS_FLOOD_RISK_RAINFALL
        ).values_list("pk", flat=True)
    )
    if not streams:
        return None
    series = np.vstack([hourly_means(pk, since, until) for pk in streams])
    known = (~np.isnan(series)).sum(axis=0)
    total = np.nansum(series, axis=0)
    return np.where(known > 0, total / np.maximum(known, 1), np.nan)
