"""Settings of the sensor ingest. Gathered by ``civic.settings``; imports nothing but
``core.config``."""

from __future__ import annotations

from civic.core.config import env

SENSORS_MQTT_URL = env(
    "CIVIC_SENSORS_MQTT_URL",
    default="mqtt://127.0.0.1:1883",
    help="The MQTT broker `civic sensors ingest` subscribes to (SensorThings MQTT extension).",
    group="Sensors",
)
SENSORS_MQTT_TOPIC = env(
    "CIVIC_SENSORS_MQTT_TOPIC",
    default="v1.1/+/Observations",
    help="The subscription: devices publish to v1.1/Datastreams(id)/Observations.",
    group="Sensors",
)
SENSORS_MQTT_CLIENT_ID = env(
    "CIVIC_SENSORS_MQTT_CLIENT_ID",
    default="civic-sensors-ingest",
    help="The ingester's MQTT client id; with a persistent session the broker keeps QoS 1 "
    "readings for it while it is down. One id per ingester process.",
    group="Sensors",
)
SENSORS_MQTT_PUBLISH = env(
    "CIVIC_SENSORS_MQTT_PUBLISH",
    default=False,
    kind=bool,
    help="Publish every stored observation (whichever way it came in) to "
    "v1.1/Datastreams(id)/Observations and v1.1/Observations on the broker, at QoS 0: the "
    "SensorThings MQTT extension's subscribe side. The ingester ignores these copies.",
    group="Sensors",
)
SENSORS_MQTT_PREFIX = env(
    "CIVIC_SENSORS_MQTT_PREFIX",
    default="",
    help="A topic prefix before v1.1/ for what Civic publishes (e.g. `havenstad/`), for a "
    "broker shared between installations; empty on a broker of its own.",
    group="Sensors",
)
SENSORS_MQTT_INFLIGHT = env(
    "CIVIC_SENSORS_MQTT_INFLIGHT",
    default=20,
    kind=int,
    help="QoS 1 messages the broker sends the ingester before it waits for acknowledgements "
    "(Mosquitto's max_inflight_messages, 20 unless configured): a batch is stored as soon as "
    "this many are waiting. Raise both together for more one-reading messages a second.",
    group="Sensors",
)
SENSORS_BATCH = env(
    "CIVIC_SENSORS_BATCH",
    default=2000,
    kind=int,
    help="Readings the MQTT ingester stores in one batch at most.",
    group="Sensors",
)
SENSORS_FLUSH_MS = env(
    "CIVIC_SENSORS_FLUSH_MS",
    default=200,
    kind=int,
    help="Milliseconds a reading waits at most for its batch to fill.",
    group="Sensors",
)
SENSORS_DEVICE_RATE = env(
    "CIVIC_SENSORS_DEVICE_RATE",
    default=50,
    kind=int,
    help="Readings per second one datastream may send over MQTT (a burst of as many is "
    "allowed); more are refused and counted as rate-limit.",
    group="Sensors",
)
SENSORS_WRITE_KEY = env(
    "CIVIC_SENSORS_WRITE_KEY",
    default="",
    help="The key devices and integrations give to write to /sta/v1.1/ (HTTP Basic password, "
    "any user name, or `Authorization: Bearer`). Empty: the API is read-only. Reads are open. "
    "MQTT writes are guarded by the broker's own access control.",
    group="Sensors",
)

SENSORS_RAW_RETENTION_DAYS = env(
    "CIVIC_SENSORS_RAW_RETENTION_DAYS",
    default=90,
    kind=int,
    help="Days raw readings are kept; older ones are summed up per hour and per day, then "
    "deleted (civic sensors retention, nightly).",
    group="Sensors",
)
SENSORS_HOURLY_RETENTION_DAYS = env(
    "CIVIC_SENSORS_HOURLY_RETENTION_DAYS",
    default=730,
    kind=int,
    help="Days hourly aggregates are kept; daily aggregates are kept for good.",
    group="Sensors",
)

SENSORS_ADVISORY_PURPOSE = env(
    "CIVIC_SENSORS_ADVISORY_PURPOSE",
    default="public-advisories",
    help="The purpose under which an advisory's delivery reads where its subscribers live "
    "(those who asked for warnings about their home area); its controller issues advisories.",
    group="Sensors",
)
SENSORS_CAP_SENDER = env(
    "CIVIC_SENSORS_CAP_SENDER",
    default="advisories@civic.invalid",
    help="The CAP 1.2 `sender` of every advisory: an address that names the issuing body "
    "uniquely, e.g. alerts@your-municipality.example.",
    group="Sensors",
)

#: Periodic work of the sensors app, for `celery -A civic beat`.
SENSORS_BEAT_SCHEDULE = {
    "sensors-retention-nightly": {
        "task": "civic.sensors.retention",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600.0},
    },
}
