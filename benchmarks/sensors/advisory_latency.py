"""Advisory latency (issue 19): from a reading over a rule's line, published on MQTT, to the
warning in the inbox of every resident subscribed to the area, on the production stack:
PostgreSQL, `civic sensors ingest` on Mosquitto, the rule evaluated as the batch is stored, the
advisory issued at once and delivered by a Celery worker on RabbitMQ (the home area of each
home subscriber read through the exchange, logged). ``python -m benchmarks --section
advisories [--smoke]``

Each sample: one reading above the line (the alert: timed until the last subscriber's message
is stored) and one below (the all-clear, delivered before the next sample). Writes the
"advisories" section of docs/benchmarks.md and benchmarks/results/advisories.json."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
import uuid
from typing import Any

import paho.mqtt.client as mqtt
import psycopg

from benchmarks.harness import context, report
from benchmarks.harness.broker import SHARED_BROKER, own_instance
from benchmarks.harness.build import demo_build
from benchmarks.harness.django_call import ask
from benchmarks.harness.paths import CIVIC, POSTGRES_SERVER
from benchmarks.harness.servers import CeleryWorker, Managed
from benchmarks.harness.targets import UNLIMITED, Target

NAME = "advisories"
SIDE = "benchmarks.sensors.advisory_side"
HOST, PORT = "127.0.0.1", 1883


def _target() -> Target:
    run = context.current()
    url = f"{POSTGRES_SERVER}/{run.database('civic_bench_advisories')}"
    return Target("postgres", "PostgreSQL", run.var_dir("bench-advisories"), url)


def _wait_for(log, text: str, process: Managed, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while text not in (log.read_text() if log.exists() else ""):
        if time.monotonic() > deadline or not process.running():
            raise RuntimeError(f"{what} did not start; see {log}")
        time.sleep(0.2)


def _publish(client: mqtt.Client, topic: str, at: dt.datetime, value: float) -> None:
    payload = json.dumps({"phenomenonTime": at.isoformat(), "result": value})
    client.publish(topic, payload, qos=1).wait_for_publish(timeout=30)


def _delivered(conn, number: int, expected: int, timeout: float = 60) -> float | None:
    """Seconds until the ``number``-th advisory of the benchmark's rule (1-based, in issue
    order) has a message for each of ``expected`` residents; None if it never does."""
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        row = conn.execute(
            "SELECT a.identifier FROM sensors_advisory a JOIN sensors_event e ON e.id = a.event_id "
            "JOIN sensors_rule r ON r.id = e.rule_id WHERE r.name = 'Benchmark high water' "
            "AND a.state = 'issued' ORDER BY a.id OFFSET %s LIMIT 1",
            [number - 1],
        ).fetchone()
        if row is not None:
            count = conn.execute(
                "SELECT count(*) FROM notify_message WHERE reference = %s", [row[0]]
            ).fetchone()[0]
            if count >= expected:
                return time.perf_counter() - began
        time.sleep(0.01)
    return None


def measure(sizes: dict[str, Any]) -> dict[str, Any]:
    run = context.current()
    target = _target()
    target.recreate()
    with own_instance("advisories") as instance:
        env = target.env(
            CIVIC_DEBUG="false",
            CIVIC_NOTIFY_DELIVERY="celery",
            CIVIC_INSTANCE=instance,
            BROKER_URL=SHARED_BROKER,
            **UNLIMITED,
        )
        demo_build(target, residents=sizes["residents"], env=env)
        made = ask(env, "gauge_make", {"subscribers": sizes["subscribers"]}, module=SIDE)
        prefix = f"civic-bench-{uuid.uuid4().hex[:8]}"
        client_id = f"civic-bench-{uuid.uuid4().hex[:8]}"
        logs = run.var_dir(NAME)
        logs.mkdir(parents=True, exist_ok=True)
        worker = CeleryWorker(env=env, name=instance, concurrency=2, log=logs / "worker.log")
        ingester = Managed(
            [str(CIVIC), "sensors", "ingest"],
            env={
                **env,
                "CIVIC_SENSORS_MQTT_TOPIC": f"{prefix}/v1.1/+/Observations",
                "CIVIC_SENSORS_MQTT_CLIENT_ID": client_id,
            },
            log=logs / "ingest.log",
        )
        worker.start()
        ingester.start()
        device = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        try:
            _wait_for(logs / "worker.log", "ready", worker, "the Celery worker")
            _wait_for(logs / "ingest.log", "ingesting", ingester, "civic sensors ingest")
            time.sleep(1)  # the ingester's subscription
            device.connect(HOST, PORT)
            device.loop_start()
            topic = f"{prefix}/v1.1/Datastreams({made['datastream']})/Observations"
            alerts, clears = [], []
            at = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
            with psycopg.connect(target.database_url, autocommit=True) as conn:
                for sample in range(sizes["samples"]):
                    at += dt.timedelta(seconds=1)
                    began = time.perf_counter()
                    _publish(device, topic, at, 3.0)
                    waited = _delivered(conn, 2 * sample + 1, made["recipients"])
                    if waited is None:
                        raise RuntimeError(f"sample {sample}: the alert never reached everyone")
                    alerts.append(time.perf_counter() - began)
                    at += dt.timedelta(seconds=1)
                    began = time.perf_counter()
                    _publish(device, topic, at, 2.0)
                    if _delivered(conn, 2 * sample + 2, made["recipients"]) is None:
                        raise RuntimeError(f"sample {sample}: the all-clear never reached everyone")
                    clears.append(time.perf_counter() - began)
        finally:
            device.loop_stop()
            device.disconnect()
            ingester.stop()
            worker.stop()
            cleaner = mqtt.Client(
                mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True
            )
            cleaner.connect(HOST, PORT)
            cleaner.disconnect()
    return {
        "residents": sizes["residents"],
        "subscribers": made["subscribers"],
        "recipients": made["recipients"],
        "home": made["home"],
        "samples": len(alerts),
        "alert_seconds": alerts,
        "clear_seconds": clears,
    }


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


def render(results: dict[str, Any]) -> str:
    f, machine = results["figures"], results["machine"]
    alerts, clears = f["alert_seconds"], f["clear_seconds"]
    return "\n".join(
        [
            report.begin(NAME, "benchmarks/sensors/advisory_latency.py"),
            "## Advisory latency (issue 19)",
            "",
            f"Machine: {machine.get('cpu', '?')}; PostgreSQL {machine.get('postgresql', '?')}. "
            f"Date: {machine.get('date', '?')}; load average {machine.get('load_at_start', '?')} at start "
            "(the machine is shared). "
            f"The {f['residents']:,}-resident demo; {f['subscribers']:,} residents subscribed to "
            f"warnings ({f['home']:,} for their home area, the rest for a chosen neighbourhood), "
            f"{f['recipients']:,} of them in the gauge's area. From a reading over the line "
            "published on MQTT (QoS 1) to every recipient's inbox message stored: "
            "`civic sensors ingest`, the rule, the advisory issued at once, a Celery worker "
            "(2 processes, RabbitMQ) reading each home subscriber's address through the exchange "
            "and writing the messages. Each sample is an alert and its all-clear.",
            "",
            "| Message | Samples | Median | p95 | Max |",
            "|---|---:|---:|---:|---:|",
            f"| Alert (reading above the line) | {len(alerts)} | {statistics.median(alerts):.2f} s "
            f"| {_p(alerts, 95):.2f} s | {max(alerts):.2f} s |",
            f"| All-clear (reading below the lower line) | {len(clears)} | "
            f"{statistics.median(clears):.2f} s | {_p(clears, 95):.2f} s | {max(clears):.2f} s |",
            "",
            "Goal (issue 19): p95 under 5 s from the threshold-crossing reading to the resident's inbox.",
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
            f"alert p95 {_p(f['alert_seconds'], 95):.2f} s, all-clear p95 "
            f"{_p(f['clear_seconds'], 95):.2f} s to {f['recipients']:,} residents"
        ),
    )
