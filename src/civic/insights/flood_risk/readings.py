"""The hourly series the flood-risk model reads: river gauges with their high-water line and
the city's rain, read through the sensors' selectors from the stored readings (raw, and the
hourly aggregates that replace them once they are past their retention)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from civic.sensors import models as sensors
from civic.sensors.selectors import (
    datastreams_of_property,
    hourly_means,
    level_rules_of_property,
)

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
    rules = level_rules_of_property(definition=settings.INSIGHTS_FLOOD_RISK_WATER_LEVEL)
    out: dict[int, Gauge] = {}
    for rule in rules:
        out.setdefault(rule.datastream_id, Gauge(rule, float(rule.level)))
    return list(out.values())


def rain_hourly(since: dt.datetime, until: dt.datetime) -> np.ndarray | None:
    """The city's rain per hour (mm): the mean of the rain gauges; None without a rain gauge."""
    streams = datastreams_of_property(definition=settings.INSIGHTS_FLOOD_RISK_RAINFALL)
    if not streams:
        return None
    series = np.vstack([hourly_means(datastream_id=pk, since=since, until=until) for pk in streams])
    known = (~np.isnan(series)).sum(axis=0)
    total = np.nansum(series, axis=0)
    return np.where(known > 0, total / np.maximum(known, 1), np.nan)
