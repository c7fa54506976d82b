"""`civic sensors ingest`: the SensorThings MQTT extension's create side. Devices publish an
observation (or a JSON list of them) to ``v1.1/Datastreams(id)/Observations``; the ingester
gathers them into batches for observations_ingest and acknowledges each QoS 1 message only
after its batch is stored, on a persistent session: if the ingester or the broker restarts,
the broker delivers what was not acknowledged again (duplicates are then refused by the store).

Per datastream a token bucket (CIVIC_SENSORS_DEVICE_RATE) keeps one flooding device from
crowding out the rest; readings over it, malformed ones and unknown datastreams are refused
and counted, and the stream goes on. The subscribe side (stored observations published for
clients) is publishing.py; its copies carry ``@iot.id`` and are ignored here."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import defaultdict
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import close_old_connections

from civic.sensors.entities import EntityError, interval_parse, time_parse
from civic.sensors.ingest import Reading, observations_ingest, refusals_count

_TOPIC = re.compile(r"Datastreams\((\d+)\)/Observations$")


class TokenBucket:
    def __init__(self, rate: float):
        self.rate = rate
        self.tokens: dict[int, float] = defaultdict(lambda: rate)
        self.stamp: dict[int, float] = {}

    def take(self, key: int, now: float) -> bool:
        last = self.stamp.get(key, now)
        self.stamp[key] = now
        self.tokens[key] = min(self.rate, self.tokens[key] + (now - last) * self.rate)
        if self.tokens[key] < 1:
            return False
        self.tokens[key] -= 1
        return True


def reading_from(datastream_id: int, item: object) -> Reading:
    if not isinstance(item, dict) or "result" not in item:
        raise EntityError("An observation is a JSON object with a result.")
    start, end = interval_parse(item.get("phenomenonTime"), "phenomenonTime")
    return Reading(
        datastream_id=datastream_id,
        phenomenon_time=start,
        phenomenon_time_end=end,
        result=item["result"],
        result_time=time_parse(item["resultTime"], "resultTime")
        if item.get("resultTime")
        else None,
        result_quality=item.get("resultQuality"),
        parameters=item.get("parameters"),
    )


class Ingester:
    def __init__(
        self,
        *,
        url: str | None = None,
        topic: str | None = None,
        client_id: str | None = None,
        rate: int | None = None,
        window: int | None = None,
    ):
        parsed = urlparse(url or settings.SENSORS_MQTT_URL)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 1883
        self.topic = topic or settings.SENSORS_MQTT_TOPIC
        self.bucket = TokenBucket(rate or settings.SENSORS_DEVICE_RATE)
        self.lock = threading.Lock()
        self.pending: list[Reading] = []
        self.to_ack: list[int] = []
        self.refused: dict[tuple[int | None, str], int] = defaultdict(int)
        self.stored = 0
        # The broker sends a QoS 1 subscriber only so many unacknowledged messages (Mosquitto:
        # max_inflight_messages, 20 by default: CIVIC_SENSORS_MQTT_INFLIGHT); waiting for the timer with the window full
        # would stall the stream, so a full window (or batch) wakes the flush at once.
        self.window = window or settings.SENSORS_MQTT_INFLIGHT
        self.wake = threading.Event()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id or settings.SENSORS_MQTT_CLIENT_ID,
            clean_session=False,
            manual_ack=True,
        )
        self.client.on_connect = self._connected
        self.client.on_message = self._message

    def _connected(self, client, userdata, flags, reason, properties):
        client.subscribe(self.topic, qos=1)

    def _message(self, client, userdata, message):
        with self.lock:
            self.to_ack.append(message.mid)
            self._take(message)
            if len(self.to_ack) >= self.window or len(self.pending) >= settings.SENSORS_BATCH:
                self.wake.set()

    def _take(self, message) -> None:
        match = _TOPIC.search(message.topic)
        if not match:
            self.refused[(None, "malformed")] += 1
            return
        ds = int(match[1])
        try:
            body = json.loads(message.payload)
            items = body if isinstance(body, list) else [body]
            if any(isinstance(item, dict) and "@iot.id" in item for item in items):
                return  # a stored observation published back (publishing.py), not a new one
            readings = [reading_from(ds, item) for item in items]
        except (ValueError, EntityError, TypeError):
            self.refused[(None, "malformed")] += 1
            return
        now = time.monotonic()
        for reading in readings:
            if self.bucket.take(ds, now):
                self.pending.append(reading)
            else:
                self.refused[(ds, "rate-limit")] += 1

    def flush(self) -> int:
        with self.lock:
            readings, self.pending = self.pending, []
            acks, self.to_ack = self.to_ack, []
            refused, self.refused = self.refused, defaultdict(int)
        if readings:
            outcome = observations_ingest(readings=readings)
            self.stored += outcome.created
        for (ds, reason), count in refused.items():
            refusals_count(datastream_id=ds, reason=reason, count=count)
        for mid in acks:  # stored (or refused and counted): the broker may forget them now
            self.client.ack(mid, 1)
        return len(readings)

    def run(self, stop: threading.Event) -> None:
        stop_wakes = threading.Thread(target=lambda: (stop.wait(), self.wake.set()), daemon=True)
        stop_wakes.start()
        self.client.connect(self.host, self.port, keepalive=30)
        self.client.loop_start()
        try:
            wait = settings.SENSORS_FLUSH_MS / 1000
            while not stop.is_set():
                self.wake.wait(wait)
                self.wake.clear()
                close_old_connections()
                self.flush()
            self.flush()
        finally:
            self.client.loop_stop()
            self.client.disconnect()
