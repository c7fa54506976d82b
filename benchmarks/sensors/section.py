"""Sensor ingest benchmark (issue 19): observations per second into PostgreSQL through the
SensorThings API's CreateObservations (dataArray over HTTP, ``civic serve``), through the
ingest service in process, and by raw COPY of the same rows, in the same run.
``python -m benchmarks --section sensors [--smoke]``

MQTT: see mqtt_rate.py. Each way writes ``observations`` readings to a datastream of its own, ``batch`` readings a
request (or a COPY); the HTTP client is one process posting one batch at a time. Writes the
"sensors" section of docs/benchmarks.md and benchmarks/results/sensors.json."""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import time
from typing import Any

import requests

from benchmarks.harness import context, report
from benchmarks.harness.django_call import ask
from benchmarks.harness.paths import CIVIC, POSTGRES_SERVER, ROOT
from benchmarks.harness.servers import WebServer, civic_env
from benchmarks.harness.targets import postgres_database_drop, postgres_database_ensure
from benchmarks.sensors.mqtt_rate import broker_rate, tuned_broker
from benchmarks.sensors.mqtt_rate import ingest_rate as mqtt_ingest_rate

NAME = "sensors"
SIDE = "benchmarks.sensors.django_side"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
WRITE_KEY = "benchmark-device-key"


def _http_rate(base: str, datastream: int, n: int, batch: int) -> float:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {WRITE_KEY}"
    began = time.perf_counter()
    for first in range(0, n, batch):
        rows = [
            [(START + dt.timedelta(seconds=i)).isoformat().replace("+00:00", "Z"), i * 0.01]
            for i in range(first, min(n, first + batch))
        ]
        answer = session.post(
            f"{base}/sta/v1.1/CreateObservations",
            timeout=300,
            json=[
                {
                    "Datastream": {"@iot.id": datastream},
                    "components": ["phenomenonTime", "result"],
                    "dataArray": rows,
                }
            ],
        )
        answer.raise_for_status()
        if "error" in answer.json():
            raise RuntimeError("the benchmark's readings were refused")
    return n / (time.perf_counter() - began)


