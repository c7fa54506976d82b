"""Reads of the sensor store for other apps and pages: figures per datastream (the open-data
catalogue), advisories (public pages, the feed, the operator's pages) and a resident's
subscription; never the SensorThings API's own entity reads (views and observations_api)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.db.models import Avg, Count, Max, Min
from django.db.models.functions import TruncDate

from civic.core import clock
from civic.exchange.selectors import neighbourhoods_list
from civic.identity.selectors import agency_scoped
from civic.sensors import models as m
from civic.sensors.advisories.area import advisory_area  # noqa: F401 (for the demo)

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


def daily_summaries(
    *, since: dt.date, until: dt.date, datastream_ids: list[int] | None = None
) -> list[DailySummary]:
    """Per datastream (every one, or those of ``datastream_ids``) and UTC day from ``since`` up
    to (not including) ``until``: how many numeric readings, their minimum, maximum and mean;
    grouped in the database, or, for a day whose raw readings are past retention, its daily
    aggregate (retention.py)."""
    start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(until, dt.time(), tzinfo=dt.UTC)
    only = {} if datastream_ids is None else {"datastream_id__in": datastream_ids}
    rows = (
        m.Observation.objects.filter(
            phenomenon_time__gte=start, phenomenon_time__lt=end, result_number__isnull=False, **only
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
        period=m.ObservationAggregate.Period.DAY, start__gte=start, start__lt=end, **only
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


# Advisories ---------------------------------------------------------------------------------


def _issued():
    return m.Advisory.objects.filter(state=m.Advisory.State.ISSUED)


def _in_force(at: dt.datetime | None = None):
    return (
        _issued()
        .exclude(message_type=m.Advisory.MessageType.CANCEL)
        .exclude(successors__state=m.Advisory.State.ISSUED)
        .exclude(expires__lte=at or clock.now())
        .order_by("-sent")
    )


def advisories_in_force(*, at: dt.datetime | None = None) -> list[m.Advisory]:
    """The latest issued message of each alert not cancelled or expired, newest first."""
    return list(_in_force(at))


def advisories_recent(*, days: int = 30) -> list[m.Advisory]:
    """Every issued message of the last ``days`` days, newest first."""
    return list(_issued().filter(sent__gte=clock.now() - dt.timedelta(days=days)).order_by("-sent"))


def advisory_published(*, identifier: str) -> m.Advisory | None:
    """An issued advisory by its CAP identifier (drafts are not public)."""
    return _issued().filter(identifier=identifier).select_related("supersedes").first()


def advisory_history(*, advisory: m.Advisory) -> list[m.Advisory]:
    """Every issued message of the alert ``advisory`` belongs to, oldest first."""
    first = advisory
    while first.supersedes_id:
        first = first.supersedes
    out, current = [first], first
    while True:
        after = current.successors.filter(state=m.Advisory.State.ISSUED).first()
        if after is None:
            return out
        out.append(after)
        current = after


def advisories_for_operator(*, user) -> dict[str, list[m.Advisory]]:
    """The operator's agency's drafts to review, and its advisories in force."""
    drafts = agency_scoped(
        m.Advisory.objects.filter(state=m.Advisory.State.DRAFT), user=user, by_code=True
    ).order_by("-created_at")
    in_force = agency_scoped(_in_force(), user=user, by_code=True)
    return {"drafts": list(drafts), "in_force": list(in_force)}


def advisory_for_operator(*, user, advisory_id: int) -> m.Advisory | None:
    return (
        agency_scoped(m.Advisory.objects.all(), user=user, by_code=True)
        .filter(pk=advisory_id)
        .first()
    )


def advisory_subscription_get(*, personal_number: str) -> m.AdvisorySubscription | None:
    return m.AdvisorySubscription.objects.filter(personal_number=personal_number).first()


def neighbourhood_choices() -> list[tuple[str, str]]:
    """(code, name) of every neighbourhood, for a resident to choose from."""
    return [(n["code"], n["name"]) for n in neighbourhoods_list()]


# The operator's view of the network -----------------------------------------------------------


def _point(thing: m.Thing) -> tuple[float, float] | None:
    """(longitude, latitude) of a Thing's first point location."""
    for location in thing.locations.all():
        geometry = location.location or {}
        if geometry.get("type") == "Point":
            return tuple(geometry["coordinates"][:2])
    return None


def unit_shown(unit: dict | None) -> str:
    """A unit as a reader writes it: UCUM's annotations ({people}) by their name."""
    unit = unit or {}
    symbol = unit.get("symbol", "")
    return unit.get("name", symbol) if symbol.startswith("{") else symbol


def stations_latest() -> list[dict]:
    """Every Thing with its datastreams' latest values and open events, by name."""
    open_events: dict[int, list[m.Event]] = {}
    for event in m.Event.objects.filter(cleared_at__isnull=True).select_related("rule"):
        open_events.setdefault(event.rule.datastream_id, []).append(event)
    out = []
    for thing in m.Thing.objects.prefetch_related(
        "locations", "datastreams__observed_property"
    ).order_by("name"):
        streams = [
            {
                "id": s.pk,
                "name": s.name,
                "property": s.observed_property.name,
                "unit": unit_shown(s.unit_of_measurement),
                "latest": s.latest_result,
                "at": s.latest_phenomenon_time,
                "events": open_events.get(s.pk, []),
            }
            for s in sorted(thing.datastreams.all(), key=lambda s: s.name)
        ]
        out.append(
            {
                "id": thing.pk,
                "name": thing.name,
                "point": _point(thing),
                "streams": streams,
                "alarm": any(e.kind != m.Event.Kind.FAULT for s in streams for e in s["events"]),
                "fault": any(e.kind == m.Event.Kind.FAULT for s in streams for e in s["events"]),
            }
        )
    return out


