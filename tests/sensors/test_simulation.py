"""`civic sensors simulate`: the demo city's network made once, realistic readings for a
period the same for the same seed, a downpour that takes the river past its high level and
back, sent into the store, over MQTT (the real Mosquitto) and over HTTP (CreateObservations)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from civic.sensors import models as m
from civic.sensors.mqtt import Ingester
from civic.sensors.simulation.network import STATIONS
from civic.sensors.simulation.run import series, simulate
from tests.conftest import eventually, require_service

SINCE = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
UNTIL = SINCE + dt.timedelta(days=1)
HIGH = 2.5  # metres: the river's high level in docs/sensors.md
STREAMS = sum(len(s.quantities) for s in STATIONS)


def test_the_same_seed_gives_the_same_readings_and_another_seed_others():
    one = series(since=SINCE, until=UNTIL, step_minutes=10, seed=7)
    again = series(since=SINCE, until=UNTIL, step_minutes=10, seed=7)
    other = series(since=SINCE, until=UNTIL, step_minutes=10, seed=8)
    assert len(one) == STREAMS
    assert all(np.array_equal(one[k][1], again[k][1]) for k in one)
    assert any(not np.array_equal(one[k][1], other[k][1]) for k in one)
    # A Monday: people on the Stationsplein peak in the morning and evening rush, not at 4 am.
    times, people = one[("ped-stationsplein", "pedestrians")]
    by_hour = {h: people[[t.hour == h for t in times]].sum() for h in (3, 7, 16)}
    assert by_hour[7] > 10 * by_hour[3] and by_hour[16] > 10 * by_hour[3]


@pytest.mark.django_db
def test_a_downpour_takes_the_river_past_its_high_level_for_hours_and_back(client):
    call_command(
        "sensors", "simulate", "--since", SINCE.isoformat(), "--until", UNTIL.isoformat(),
        "--incident", (SINCE + dt.timedelta(hours=3)).isoformat(),
    )  # fmt: skip
    assert m.Datastream.objects.count() == STREAMS
    assert m.Observation.objects.count() == STREAMS * 144
    river = m.Datastream.objects.get(name="Water level Havenbrug")
    levels = list(
        river.observations.order_by("phenomenon_time").values_list("result_number", flat=True)
    )
    above = [i for i, level in enumerate(levels) if level > HIGH]
    assert len(above) >= 18, "above the high level for three hours or more"
    assert above[0] > 18, "the river rises hours after the rain starts"
    assert levels[-1] < HIGH, "and falls back"
    answer = client.get(
        f"/sta/v1.1/Datastreams({river.pk})/Observations",
        {"$filter": f"result gt {HIGH}", "$count": "true", "$top": "1"},
    ).json()
    assert answer["@iot.count"] == len(above)


@pytest.mark.django_db
def test_a_second_run_writes_to_the_same_datastreams_and_repeats_are_refused():
    first = simulate(since=SINCE, until=SINCE + dt.timedelta(hours=2), kinds=("river",))
    again = simulate(since=SINCE, until=SINCE + dt.timedelta(hours=4), kinds=("river",))
    assert m.Datastream.objects.count() == STREAMS  # the network is made once
    assert (first.stored, first.refused) == (2 * 12, 0)
    assert (again.stored, again.refused) == (2 * 12, 2 * 12)  # the first two hours again


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--kinds", "weather"], "unknown kind 'weather'"),
        (["--since", "2026-12-02", "--until", "2026-12-01"], "--until must come after --since"),
        (["--since", "yesterday"], "--since 'yesterday' is not an ISO date"),
        (["--via", "http", "--url", "http://127.0.0.1:9"], "needs the API's write key"),
        (["--step", "0"], "at least one minute"),
    ],
)
def test_options_that_cannot_be_simulated_are_refused_and_nothing_is_made(arguments, said):
    with pytest.raises(CommandError, match=said):
        call_command("sensors", "simulate", *arguments)
    assert not m.Datastream.objects.exists() and not m.Observation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_readings_sent_over_mqtt_are_stored_by_the_ingester():
    require_service("Mosquitto", "127.0.0.1", 1883)
    prefix = f"civic-test-{uuid.uuid4().hex[:8]}"
    ingester = Ingester(topic=f"{prefix}/+/Observations", client_id=prefix, rate=10_000)
    stop = threading.Event()
    thread = threading.Thread(target=lambda: (ingester.run(stop), connection.close()))
    thread.start()
    try:
        assert eventually(lambda: ingester.client.is_connected())
        sent = simulate(
            since=SINCE, until=SINCE + dt.timedelta(hours=6), kinds=("river",), via="mqtt",
            topic_prefix=prefix,
        )  # fmt: skip
        assert sent.stored == 2 * 36
        assert eventually(lambda: m.Observation.objects.count() == 2 * 36, timeout=30)
    finally:
        stop.set()
        thread.join(timeout=20)


@pytest.mark.django_db(transaction=True)
def test_readings_sent_over_http_are_created_by_the_sta_api(live_server, settings):
    settings.SENSORS_WRITE_KEY = "simulator-key"
    sent = simulate(
        since=SINCE, until=SINCE + dt.timedelta(hours=6), kinds=("river",), via="http",
        url=f"{live_server.url}/sta/v1.1", key="simulator-key",
    )  # fmt: skip
    assert (sent.stored, sent.refused) == (2 * 36, 0)
    assert eventually(lambda: m.Observation.objects.count() == 2 * 36)
