"""The benchmark's Django side, called in a ``civic shell`` (harness.django_call.ask)."""

from __future__ import annotations

import datetime as dt
import time

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def datastreams_make(spec: dict) -> list[int]:
    from civic.sensors import models as m

    thing = m.Thing.objects.create(name="Benchmark station", description="")
    sensor = m.Sensor.objects.create(
        name="s", description="", encoding_type="text/plain", metadata=""
    )
    prop = m.ObservedProperty.objects.create(name="level", definition="level", description="")
    return [
        m.Datastream.objects.create(
            name=f"stream {i}",
            description="",
            observation_type="OM_Measurement",
            unit_of_measurement={"symbol": "m"},
            thing=thing,
            sensor=sensor,
            observed_property=prop,
        ).pk
        for i in range(spec["count"])
    ]


def ingest_rate(spec: dict) -> float:
    """observations_ingest in process, no HTTP: readings per second."""
    from civic.sensors.ingest import Reading, observations_ingest

    n, batch, ds = spec["observations"], spec["batch"], spec["datastream"]
    began = time.perf_counter()
    for first in range(0, n, batch):
        observations_ingest(
            readings=[
                Reading(
                    datastream_id=ds,
                    phenomenon_time=START + dt.timedelta(seconds=i),
                    result=i * 0.01,
                )
                for i in range(first, min(n, first + batch))
            ],
            now=START + dt.timedelta(days=3650),
        )
    return n / (time.perf_counter() - began)


def copy_rate(spec: dict) -> float:
    """Raw PostgreSQL COPY of the same rows into the same table (no checks, no summary)."""
    from django.db import connection, transaction

    n, batch, ds = spec["observations"], spec["batch"], spec["datastream"]
    began = time.perf_counter()
    for first in range(0, n, batch):
        with (
            transaction.atomic(),
            connection.connection.cursor() as cur,
            cur.copy(
                "COPY sensors_observation (datastream_id, phenomenon_time, result_number) FROM STDIN"
            ) as copy,
        ):
            for i in range(first, min(n, first + batch)):
                copy.write_row((ds, START + dt.timedelta(seconds=i), i * 0.01))
    return n / (time.perf_counter() - began)
