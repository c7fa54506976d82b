"""Retention of sensor readings: past the raw retention a day's readings are summed up per hour
and per day, then deleted, one day per transaction; a run stopped half-way loses nothing; the
hourly aggregates go after theirs, the daily ones stay, and the open dataset still has them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from civic.sensors import models as m
from civic.sensors import retention
from civic.sensors.selectors import daily_summaries
from civic.sensors.simulation.run import simulate

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)
OLD = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)  # 95 days before NOW, three days of it
RECENT = NOW - dt.timedelta(days=2)


@pytest.fixture
def readings():
    simulate(since=OLD, until=OLD + dt.timedelta(days=3), kinds=("river", "air"), seed=4)
    simulate(since=RECENT, until=RECENT + dt.timedelta(hours=6), kinds=("river", "air"), seed=4)
    return m.Observation.objects.count()


def _hourly_expected(day: dt.datetime) -> dict:
    """Each datastream's hours of ``day`` from the raw readings, as the test computes them."""
    out: dict = {}
    for stream, at, value in m.Observation.objects.filter(
        phenomenon_time__gte=day, phenomenon_time__lt=day + dt.timedelta(days=1)
    ).values_list("datastream_id", "phenomenon_time", "result_number"):
        out.setdefault((stream, at.replace(minute=0, second=0, microsecond=0)), []).append(value)
    return {key: (len(v), min(v), max(v), sum(v) / len(v)) for key, v in out.items()}


def test_old_days_are_summed_up_per_hour_and_day_then_deleted_and_recent_ones_kept(readings):
    streams = m.Datastream.objects.filter(observations__isnull=False).distinct().count()
    assert streams == 8  # 2 river gauges, 3 air stations x 2 quantities
    expected = _hourly_expected(OLD)
    outcome = retention.retention_run(now=NOW)
    assert outcome.days == [(OLD + dt.timedelta(days=d)).date() for d in range(3)]
    assert outcome.raw_deleted == 3 * 144 * streams
    assert m.Observation.objects.count() == readings - outcome.raw_deleted == 36 * streams
    hourly = {
        (a.datastream_id, a.start): (a.count, a.minimum, a.maximum, a.mean)
        for a in m.ObservationAggregate.objects.filter(period="hour", start__lt=OLD + dt.timedelta(days=1))
    }  # fmt: skip
    assert hourly.keys() == expected.keys()
    for key, (count, low, high, mean) in expected.items():
        assert hourly[key][:3] == (count, low, high) and hourly[key][3] == pytest.approx(mean)
    assert m.ObservationAggregate.objects.filter(period="day").count() == 3 * streams
    # The open dataset's daily summaries still have the retired days, from their aggregates.
    days = daily_summaries(since=OLD.date(), until=NOW.date())
    assert {s.day for s in days} == {*outcome.days, RECENT.date()}
    assert all(s.observations == 144 for s in days if s.day in outcome.days)


def test_a_dry_run_counts_and_changes_nothing(readings):
    outcome = retention.retention_run(now=NOW, dry_run=True)
    assert len(outcome.days) == 3 and outcome.raw_deleted > 0
    assert m.Observation.objects.count() == readings
    assert not m.ObservationAggregate.objects.exists()


def test_a_run_stopped_half_way_loses_nothing_and_the_next_finishes(readings, monkeypatch):
    clean = _hourly_expected(OLD + dt.timedelta(days=1))
    real, calls = retention._day_retire, []

    def failing(day):
        calls.append(day)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(day)

    monkeypatch.setattr(retention, "_day_retire", failing)
    with pytest.raises(RuntimeError):
        retention.retention_run(now=NOW)
    # The first day is retired whole; the second and third are as they were.
    assert m.ObservationAggregate.objects.filter(period="day").dates("start", "day").count() == 1
    second = OLD + dt.timedelta(days=1)
    assert m.Observation.objects.filter(phenomenon_time__gte=second).count() > 0
    assert _hourly_expected(second) == clean
    monkeypatch.setattr(retention, "_day_retire", real)
    again = retention.retention_run(now=NOW)
    assert len(again.days) == 2
    assert not m.Observation.objects.filter(phenomenon_time__lt=RECENT).exists()
    assert m.ObservationAggregate.objects.filter(period="day").count() == 3 * 8


def test_hourly_aggregates_go_after_their_retention_and_daily_ones_stay(readings, settings):
    retention.retention_run(now=NOW)
    settings.SENSORS_HOURLY_RETENTION_DAYS = 30
    later = retention.retention_run(now=NOW)
    assert later.hourly_deleted == 3 * 24 * 8
    assert not m.ObservationAggregate.objects.filter(period="hour").exists()
    assert m.ObservationAggregate.objects.filter(period="day").count() == 3 * 8


def test_the_command_and_the_nightly_task_run_it(readings, settings):
    from civic.sensors.tasks import retention_task

    assert "sensors-retention-nightly" in settings.CELERY_BEAT_SCHEDULE
    call_command("sensors", "retention", "--dry-run")
    assert m.Observation.objects.count() == readings
    result = retention_task.apply().get()
    assert result["days"] >= 3 and result["raw_deleted"] >= 3 * 144 * 8
