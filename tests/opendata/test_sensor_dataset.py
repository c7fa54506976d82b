"""The sensor readings' daily summaries as an open dataset: per datastream and UTC day, the
numeric readings' count, minimum, maximum and mean, as stored through the ingest path."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from civic.core import clock
from civic.opendata.models import DatasetVersion
from civic.opendata.services import dataset_regenerate
from civic.sensors import models as m
from civic.sensors.ingest import Reading, observations_ingest

pytestmark = pytest.mark.django_db

NAME = "sensor-daily-summaries"


@pytest.fixture
def river():
    thing = m.Thing.objects.create(name="Gauge Havenbrug", description="River level")
    return m.Datastream.objects.create(
        name="River level Havenbrug",
        description="every ten minutes",
        observation_type="OM_Measurement",
        unit_of_measurement={"symbol": "m", "name": "metre"},
        thing=thing,
        sensor=m.Sensor.objects.create(
            name="Radar gauge", description="", encoding_type="text/plain", metadata=""
        ),
        observed_property=m.ObservedProperty.objects.create(
            name="Water level", definition="water-level", description=""
        ),
    )


def test_each_day_of_each_datastream_is_summarised_from_its_numeric_readings(river, client):
    # The summaries are per UTC day; between midnight here and midnight in UTC the local date
    # is a day ahead of the UTC one.
    today = clock.now().astimezone(dt.UTC).date()
    two_days_ago = dt.datetime.combine(today - dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC)
    yesterday = two_days_ago + dt.timedelta(days=1)
    readings = [
        Reading(river.pk, two_days_ago + dt.timedelta(hours=1), 1.0),
        Reading(river.pk, two_days_ago + dt.timedelta(hours=2), 2.0),
        Reading(river.pk, two_days_ago + dt.timedelta(hours=23, minutes=59), 4.5),
        Reading(river.pk, yesterday + dt.timedelta(hours=6), 3.25),
        Reading(river.pk, yesterday + dt.timedelta(hours=7), {"state": "maintenance"}),
        # Today is not complete yet: not in the summaries.
        Reading(river.pk, dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC), 9.0),
    ]
    result = observations_ingest(readings=readings)
    assert all(result.ids)

    version = dataset_regenerate(name=NAME)
    rows = DatasetVersion.objects.get(pk=version.pk).table["rows"]
    assert rows == [
        [river.pk, "River level Havenbrug", "Water level", "m", two_days_ago.date().isoformat(),
         3, 1.0, 4.5, 2.5],
        [river.pk, "River level Havenbrug", "Water level", "m", yesterday.date().isoformat(),
         1, 3.25, 3.25, 3.25],
    ]  # fmt: skip
    downloaded = client.get(f"/data/{NAME}/{NAME}.csv")
    assert downloaded.status_code == 200
    table = list(csv.DictReader(io.StringIO(downloaded.content.decode())))
    assert [(r["day"], r["observations"], r["mean"]) for r in table] == [
        (two_days_ago.date().isoformat(), "3", "2.5"),
        (yesterday.date().isoformat(), "1", "3.25"),
    ]


def test_without_readings_the_dataset_is_published_empty_and_its_page_says_so(client):
    version = dataset_regenerate(name=NAME)
    assert DatasetVersion.objects.get(pk=version.pk).table["rows"] == []
    page = client.get(f"/data/{NAME}/")
    assert page.status_code == 200


def test_the_utc_day_not_over_yet_is_left_out_when_the_local_date_is_already_the_next(
    river, monkeypatch
):
    # At 23:30 UTC it is 00:30 or 01:30 the next day in Amsterdam: the local "today" is a day
    # ahead, and the UTC day the readings are summarised by still has half an hour to go.
    utc_today = clock.now().astimezone(dt.UTC).date()
    moment = dt.datetime.combine(utc_today - dt.timedelta(days=1), dt.time(23, 30), tzinfo=dt.UTC)
    day_before = moment - dt.timedelta(days=1)
    observations_ingest(
        readings=[
            Reading(river.pk, day_before, 1.5),
            Reading(river.pk, moment - dt.timedelta(hours=1), 2.5),
        ]
    )
    monkeypatch.setattr(clock, "now", lambda: moment)
    monkeypatch.setattr(clock, "today", lambda: timezone.localdate(moment))
    assert clock.today() == moment.date() + dt.timedelta(days=1)

    version = dataset_regenerate(name=NAME)
    rows = DatasetVersion.objects.get(pk=version.pk).table["rows"]
    assert [(row[4], row[5]) for row in rows] == [(day_before.date().isoformat(), 1)]
