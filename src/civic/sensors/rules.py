"""Rules over sensor readings, evaluated in batches as readings are stored (ingest.py calls
``rules_evaluate`` after each batch commits; never a trigger per row).

A rule watches one datastream for:

- a **level** crossed: readings above ``level`` for ``duration_minutes`` raise an event, which
  clears only when a reading falls below ``clear_level`` (hysteresis: a value hovering at the
  line does not raise and clear over and over);
- a **rise**: the value climbing more than ``rise_per_hour`` within the last hour, cleared
  once the last hour's rise is under half that;
- an **anomaly** for the season: a reading further from the median of the same hour of the
  day over the previous four weeks than ``anomaly_deviations`` robust standard deviations
  (1.4826 × the median absolute deviation), with a week of that hour's history at least;
  cleared within half that;
- **faults**: a reading outside [valid_min, valid_max], the same value for
  ``flatline_minutes``, or no reading for ``gap_minutes``. A fault is an event of its own kind
  for the operator; while one is open (or on a faulty reading) no level or rise event is
  raised, so a stuck or broken sensor never becomes a public advisory.

Each batch is read again with enough of the readings before it (the longest duration, the
flatline and an hour) that a condition begun before the batch is judged whole; an event is
raised only at a reading of the batch, and never again for a time it already covered.

A rule may turn its events (never its faults) into public advisories (advisories/issuing.py),
drafted or issued in the same transaction as the event, and cancelled when it clears.
"""

from __future__ import annotations

import datetime as dt
import logging
import statistics
from dataclasses import dataclass

from django.db import transaction

from civic.sensors import models as m
from civic.sensors.advisories.issuing import (
    advisory_for_event_cleared,
    advisory_for_event_raised,
)

log = logging.getLogger(__name__)
HOUR = dt.timedelta(hours=1)


@dataclass
class _Fault:
    reason: str
    since: dt.datetime


#: The season an anomaly is judged against, and how much of it must be there.
SEASON, SEASON_DAYS_NEEDED = dt.timedelta(days=28), 7


def _season(rule: m.Rule, before: dt.datetime) -> dict[int, tuple[float, float]]:
    """Hour of the day (UTC) -> (median, robust standard deviation) of the four weeks of
    readings before ``before``, for hours with a week of days or more."""
    by_hour: dict[int, list[float]] = {}
    days: dict[int, set] = {}
    for at, value in m.Observation.objects.filter(
        datastream_id=rule.datastream_id,
        phenomenon_time__gte=before - SEASON,
        phenomenon_time__lt=before,
        result_number__isnull=False,
    ).values_list("phenomenon_time", "result_number"):
        by_hour.setdefault(at.hour, []).append(value)
        days.setdefault(at.hour, set()).add(at.date())
    out = {}
    for hour, values in by_hour.items():
        if len(days[hour]) < SEASON_DAYS_NEEDED:
            continue
        median = statistics.median(values)
        spread = 1.4826 * statistics.median(abs(v - median) for v in values)
        out[hour] = (median, spread)
    return out


def _lookback(rule: m.Rule) -> dt.timedelta:
    minutes = max(rule.duration_minutes or 0, rule.flatline_minutes or 0, rule.gap_minutes or 0)
    return dt.timedelta(minutes=minutes) + HOUR


def _out_of_range(rule: m.Rule, value: float) -> bool:
    return (rule.valid_min is not None and value < rule.valid_min) or (
        rule.valid_max is not None and value > rule.valid_max
    )


