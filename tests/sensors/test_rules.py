"""Rules over the readings as they are stored: a river past its high level for half an hour
raises one event that clears only below the lower level; a stuck or broken gauge is a fault,
never a level event; a rapid rise; and batches of any size give the same events."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.sensors import models as m
from civic.sensors.ingest import Reading, observations_ingest
from civic.sensors.simulation.network import RIVER_RULE
from civic.sensors.simulation.run import simulate

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def river_rule(**overrides) -> m.Rule:
    simulate(since=DAY, until=DAY + dt.timedelta(minutes=10), kinds=("river",))  # the network
    m.Observation.objects.all().delete()
    fields = {
        "name": "Havenbrug high water",
        "datastream": m.Datastream.objects.get(name="Water level Havenbrug"),
        **RIVER_RULE,
    }
    return m.Rule.objects.create(**{**fields, **overrides})


def send(rule: m.Rule, values: list[float], start=DAY, step=10, batch=1_000) -> None:
    readings = [
        Reading(rule.datastream_id, start + dt.timedelta(minutes=step * i), v)
        for i, v in enumerate(values)
    ]
    for i in range(0, len(readings), batch):
        observations_ingest(readings=readings[i : i + batch])


def events(rule: m.Rule) -> list[tuple]:
    return list(rule.events.order_by("raised_at").values_list("kind", "raised_at", "cleared_at"))


def test_a_downpour_raises_one_level_event_that_clears_below_the_lower_level():
    rule = river_rule()
    simulate(since=DAY, until=DAY + dt.timedelta(days=1), kinds=("river",),
             incident=DAY + dt.timedelta(hours=3))  # fmt: skip
    found = events(rule)
    assert [kind for kind, *_ in found] == ["level"]
    _kind, raised, cleared = found[0]
    readings = dict(rule.datastream.observations.values_list("phenomenon_time", "result_number"))
    first_above = min(t for t, v in readings.items() if v > 2.5)
    assert raised - first_above == dt.timedelta(minutes=30)  # above for the whole half hour
    assert readings[cleared] < 2.3 and cleared > raised
    # Between raising and clearing it dipped under 2.5 but not under 2.3 without clearing.
    event = rule.events.get()
    assert event.peak == max(readings.values()) > 3.0


def test_hovering_at_the_line_does_not_raise_and_clear_over_and_over():
    rule = river_rule()
    send(rule, [2.4, 2.6, 2.6, 2.6, 2.6, 2.45, 2.6, 2.45, 2.6, 2.6, 2.6, 2.6, 2.2, 2.1])
    assert [kind for kind, *_ in events(rule)] == ["level"]
    assert rule.events.get().cleared_at == DAY + dt.timedelta(minutes=120)


def test_a_stuck_gauge_above_the_line_is_a_fault_and_no_level_event():
    rule = river_rule(flatline_minutes=60)
    send(rule, [2.4] + [3.1] * 30)  # the gauge froze at 3.1 m for five hours
    kinds = [kind for kind, *_ in events(rule)]
    assert "fault" in kinds
    # The half hour above the line ended before the flatline was seen: one level event at
    # most, raised before the fault, and none while the fault is open.
    fault = rule.events.get(kind="fault")
    assert "no change for 60 minutes" in fault.reason and fault.cleared_at is None
    assert not rule.events.filter(kind="level", raised_at__gt=fault.raised_at).exists()


def test_an_impossible_reading_is_a_fault_not_a_flood():
    rule = river_rule()
    send(rule, [1.5, 1.6, 99.0, 99.0, 99.0, 99.0, 99.0, 1.6, 1.5])
    found = events(rule)
    assert [kind for kind, *_ in found] == ["fault"]
    assert rule.events.get().reason == "out of range: 99" and found[0][2] is not None


def test_a_gap_in_the_readings_is_a_fault_with_its_length():
    rule = river_rule()
    send(rule, [1.5, 1.5, 1.6])
    send(rule, [1.6, 1.7], start=DAY + dt.timedelta(hours=3))
    gap = rule.events.get(kind="fault")  # and no flatline across the silence
    assert gap.reason == "no reading for 160 minutes"


def test_a_rapid_rise_is_raised_and_clears_when_the_river_stops_rising():
    rule = river_rule(level=None, rise_per_hour=0.5)
    send(rule, [1.4, 1.5, 1.7, 1.9, 2.1, 2.2, 2.3, 2.3, 2.2, 2.1])
    assert [kind for kind, *_ in events(rule)] == ["rise"]
    assert rule.events.get().cleared_at is not None


@pytest.mark.parametrize("batch", [1, 7, 1_000])
def test_batches_of_any_size_give_the_same_events(batch):
    rule = river_rule()
    values = [1.4] * 6 + [2.6] * 5 + [2.4] * 3 + [2.2] * 2 + [2.7] * 6 + [2.0] * 3
    send(rule, values, batch=batch)
    assert [(k, r - DAY, c - DAY) for k, r, c in events(rule)] == [
        ("level", dt.timedelta(minutes=90), dt.timedelta(minutes=140)),
        ("level", dt.timedelta(minutes=190), dt.timedelta(minutes=220)),
    ]


def test_a_rule_that_fails_does_not_lose_the_readings(monkeypatch):
    rule = river_rule()

    def broken(first_new):
        raise RuntimeError("rule engine down")

    monkeypatch.setattr("civic.sensors.ingest.rules_evaluate", broken)
    send(rule, [2.6] * 6)
    assert rule.datastream.observations.count() == 6


def test_a_reading_unusual_for_its_hour_is_an_anomaly_and_a_usual_day_raises_none():
    rule = river_rule(level=None, valid_max=1_000.0, flatline_minutes=None, anomaly_deviations=8.0)
    rule.datastream = m.Datastream.objects.get(name="PM2.5 Centrum")
    rule.save()
    eight_days = DAY - dt.timedelta(days=8)
    simulate(since=eight_days, until=DAY + dt.timedelta(days=1), kinds=("air",), seed=3)
    assert not rule.events.filter(kind="anomaly").exists(), "eight usual days and a usual ninth"
    noon = DAY + dt.timedelta(days=1, hours=12)
    send(rule, [9.0, 140.0, 150.0, 10.0], start=noon)  # a fire nearby, then it is over
    anomaly = rule.events.get(kind="anomaly")
    assert anomaly.raised_at == noon + dt.timedelta(minutes=10)
    assert anomaly.cleared_at == noon + dt.timedelta(minutes=30)
    assert "140 against a usual" in anomaly.reason
