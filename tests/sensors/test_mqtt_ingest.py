"""`civic sensors ingest` against the real Mosquitto on 127.0.0.1:1883: devices publish to
v1.1/Datastreams(id)/Observations at QoS 1 and the readings land in the store in batches;
malformed messages and a flooding device are refused and counted, and the stream goes on."""

import datetime as dt
import json
import threading
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from django.db import connection

from civic.sensors import models as m
from civic.sensors.mqtt import Ingester
from tests.conftest import eventually

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


@pytest.fixture
def datastream():
    thing = m.Thing.objects.create(name="Counter Stationsplein", description="Pedestrians")
    return m.Datastream.objects.create(
        name="Pedestrians",
        description="per minute",
        observation_type="OM_CountObservation",
        unit_of_measurement={"symbol": "{people}"},
        thing=thing,
        sensor=m.Sensor.objects.create(
            name="Camera", description="", encoding_type="text/plain", metadata=""
        ),
        observed_property=m.ObservedProperty.objects.create(
            name="Count", definition="count", description=""
        ),
    )


def _running(ingester: Ingester) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()

    def work():
        try:
            ingester.run(stop)
        finally:
            connection.close()

    thread = threading.Thread(target=work)
    thread.start()
    assert eventually(ingester.client.is_connected, timeout=10)
    time.sleep(0.3)  # its subscription
    return thread, stop


@pytest.fixture
def ingester():
    """A running ingester on a topic tree and client id of its own (the broker is shared)."""
    prefix, client_id = f"civic-test-{uuid.uuid4().hex[:8]}", f"civic-test-{uuid.uuid4().hex[:8]}"
    ingester = Ingester(topic=f"{prefix}/v1.1/+/Observations", client_id=client_id, rate=20)
    thread, stop = _running(ingester)
    yield prefix, ingester
    stop.set()
    thread.join(timeout=20)
    # The persistent session would outlive the test on the shared broker: end it.
    cleaner = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    cleaner.connect("127.0.0.1", 1883)
    cleaner.disconnect()


def _publish(messages: list[tuple[str, object]]) -> None:
    device = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    device.connect("127.0.0.1", 1883)
    device.loop_start()
    for topic, payload in messages:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        device.publish(topic, body, qos=1).wait_for_publish(timeout=10)
    device.loop_stop()
    device.disconnect()


_wait_for = eventually


def _reading(minute: int, value: int) -> dict:
    return {"phenomenonTime": (START + dt.timedelta(minutes=minute)).isoformat(), "result": value}


def test_published_readings_are_stored_and_bad_ones_counted(ingester, datastream):
    prefix, _ = ingester
    topic = f"{prefix}/v1.1/Datastreams({datastream.pk})/Observations"
    _publish(
        [
            (topic, _reading(0, 12)),
            (topic, [_reading(1, 15), _reading(2, 9)]),  # many readings in one message
            (topic, b"{not json"),
            (f"{prefix}/v1.1/Things(1)/Observations", _reading(3, 1)),
            (topic, _reading(0, 12)),  # delivered twice: the store refuses the duplicate
        ]
    )
    assert _wait_for(lambda: m.Observation.objects.count() == 3)
    assert sorted(m.Observation.objects.values_list("result_number", flat=True)) == [9, 12, 15]
    counts = lambda: {(r.datastream_ref, r.reason): r.count for r in m.Refusal.objects.all()}  # noqa: E731
    assert _wait_for(lambda: counts() == {(None, "malformed"): 2, (datastream.pk, "duplicate"): 1})
    datastream.refresh_from_db()
    assert datastream.latest_result == 9  # the latest by phenomenonTime (minute 2)


def test_a_flooding_device_is_held_to_its_rate(ingester, datastream):
    prefix, _ = ingester
    topic = f"{prefix}/v1.1/Datastreams({datastream.pk})/Observations"
    _publish([(topic, [_reading(i, i) for i in range(100)])])  # a burst of 100 at 20/s

    def counted() -> tuple[int, int]:
        limited = m.Refusal.objects.filter(reason="rate-limit", datastream_ref=datastream.pk)
        return m.Observation.objects.count(), sum(limited.values_list("count", flat=True))

    assert _wait_for(lambda: sum(counted()) == 100), "every reading stored or refused"
    stored, _limited = counted()  # the ingester is idle now: nothing left to write
    assert 20 <= stored < 100


def test_readings_sent_while_the_ingester_is_down_arrive_when_it_is_back(datastream):
    """QoS 1 on a persistent session: the broker keeps what the ingester has not acknowledged."""
    prefix, client_id = f"civic-test-{uuid.uuid4().hex[:8]}", f"civic-test-{uuid.uuid4().hex[:8]}"
    topic = f"{prefix}/v1.1/Datastreams({datastream.pk})/Observations"

    def session(then):
        ingester = Ingester(topic=f"{prefix}/v1.1/+/Observations", client_id=client_id, rate=100)
        stop = threading.Event()
        thread = threading.Thread(target=lambda: (ingester.run(stop), connection.close()))
        thread.start()
        _wait_for(lambda: ingester.client.is_connected())
        time.sleep(0.3)
        then()
        stop.set()
        thread.join(timeout=20)

    session(
        lambda: (
            _publish([(topic, _reading(0, 1))])
            or _wait_for(lambda: m.Observation.objects.count() == 1)
        )
    )
    _publish([(topic, _reading(1, 2)), (topic, _reading(2, 3))])  # nobody listening
    session(lambda: _wait_for(lambda: m.Observation.objects.count() == 3))
    assert sorted(m.Observation.objects.values_list("result_number", flat=True)) == [1, 2, 3]
    cleaner = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    cleaner.connect("127.0.0.1", 1883)
    cleaner.disconnect()


