"""The MQTT figures of the sensors benchmark: Mosquitto's own QoS 1 rate (a plain paho
publisher and subscriber) and `civic sensors ingest` storing one observation per message, on
topics and client ids of this run's own (the broker is shared).

At most 1,000 messages a burst: Mosquitto's default max_queued_messages (1,000) drops QoS 1
messages queued beyond it for a subscriber that lags, so a bigger burst measures the loss, not
the rate (docs/sensors.md)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import psycopg

from benchmarks.harness.paths import CIVIC
from benchmarks.harness.servers import Managed

HOST, PORT = "127.0.0.1", 1883
START = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)


def _payload(i: int) -> bytes:
    return json.dumps(
        {"phenomenonTime": (START + dt.timedelta(seconds=i)).isoformat(), "result": i * 0.01}
    ).encode()


def _publish_all(topic: str, n: int, port: int = PORT) -> None:
    device = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    device.max_inflight_messages_set(1000)
    device.connect(HOST, port)
    device.loop_start()
    last = None
    for i in range(n):
        last = device.publish(topic, _payload(i), qos=1)
    last.wait_for_publish(timeout=600)
    device.loop_stop()
    device.disconnect()


def broker_rate(n: int, port: int = PORT) -> float:
    """Messages/s from publish to a QoS 1 subscriber's callback, nothing stored."""
    topic = f"civic-bench-{uuid.uuid4().hex[:8]}/v1.1/Datastreams(1)/Observations"
    done, received = threading.Event(), [0]

    def arrived(client, userdata, message):
        received[0] += 1
        if received[0] == n:
            done.set()

    listener = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    listener.on_message = arrived
    listener.connect(HOST, port)
    listener.subscribe(topic, qos=1)
    listener.loop_start()
    time.sleep(0.5)
    began = time.perf_counter()
    _publish_all(topic, n, port)
    done.wait(timeout=120)  # Mosquitto drops past its queue: never wait for ever
    rate = received[0] / (time.perf_counter() - began)
    listener.loop_stop()
    listener.disconnect()
    return rate


def ingest_rate(
    n: int,
    *,
    env: dict[str, str],
    database_url: str,
    datastream: int,
    log: Path,
    port: int = PORT,
    inflight: int = 20,
) -> float:
    """Observations/s from publish (one per message, QoS 1) to stored by `civic sensors ingest`."""
    prefix, client_id = f"civic-bench-{uuid.uuid4().hex[:8]}", f"civic-bench-{uuid.uuid4().hex[:8]}"
    ingester = Managed(
        [str(CIVIC), "sensors", "ingest"],
        log=log,
        env={
            **env,
            "CIVIC_SENSORS_MQTT_TOPIC": f"{prefix}/v1.1/+/Observations",
            "CIVIC_SENSORS_MQTT_CLIENT_ID": client_id,
            "CIVIC_SENSORS_DEVICE_RATE": str(10**9),
            "CIVIC_SENSORS_MQTT_URL": f"mqtt://{HOST}:{port}",
            "CIVIC_SENSORS_MQTT_INFLIGHT": str(inflight),
        },
    )
    ingester.start()
    try:
        deadline = time.monotonic() + 60
        while "ingesting" not in (log.read_text() if log.exists() else ""):
            if time.monotonic() > deadline or not ingester.running():
                raise RuntimeError(f"civic sensors ingest did not start; see {log}")
            time.sleep(0.2)
        time.sleep(1)  # its subscription
        with psycopg.connect(database_url, autocommit=True) as conn:

            def stored() -> int:
                return conn.execute(
                    "SELECT count(*) FROM sensors_observation WHERE datastream_id = %s",
                    [datastream],
                ).fetchone()[0]

            began = time.perf_counter()
            _publish_all(f"{prefix}/v1.1/Datastreams({datastream})/Observations", n, port)
            deadline = time.monotonic() + 120
            while stored() < n and time.monotonic() < deadline:
                time.sleep(0.05)
            return stored() / (time.perf_counter() - began)
    finally:
        ingester.stop()
        cleaner = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True
        )
        cleaner.connect(HOST, port)
        cleaner.disconnect()


#: The broker settings docs/sensors.md recommends for the ingester (a private Mosquitto).
TUNED = """listener {port} 127.0.0.1
allow_anonymous true
persistence false
max_inflight_messages {inflight}
max_queued_messages 0
max_queued_bytes 268435456
set_tcp_nodelay true
"""


@contextlib.contextmanager
def tuned_broker(folder: Path, port: int, inflight: int) -> Iterator[int]:
    """A Mosquitto of the benchmark's own, configured for many in-flight QoS 1 messages."""
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "mosquitto.conf"
    conf.write_text(TUNED.format(port=port, inflight=inflight))
    broker = Managed(["/usr/sbin/mosquitto", "-c", str(conf)], env={}, log=folder / "mosquitto.log")
    broker.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
                break
            time.sleep(0.1)
        yield port
    finally:
        broker.stop()
