"""`civic sensors simulate`: the network's readings over a period, sent the way real devices
send them: into the store (the ingest function, as a backfill), to the MQTT broker (one JSON
list per datastream and batch, on ``v1.1/Datastreams(id)/Observations``) or over HTTP
(``CreateObservations`` with a dataArray). The same seed gives the same readings."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from civic.sensors.ingest import Reading, observations_ingest
from civic.sensors.simulation import weather
from civic.sensors.simulation.network import STATIONS, network_ensure

VIAS = ("store", "mqtt", "http")
KINDS = ("air", "river", "rain", "pedestrians", "traffic")
#: Readings sent together (one ingest call, one HTTP request, one MQTT message per datastream).
BATCH = 5_000


class SimulationError(ValueError):
    """Options that cannot be simulated: said in one line."""


@dataclass
class Outcome:
    readings: int = 0
    stored: int = 0
    refused: int = 0
    seconds: float = 0.0


def series(
    *,
    since: dt.datetime,
    until: dt.datetime,
    step_minutes: int,
    seed: int,
    kinds: tuple[str, ...] = KINDS,
    incident: dt.datetime | None = None,
) -> dict[tuple[str, str], tuple[list[dt.datetime], np.ndarray]]:
    """(station key, quantity key) -> (times, values) for the stations of ``kinds``."""
    if until <= since:
        raise SimulationError("--until must come after --since")
    if step_minutes < 1:
        raise SimulationError("--step must be at least one minute")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise SimulationError(f"unknown kind {unknown[0]!r}: choose from {', '.join(KINDS)}")
    p = weather.period(since, until, step_minutes)
    if not p.times:
        raise SimulationError("the period is shorter than one step")
    rng = np.random.default_rng(seed)
    rain = weather.rain(p, rng, incident)
    traffic = weather.traffic_rhythm(p)
    people = weather.people_rhythm(p)
    episode = weather.episodes(p, rng)
    out = {}
    for index, station in enumerate(STATIONS):
        own = np.random.default_rng([seed, index])  # a station's noise: its own stream
        if station.kind not in kinds:
            continue
        if station.kind == "river":
            values = {"water_level": weather.river_level(p, rain, own, station.scale)}
        elif station.kind == "rain":
            values = {"rainfall": weather.rain_gauge(rain)}
        elif station.kind == "air":
            values = {
                "pm25": weather.pm25(p, traffic, episode, rain, own, station.scale),
                "no2": weather.no2(p, traffic, episode, own, station.scale),
            }
        elif station.kind == "pedestrians":
            values = {"pedestrians": weather.counts(p, people, rain, own, 900 * station.scale)}
        else:
            values = {"vehicles": weather.counts(p, traffic, rain, own, 700 * station.scale)}
        for quantity, array in values.items():
            out[(station.key, quantity)] = (p.times, array)
    return out


def _readings(streams, ids) -> Iterator[Reading]:
    for key, (times, values) in streams.items():
        for at, value in zip(times, values.tolist(), strict=True):
            yield Reading(datastream_id=ids[key], phenomenon_time=at, result=value)


def _batches(items: Iterator[Reading]) -> Iterator[list[Reading]]:
    batch: list[Reading] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _wire(reading: Reading) -> dict:
    return {"phenomenonTime": reading.phenomenon_time.isoformat(), "result": reading.result}


def _send_mqtt(batches, url: str, prefix: str) -> tuple[int, int]:
    from urllib.parse import urlparse

    import paho.mqtt.client as mqtt

    parsed = urlparse(url)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883)
    client.loop_start()
    sent = 0
    try:
        for batch in batches:
            by_stream: dict[int, list[dict]] = {}
            for reading in batch:
                by_stream.setdefault(reading.datastream_id, []).append(_wire(reading))
            for stream, items in by_stream.items():
                info = client.publish(
                    f"{prefix}/Datastreams({stream})/Observations", json.dumps(items), qos=1
                )
                info.wait_for_publish(timeout=30)
                sent += len(items)
    finally:
        client.loop_stop()
        client.disconnect()
    return sent, 0  # what the ingester stores or refuses, it counts (civic sensors refusals)


def _send_http(batches, url: str, key: str) -> tuple[int, int]:
    stored = refused = 0
    token = base64.b64encode(f"simulator:{key}".encode()).decode()
    for batch in batches:
        by_stream: dict[int, list[list]] = {}
        for reading in batch:
            by_stream.setdefault(reading.datastream_id, []).append(
                [reading.phenomenon_time.isoformat(), reading.result]
            )
        body = [
            {
                "Datastream": {"@iot.id": stream},
                "components": ["phenomenonTime", "result"],
                "dataArray": rows,
            }
            for stream, rows in by_stream.items()
        ]
        request = urllib.request.Request(  # noqa: S310 (an operator's own URL)
            url.rstrip("/") + "/CreateObservations",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            links = json.loads(response.read())
        stored += sum(1 for link in links if not str(link).startswith("error"))
        refused += sum(1 for link in links if str(link).startswith("error"))
    return stored, refused


def simulate(
    *,
    since: dt.datetime,
    until: dt.datetime,
    step_minutes: int = 10,
    seed: int = 1,
    kinds: tuple[str, ...] = KINDS,
    incident: dt.datetime | None = None,
    via: str = "store",
    url: str = "",
    key: str = "",
    topic_prefix: str = "v1.1",
) -> Outcome:
    """Make the network where missing, then send its readings for the period ``via`` the
    store, MQTT (``url``: the broker; topics under ``topic_prefix``) or HTTP (``url``: the
    /sta/v1.1/ root, ``key``: the write key)."""
    if via not in VIAS:
        raise SimulationError(f"unknown way {via!r}: choose from {', '.join(VIAS)}")
    if via == "http" and not key:
        raise SimulationError("--via http needs the API's write key (--key)")
    streams = series(
        since=since, until=until, step_minutes=step_minutes, seed=seed, kinds=kinds,
        incident=incident,
    )  # fmt: skip
    ids = network_ensure()
    began = time.perf_counter()
    outcome = Outcome(readings=sum(len(times) for times, _values in streams.values()))
    batches = _batches(_readings(streams, ids))
    if via == "store":
        for batch in batches:
            result = observations_ingest(readings=batch)
            outcome.stored += sum(1 for i in result.ids if i is not None)
            outcome.refused += sum(result.refused.values())
    elif via == "mqtt":
        outcome.stored, outcome.refused = _send_mqtt(
            batches, url or "mqtt://127.0.0.1:1883", topic_prefix
        )
    else:
        outcome.stored, outcome.refused = _send_http(batches, url, key)
    outcome.seconds = time.perf_counter() - began
    return outcome