def stations_map(stations: list[dict], width: int = 640, height: int = 400) -> list[dict]:
    """Where to draw each station on an SVG map of ``width`` × ``height`` (north up, the
    longitudes shrunk by the cosine of the latitude so distances look right)."""
    placed = [s for s in stations if s["point"]]
    if not placed:
        return []
    lons = [s["point"][0] for s in placed]
    lats = [s["point"][1] for s in placed]
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    span = max((max(lons) - min(lons)) * shrink, max(lats) - min(lats), 1e-6)
    margin = 40
    scale = min(width, height) - 2 * margin
    return [
        {
            "station": s,
            "x": round(margin + (s["point"][0] - min(lons)) * shrink / span * scale, 1),
            "y": round(height - margin - (s["point"][1] - min(lats)) / span * scale, 1),
        }
        for s in placed
    ]


def events_open(*, cleared_days: int = 7) -> dict[str, list[m.Event]]:
    """The rules' events still open, and those cleared in the last ``cleared_days`` days."""
    events = m.Event.objects.select_related("rule__datastream").order_by("-raised_at")
    since = clock.now() - dt.timedelta(days=cleared_days)
    return {
        "open": list(events.filter(cleared_at__isnull=True)),
        "cleared": list(events.filter(cleared_at__gte=since)[:50]),
    }


def refusals_counted() -> list[m.Refusal]:
    """Readings refused, per datastream and reason, the most first."""
    return list(m.Refusal.objects.order_by("-count")[:100])


def datastream_series(*, datastream_id: int, hours: int = 48) -> dict | None:
    """A datastream's numeric readings of the last ``hours`` hours up to its latest reading,
    with the hourly minimum, mean and maximum (the chart's table), and its open events."""
    stream = (
        m.Datastream.objects.select_related("thing", "observed_property")
        .filter(pk=datastream_id)
        .first()
    )
    if stream is None:
        return None
    end = stream.latest_phenomenon_time or clock.now()
    start = end - dt.timedelta(hours=hours)
    points = list(
        m.Observation.objects.filter(
            datastream_id=datastream_id,
            phenomenon_time__gte=start,
            phenomenon_time__lte=end,
            result_number__isnull=False,
        )
        .order_by("phenomenon_time")
        .values_list("phenomenon_time", "result_number")
    )
    by_hour: dict[dt.datetime, list[float]] = {}
    for at, value in points:
        by_hour.setdefault(at.replace(minute=0, second=0, microsecond=0), []).append(value)
    hourly = [
        {"hour": hour, "minimum": min(v), "mean": sum(v) / len(v), "maximum": max(v)}
        for hour, v in sorted(by_hour.items())
    ]
    return {
        "stream": stream,
        "unit": unit_shown(stream.unit_of_measurement),
        "start": start,
        "end": end,
        "points": points,
        "hourly": hourly,
        "rules": list(stream.rules.all()),
        "events": list(
            m.Event.objects.filter(rule__datastream_id=datastream_id).order_by("-raised_at")[:20]
        ),
    }


# Hourly series (the flood-risk forecast) ---------------------------------------------------


def datastreams_of_property(*, definition: str) -> list[int]:
    """The datastreams observing the property of this definition (a URI)."""
    return list(
        m.Datastream.objects.filter(observed_property__definition=definition).values_list(
            "pk", flat=True
        )
    )


def level_rules_of_property(*, definition: str) -> list[m.Rule]:
    """The active rules with a level over datastreams observing this property, lowest level
    of a datastream first."""
    return list(
        m.Rule.objects.filter(
            active=True, level__isnull=False, datastream__observed_property__definition=definition
        )
        .select_related("datastream__thing")
        .order_by("datastream_id", "level", "pk")
    )


def hourly_means(*, datastream_id: int, since: dt.datetime, until: dt.datetime) -> np.ndarray:
    """The mean reading of each hour from ``since`` (an hour's start) up to ``until``; NaN for
    an hour with no reading. Hours with no raw readings left take their hourly aggregate."""
    hours = int((until - since) / dt.timedelta(hours=1))
    sums, counts = np.zeros(hours), np.zeros(hours)
    raw = m.Observation.objects.filter(
        datastream_id=datastream_id,
        phenomenon_time__gte=since,
        phenomenon_time__lt=until,
        result_number__isnull=False,
    ).values_list("phenomenon_time", "result_number")
    rows = list(raw.iterator(chunk_size=10_000))
    if rows:
        index = np.array([int((at - since) / dt.timedelta(hours=1)) for at, _value in rows])
        np.add.at(sums, index, [value for _at, value in rows])
        np.add.at(counts, index, 1)
    aggregates = m.ObservationAggregate.objects.filter(
        datastream_id=datastream_id,
        period=m.ObservationAggregate.Period.HOUR,
        start__gte=since,
        start__lt=until,
    ).values_list("start", "mean")
    for start, mean in aggregates:
        index = int((start - since) / dt.timedelta(hours=1))
        if counts[index] == 0:
            sums[index], counts[index] = mean, 1
    with np.errstate(invalid="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