class _Scan:
    """One rule over its readings in time order, with the events open before the batch."""

    def __init__(self, rule: m.Rule, first_new: dt.datetime):
        self.rule, self.first_new = rule, first_new
        self.open = {e.kind: e for e in rule.events.filter(cleared_at__isnull=True)}
        # Readings up to the last time an event was raised or cleared were judged before.
        times = [t for pair in rule.events.values_list("raised_at", "cleared_at") for t in pair]
        self.covered_until = max((t for t in times if t is not None), default=None)
        self.above_since: dt.datetime | None = None
        self.same_since: tuple[float, dt.datetime] | None = None
        self.history: list[tuple[dt.datetime, float]] = []
        self.previous: dt.datetime | None = None
        self.season = _season(rule, first_new - _lookback(rule)) if rule.anomaly_deviations else {}

    def _new(self, at: dt.datetime) -> bool:
        """A reading of this batch, after anything an event already covered."""
        return at >= self.first_new and (self.covered_until is None or at > self.covered_until)

    def _raise(self, kind: str, reason: str, started: dt.datetime, at: dt.datetime, value):
        self.open[kind] = event = m.Event.objects.create(
            rule=self.rule, kind=kind, reason=reason, started_at=started, raised_at=at, peak=value
        )
        advisory_for_event_raised(event=event)

    def _clear(self, kind: str, at: dt.datetime) -> None:
        event = self.open.pop(kind)
        event.cleared_at = at
        event.save(update_fields=["cleared_at", "peak"])
        self.covered_until = max(self.covered_until or at, at)
        advisory_for_event_cleared(event=event)

    def _faulty(self, at: dt.datetime, value: float) -> _Fault | None:
        rule = self.rule
        if _out_of_range(rule, value):
            return _Fault(f"out of range: {value:g}", at)
        if self.same_since is None or self.same_since[0] != value:
            self.same_since = (value, at)
        elif rule.flatline_minutes and at - self.same_since[1] >= dt.timedelta(
            minutes=rule.flatline_minutes
        ):
            return _Fault(f"no change for {rule.flatline_minutes} minutes", self.same_since[1])
        return None

    def reading(self, at: dt.datetime, value: float) -> None:
        rule, new = self.rule, self._new(at)
        gap = (
            rule.gap_minutes
            and self.previous is not None
            and at - self.previous > dt.timedelta(minutes=rule.gap_minutes)
        )
        if gap:  # a flatline is the same value over readings that came, not across a silence
            self.same_since = None
        if gap and new and m.Event.Kind.FAULT not in self.open:
            gap = int((at - self.previous).total_seconds() // 60)
            m.Event.objects.create(
                rule=rule,
                kind=m.Event.Kind.FAULT,
                reason=f"no reading for {gap} minutes",
                started_at=self.previous,
                raised_at=at,
                cleared_at=at,
            )
        self.previous = at
        fault = self._faulty(at, value)
        if fault is not None:
            if new and m.Event.Kind.FAULT not in self.open:
                self._raise(m.Event.Kind.FAULT, fault.reason, fault.since, at, value)
            self.above_since = None  # a faulty reading says nothing about the level
            return
        if m.Event.Kind.FAULT in self.open and new:
            self._clear(m.Event.Kind.FAULT, at)
        self._level(at, value, new)
        self._rise(at, value, new)
        self._anomaly(at, value, new)

    def _anomaly(self, at: dt.datetime, value: float, new: bool) -> None:
        rule, usual = self.rule, self.season.get(at.hour)
        if usual is None:
            return
        median, spread = usual
        distance = abs(value - median) / max(spread, 1e-9)
        event = self.open.get(m.Event.Kind.ANOMALY)
        if event is None and distance > rule.anomaly_deviations and new:
            reason = f"{value:g} against a usual {median:g} at this hour"
            self._raise(m.Event.Kind.ANOMALY, reason, at, at, value)
        elif event is not None and at > event.raised_at and distance < rule.anomaly_deviations / 2:
            self._clear(m.Event.Kind.ANOMALY, at)

    def _level(self, at: dt.datetime, value: float, new: bool) -> None:
        rule = self.rule
        if rule.level is None:
            return
        event = self.open.get(m.Event.Kind.LEVEL)
        if event is not None:
            if at <= event.raised_at:
                return
            event.peak = max(event.peak if event.peak is not None else value, value)
            clear = rule.clear_level if rule.clear_level is not None else rule.level
            if value < clear:
                self._clear(m.Event.Kind.LEVEL, at)
                self.above_since = None
            else:
                event.save(update_fields=["peak"])
            return
        if value <= rule.level:
            self.above_since = None
            return
        self.above_since = self.above_since or at
        lasted = at - self.above_since >= dt.timedelta(minutes=rule.duration_minutes)
        if lasted and new and m.Event.Kind.FAULT not in self.open:
            reason = f"above {rule.level:g} for {rule.duration_minutes} minutes"
            self._raise(m.Event.Kind.LEVEL, reason, self.above_since, at, value)

    def _rise(self, at: dt.datetime, value: float, new: bool) -> None:
        rule = self.rule
        self.history = [(t, v) for t, v in self.history if at - t <= HOUR] + [(at, value)]
        if rule.rise_per_hour is None or len(self.history) < 2:
            return
        rise = value - self.history[0][1]
        event = self.open.get(m.Event.Kind.RISE)
        if event is None and rise > rule.rise_per_hour and new:
            reason = f"rose {rise:.2f} within an hour"
            self._raise(m.Event.Kind.RISE, reason, self.history[0][0], at, value)
        elif event is not None and at > event.raised_at and rise < rule.rise_per_hour / 2:
            self._clear(m.Event.Kind.RISE, at)


def rules_evaluate(first_new: dict[int, dt.datetime]) -> int:
    """Evaluate the active rules of the datastreams that got readings (datastream id -> the
    earliest new reading's time); returns how many events were raised."""
    raised = 0
    for rule in m.Rule.objects.filter(active=True, datastream_id__in=first_new):
        since = first_new[rule.datastream_id]
        with transaction.atomic():
            before = rule.events.count()
            scan = _Scan(rule, since)
            readings = (
                m.Observation.objects.filter(
                    datastream_id=rule.datastream_id,
                    phenomenon_time__gte=since - _lookback(rule),
                    result_number__isnull=False,
                )
                .order_by("phenomenon_time")
                .values_list("phenomenon_time", "result_number")
            )
            for at, value in readings.iterator(chunk_size=2_000):
                scan.reading(at, value)
            raised += rule.events.count() - before
    return raised
