"""The SensorThings MQTT extension's subscribe side: each stored observation is published to
``v1.1/Datastreams(id)/Observations`` and ``v1.1/Observations`` (after
CIVIC_SENSORS_MQTT_PREFIX), as the entity the API would show, once the batch that stored it
commits; clients subscribe to either topic on the broker. At QoS 0: a subscriber that wants
every reading reads the API for the gap after a reconnect.

One publisher connection per process, made on first use. The copies carry ``@iot.id``, which a
device's new observation never has, so ``civic sensors ingest`` (subscribed to
``v1.1/+/Observations``) recognises and ignores them."""

from __future__ import annotations

import json
import logging
import threading
import time
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
from django.conf import settings

log = logging.getLogger(__name__)
_lock = threading.Lock()
_client: mqtt.Client | None = None


def _publisher() -> mqtt.Client:
    global _client
    with _lock:
        if _client is None:
            parsed = urlparse(settings.SENSORS_MQTT_URL)
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
            client.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883, keepalive=60)
            client.loop_start()
            # QoS 0 messages published before the broker's CONNACK are dropped by paho.
            deadline = time.monotonic() + 5
            while not client.is_connected() and time.monotonic() < deadline:
                time.sleep(0.01)
            _client = client
        return _client


def _when(at) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at else None


def observation_message(observation_id: int, reading) -> dict:
    """The observation as the API shows it (without its navigation links)."""
    start, end = _when(reading.phenomenon_time), _when(reading.phenomenon_time_end)
    return {
        "@iot.id": observation_id,
        "@iot.selfLink": f"/sta/v1.1/Observations({observation_id})",
        "phenomenonTime": f"{start}/{end}" if end else start,
        "resultTime": _when(reading.result_time),
        "result": reading.result,
        "resultQuality": reading.result_quality,
        "parameters": reading.parameters,
    }


def observations_publish(stored: list[tuple[int, object]]) -> int:
    """Publish (id, reading) pairs; a broker that is away costs the copies, never the
    readings (they are stored). Returns how many were handed to the broker."""
    if not stored:
        return 0
    prefix = settings.SENSORS_MQTT_PREFIX
    try:
        client = _publisher()
        for observation_id, reading in stored:
            payload = json.dumps(observation_message(observation_id, reading), default=str)
            client.publish(
                f"{prefix}v1.1/Datastreams({reading.datastream_id})/Observations", payload
            )
            client.publish(f"{prefix}v1.1/Observations", payload)
    except (OSError, ValueError) as error:
        log.warning("stored observations not published to the broker: %s", error)
        return 0
    return len(stored)