def test_clients_subscribed_on_the_broker_get_every_stored_reading_and_the_ingester_ignores_them(
    ingester, datastream, settings, client
):
    """The subscribe side: a reading a device publishes and one posted over HTTP are both
    published back, as entities with their @iot.id, to the datastream's topic and to
    v1.1/Observations; the ingester, which hears the datastream's topic too, stores nothing
    twice and counts no duplicate."""
    prefix, _ = ingester
    settings.SENSORS_MQTT_PUBLISH, settings.SENSORS_MQTT_PREFIX = True, f"{prefix}/"
    settings.SENSORS_WRITE_KEY = "device-key"
    heard: dict[str, list[dict]] = {"stream": [], "all": []}
    listener = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    stream_topic = f"{prefix}/v1.1/Datastreams({datastream.pk})/Observations"

    def arrived(_client, _userdata, message):
        body = json.loads(message.payload)
        # The device's own message is on the datastream's topic too (one broker, one topic
        # tree): the stored observations are those with an @iot.id (docs/sensors.md).
        if "@iot.id" in body:
            heard["stream" if message.topic == stream_topic else "all"].append(body)

    listener.on_message = arrived
    listener.connect("127.0.0.1", 1883)
    listener.subscribe([(stream_topic, 0), (f"{prefix}/v1.1/Observations", 0)])
    listener.loop_start()
    time.sleep(0.3)
    try:
        _publish([(stream_topic, _reading(0, 12))])  # by a device, over MQTT
        assert _wait_for(lambda: len(heard["stream"]) == 1 and len(heard["all"]) == 1)
        posted = client.post(
            f"/sta/v1.1/Datastreams({datastream.pk})/Observations",
            data=json.dumps(_reading(1, 15)),
            content_type="application/json",
            headers={"Authorization": "Bearer device-key"},
        )
        assert posted.status_code == 201, posted.content
        assert _wait_for(lambda: len(heard["stream"]) == 2 and len(heard["all"]) == 2)
    finally:
        listener.loop_stop()
        listener.disconnect()
    first, second = heard["stream"]
    stored = dict(m.Observation.objects.values_list("result_number", "pk"))
    assert (first["result"], first["@iot.id"]) == (12, stored[12])
    assert second["result"] == 15 and second["@iot.selfLink"].endswith(f"({stored[15]})")
    assert second["phenomenonTime"] == "2026-03-01T00:01:00Z"
    time.sleep(0.5)  # the copies reached the ingester too: nothing more is stored or refused
    assert m.Observation.objects.count() == 2 and not m.Refusal.objects.exists()


@pytest.fixture
def own_broker():
    """A Mosquitto of the test's own, keeping sessions and queued messages on disk, so that
    the test may stop and start it."""
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    import shutil
    import tempfile
    from pathlib import Path

    # Mosquitto started as root saves its state as user mosquitto: a folder it can reach.
    folder = Path(tempfile.mkdtemp(prefix="civic-test-mosquitto-"))
    folder.chmod(0o777)
    conf = folder / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
        f"persistence_location {folder}/\nautosave_interval 1\n"
    )

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            ["/usr/sbin/mosquitto", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        return process

    running = {"broker": start()}

    def restart(pause: float = 1.0) -> None:
        running["broker"].terminate()  # SIGTERM: Mosquitto saves its state as it stops
        running["broker"].wait(timeout=10)
        time.sleep(pause)
        running["broker"] = start()

    yield port, restart
    running["broker"].terminate()
    running["broker"].wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


def test_ingest_resumes_without_loss_after_the_broker_restarts(own_broker, datastream):
    """Readings the broker accepted while the ingester was away are kept for its persistent
    session through a broker restart, and stored when it is back; none is lost, none twice."""
    port, restart = own_broker
    client_id = f"civic-test-{uuid.uuid4().hex[:8]}"

    def ingester() -> Ingester:
        return Ingester(  # no rate limit: the queued 70 arrive as one burst
            url=f"mqtt://127.0.0.1:{port}",
            topic="v1.1/+/Observations",
            client_id=client_id,
            rate=10_000,
        )

    topic = f"v1.1/Datastreams({datastream.pk})/Observations"

    def publish(minutes: range) -> None:
        device = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        device.connect("127.0.0.1", port)
        device.loop_start()
        for minute in minutes:
            device.publish(topic, json.dumps(_reading(minute, minute)), qos=1).wait_for_publish(
                timeout=10
            )  # the broker has it (PUBACK)
        device.loop_stop()
        device.disconnect()

    thread, stop = _running(ingester())
    publish(range(50))
    assert _wait_for(lambda: m.Observation.objects.count() == 50)
    stop.set()
    thread.join(timeout=20)  # the ingester is away; its session stays on the broker
    publish(range(50, 120))
    restart()
    second = ingester()
    thread, stop = _running(second)
    try:
        assert _wait_for(lambda: m.Observation.objects.count() == 120, timeout=30)
    finally:
        stop.set()
        thread.join(timeout=20)
    stored = sorted(m.Observation.objects.values_list("result_number", flat=True))
    assert stored == list(range(120)) and not m.Refusal.objects.exists()