def measure(sizes: dict[str, Any]) -> dict[str, Any]:
    run = context.current()
    name = run.database("sensors_bench")
    postgres_database_drop(name)  # a fresh table each run: the rates depend on its size
    postgres_database_ensure(name)
    url = f"{POSTGRES_SERVER}/{name}"
    env = civic_env(
        var_dir=run.var_dir(NAME),
        database_url=url,
        broker_url="amqp://guest:guest@127.0.0.1:5672//",
        CIVIC_SENSORS_WRITE_KEY=WRITE_KEY,
    )
    run.var_dir(NAME).mkdir(parents=True, exist_ok=True)
    subprocess.run([str(CIVIC), "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
    http_ds, ingest_ds, copy_ds, mqtt_ds, tuned_ds = ask(
        env, "datastreams_make", {"count": 5}, module=SIDE
    )
    n, batch = sizes["observations"], sizes["batch"]
    server = WebServer(
        env=env, port=run.port(8019), workers=2, threads=1, log=run.var_dir(NAME) / "serve.log"
    )
    server.start()
    try:
        server.wait_ready()
        http = _http_rate(server.base, http_ds, n, batch)
    finally:
        server.stop()
    spec = {"observations": n, "batch": batch}
    ingest = ask(env, "ingest_rate", {**spec, "datastream": ingest_ds}, module=SIDE)
    copy = ask(env, "copy_rate", {**spec, "datastream": copy_ds}, module=SIDE)
    messages = sizes["messages"]
    broker = broker_rate(messages)
    mqtt = mqtt_ingest_rate(
        messages,
        env=env,
        database_url=url,
        datastream=mqtt_ds,
        log=run.var_dir(NAME) / "ingest.log",
    )
    # The same on a Mosquitto set up as docs/sensors.md recommends (many messages in flight).
    tuned_messages, inflight = sizes["tuned_messages"], 1_000
    with tuned_broker(run.var_dir(NAME) / "broker", run.port(18830), inflight) as port:
        tuned_broker_rate = broker_rate(tuned_messages, port)
        tuned = mqtt_ingest_rate(
            tuned_messages,
            env=env,
            database_url=url,
            datastream=tuned_ds,
            log=run.var_dir(NAME) / "ingest-tuned.log",
            port=port,
            inflight=inflight,
        )
    return {
        "observations": n,
        "batch": batch,
        "http": http,
        "ingest": ingest,
        "copy": copy,
        "messages": messages,
        "broker": broker,
        "mqtt": mqtt,
        "tuned_messages": tuned_messages,
        "tuned_broker": tuned_broker_rate,
        "tuned": tuned,
        "inflight": inflight,
    }


def render(results: dict[str, Any]) -> str:
    f, machine = results["figures"], results["machine"]
    return "\n".join(
        [
            report.begin(NAME, "benchmarks/sensors/section.py"),
            "## Sensor ingest (issue 19)",
            "",
            f"Machine: {machine.get('cpu', '?')}; PostgreSQL {machine.get('postgresql', '?')}. "
            f"Date: {machine.get('date', '?')}; load average {machine.get('load_at_start', '?')} at start "
            "(the machine is shared). "
            f"{f['observations']:,} readings a way, {f['batch']:,} a request or COPY, the "
            "partitioned table (a month's partition) with its unique (datastream, phenomenonTime) index.",
            "",
            "| Way in | Observations/s | Share of raw COPY |",
            "|---|---:|---:|",
            f"| CreateObservations (dataArray) over HTTP, civic serve 2 workers | {f['http']:,.0f} | {f['http'] / f['copy']:.0%} |",
            f"| observations_ingest in process (checks, COPY, summary) | {f['ingest']:,.0f} | {f['ingest'] / f['copy']:.0%} |",
            f"| raw COPY of the same rows | {f['copy']:,.0f} | 100% |",
            "",
            f"MQTT at QoS 1, one observation per message, {f['messages']:,} messages: Mosquitto's own "
            f"rate (publisher to a plain paho subscriber, nothing stored) {f['broker']:,.0f} messages/s; "
            f"`civic sensors ingest` (publish to stored) {f['mqtt']:,.0f} observations/s, "
            f"{f['mqtt'] / f['broker']:.0%} of the broker's rate and {f['mqtt'] / f['copy']:.0%} of raw COPY.",
            "",
            f"The same on a Mosquitto of the benchmark's own set up as docs/sensors.md recommends "
            f"(max_inflight_messages {f['inflight']:,}, no queue limit, TCP_NODELAY), "
            f"{f['tuned_messages']:,} messages, the ingester acknowledging {f['inflight']:,} at a "
            f"time (CIVIC_SENSORS_MQTT_INFLIGHT): Mosquitto's own rate {f['tuned_broker']:,.0f} "
            f"messages/s; `civic sensors ingest` {f['tuned']:,.0f} observations/s, "
            f"{f['tuned'] / f['tuned_broker']:.0%} of the broker's rate.",
            "",
            "Goals (issue 19): 20,000 observations/s in batches (dataArray over HTTP); 5,000/s as one "
            "observation per MQTT message at QoS 1. The MQTT ingester acknowledges a message only "
            "once its batch is stored, and Mosquitto's default sends a QoS 1 subscriber at most 20 "
            "unacknowledged messages (max_inflight_messages), so with the default its batches are "
            "20 messages; with the broker set up for it they are up to a thousand.",
            report.end(NAME),
        ]
    )


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    return report.postgres_section(
        NAME,
        sizes,
        measure,
        render,
        lambda f: (
            f"HTTP {f['http']:,.0f}/s, ingest {f['ingest']:,.0f}/s, COPY {f['copy']:,.0f}/s, "
            f"MQTT {f['mqtt']:,.0f}/s (broker {f['broker']:,.0f}/s); tuned broker: MQTT "
            f"{f['tuned']:,.0f}/s (broker {f['tuned_broker']:,.0f}/s)"
        ),
    )
