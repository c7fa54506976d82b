"""Observations by month: on PostgreSQL each reading lands in its month's partition (a query
for a day reads one), and retention drops a month wholly past the raw retention instead of
deleting its rows, its figures kept as aggregates; SQLite keeps one table and deletes. Either
way the API reads the same readings and retention leaves the same figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from civic.sensors import models as m
from civic.sensors import retention
from civic.sensors.partitions import partitions_list
from civic.sensors.simulation.run import simulate

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 5, 3, 0, tzinfo=dt.UTC)
AUGUST = dt.datetime(2026, 8, 30, tzinfo=dt.UTC)  # two days of August, one of September


def _where() -> dict[str, int]:
    """Readings per table they are stored in."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT 'sensors_observation', count(*) FROM sensors_observation")
        else:
            cursor.execute(
                "SELECT tableoid::regclass::text, count(*) FROM sensors_observation GROUP BY 1"
            )
        return dict(cursor.fetchall())


def test_readings_land_in_their_months_and_an_expired_month_is_dropped_whole(client):
    simulate(since=AUGUST, until=AUGUST + dt.timedelta(days=3), kinds=("river",), seed=2)
    stream = m.Datastream.objects.get(name="Water level Havenbrug")
    where = _where()
    if connection.vendor == "postgresql":
        assert where == {
            "sensors_observation_p2026_08": 2 * 2 * 144,
            "sensors_observation_p2026_09": 2 * 144,
        }
        assert {"sensors_observation_p2026_08", "sensors_observation_default"} <= set(
            partitions_list()
        )
    else:
        assert where == {"sensors_observation": 3 * 2 * 144} and partitions_list() == {}
    day = client.get(
        f"/sta/v1.1/Datastreams({stream.pk})/Observations?$count=true&$top=1&$filter="
        "phenomenonTime ge 2026-08-31T00:00:00Z and phenomenonTime lt 2026-09-01T00:00:00Z"
    ).json()
    assert day["@iot.count"] == 144

    outcome = retention.retention_run(now=NOW)  # raw cutoff: 6 September
    assert outcome.raw_deleted == 3 * 2 * 144
    assert m.Observation.objects.count() == 0
    assert m.ObservationAggregate.objects.filter(period="day").count() == 3 * 2
    if connection.vendor == "postgresql":  # August went whole; September's rows were deleted
        assert "sensors_observation_p2026_08" not in partitions_list()
        assert "sensors_observation_p2026_09" in partitions_list()


def test_more_readings_of_a_month_go_to_the_same_partition_after_a_restart():
    simulate(since=AUGUST, until=AUGUST + dt.timedelta(hours=1), kinds=("river",), seed=2)
    from civic.sensors import partitions

    partitions._known.clear()  # a new process knows nothing of the partitions made
    simulate(
        since=AUGUST + dt.timedelta(hours=1),
        until=AUGUST + dt.timedelta(hours=2),
        kinds=("river",),
        seed=2,
    )
    where = _where()
    assert sum(where.values()) == 2 * 2 * 6
    if connection.vendor == "postgresql":
        assert set(where) == {"sensors_observation_p2026_08"}


class _Undone(Exception):
    pass


def test_a_partition_made_in_a_transaction_that_rolled_back_is_made_again():
    from django.db import transaction

    from civic.sensors import partitions

    with pytest.raises(_Undone), transaction.atomic():
        simulate(since=AUGUST, until=AUGUST + dt.timedelta(hours=1), kinds=("river",), seed=2)
        raise _Undone  # the batch failed after its month's partition was made: both undone
    assert "sensors_observation_p2026_08" not in partitions._known
    simulate(since=AUGUST, until=AUGUST + dt.timedelta(hours=1), kinds=("river",), seed=2)
    where = _where()
    assert sum(where.values()) == 2 * 6
    if connection.vendor == "postgresql":  # in its month's partition, not the default one
        assert set(where) == {"sensors_observation_p2026_08"}
