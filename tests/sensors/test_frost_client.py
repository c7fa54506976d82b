"""The reference SensorThings client (frost-sta-client, as FROST-Server's users use it) drives
Civic's /sta/v1.1/ over real HTTP: create a Thing with its Location and Datastream, post
observations, list and page, filter, patch, delete."""

import datetime as dt

import frost_sta_client as fsc
import geojson
import pytest
import requests

from civic.sensors.models import Datastream, Refusal

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)


def _iso(t: dt.datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


KEY = "gauge-key-for-tests"


@pytest.fixture(autouse=True)
def write_key(settings):
    settings.SENSORS_WRITE_KEY = KEY


@pytest.fixture
def service(live_server):
    return fsc.SensorThingsService(
        live_server.url + "/sta/v1.1", auth_handler=fsc.AuthHandler("gauge", KEY)
    )


@pytest.fixture
def river(service):
    """A river gauge, made the way a FROST user makes one: one deep insert."""
    thing = fsc.Thing(
        name="River gauge Oude Brug",
        description="Water level under the old bridge",
        locations=[
            fsc.Location(
                name="Oude Brug",
                description="East bank",
                encoding_type="application/geo+json",
                location=geojson.Point((4.895, 52.370)),
            )
        ],
        datastreams=[
            fsc.Datastream(
                name="Water level",
                description="Metres above NAP",
                observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
                unit_of_measurement=fsc.UnitOfMeasurement(
                    name="metre", symbol="m", definition="http://qudt.org/vocab/unit/M"
                ),
                sensor=fsc.Sensor(
                    name="Radar gauge",
                    description="VEGAPULS",
                    encoding_type="application/pdf",
                    metadata="https://example.org/gauge.pdf",
                ),
                observed_property=fsc.ObservedProperty(
                    name="Water level",
                    description="Height of the river",
                    definition="https://example.org/water-level",
                ),
            )
        ],
    )
    service.create(thing)
    return service.things().find(thing.id)


def test_a_frost_client_creates_lists_pages_filters_patches_and_deletes(service, river):
    datastream = service.things().find(river.id).get_datastreams().query().list().get(0)
    for minutes in range(12):
        service.create(
            fsc.Observation(
                phenomenon_time=_iso(START + dt.timedelta(minutes=10 * minutes)),
                result=1.0 + minutes / 10,
                datastream=datastream,
            )
        )

    # Paged: five a page, the client follows @iot.nextLink to the end.
    pages = service.observations().query().top(5).list()
    assert [round(o.result, 1) for o in pages] == [round(1.0 + i / 10, 1) for i in range(12)]

    within = (
        service.observations()
        .query()
        .filter(f"phenomenonTime ge {_iso(START + dt.timedelta(minutes=30))} and result lt 1.6")
        .list()
    )
    assert [round(o.result, 1) for o in within] == [1.3, 1.4, 1.5]

    first = service.observations().query().orderby("phenomenonTime", "ASC").top(1).list().get(0)
    service.observations().patch(first, [{"op": "replace", "path": "/result", "value": 0.5}])
    assert service.observations().find(first.id).result == 0.5

    service.delete(first)
    assert len(list(service.observations().query().list())) == 11

    # The summary kept per batch: the latest reading and the time range.
    stored = Datastream.objects.get(pk=datastream.id)
    assert stored.latest_result == pytest.approx(2.1)
    assert stored.phenomenon_time_start == START


def test_the_service_document_lists_the_entity_sets_and_conformance(live_server):
    root = requests.get(live_server.url + "/sta/v1.1/", timeout=10).json()
    assert {v["name"] for v in root["value"]} >= {
        "Things",
        "Locations",
        "HistoricalLocations",
        "Datastreams",
        "Sensors",
        "ObservedProperties",
        "Observations",
        "FeaturesOfInterest",
    }
    assert any(c.endswith("create-update-delete") for c in root["serverSettings"]["conformance"])


def test_deep_insert_made_the_location_history_and_navigation_links(live_server, river):
    base = live_server.url + "/sta/v1.1"
    thing = requests.get(
        f"{base}/Things({river.id})?$expand=Locations,Datastreams($select=name)", timeout=10
    ).json()
    assert thing["Locations"][0]["location"]["coordinates"] == [4.895, 52.370]
    assert thing["Datastreams"][0]["name"] == "Water level"
    assert thing["HistoricalLocations@iot.navigationLink"].endswith(
        f"Things({river.id})/HistoricalLocations"
    )
    history = requests.get(thing["HistoricalLocations@iot.navigationLink"], timeout=10).json()
    assert len(history["value"]) == 1
    near = requests.get(
        f"{base}/Locations",
        timeout=10,
        params={"$filter": "geo.distance(location, geography'POINT(4.9 52.37)') lt 0.01"},
    ).json()
    far = requests.get(
        f"{base}/Locations",
        timeout=10,
        params={
            "$filter": "st_within(location, geography'POLYGON((5 52, 6 52, 6 53, 5 53, 5 52))')"
        },
    ).json()
    assert (len(near["value"]), len(far["value"])) == (1, 0)


def test_refusals_are_clear_and_counted(live_server, river):
    base = live_server.url + "/sta/v1.1"
    ds_id = requests.get(f"{base}/Things({river.id})/Datastreams", timeout=10).json()["value"][0][
        "@iot.id"
    ]

    broken = requests.post(
        f"{base}/Observations",
        data="{not json",
        timeout=10,
        auth=("gauge", KEY),
        headers={"Content-Type": "application/json"},
    )
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["message"]
    unknown = requests.get(f"{base}/Datastreams(999999)", timeout=10)
    assert unknown.status_code == 404 and unknown.json()["type"] == "error"
    bad_filter = requests.get(f"{base}/Observations", params={"$filter": "result lt"}, timeout=10)
    assert bad_filter.status_code == 400

    future = _iso(dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    answer = requests.post(
        f"{base}/CreateObservations",
        timeout=10,
        auth=("gauge", KEY),
        json=[
            {
                "Datastream": {"@iot.id": ds_id},
                "components": ["phenomenonTime", "result"],
                "dataArray": [
                    [_iso(START + dt.timedelta(hours=2)), 2.0],
                    [_iso(START + dt.timedelta(hours=1)), 1.5],  # out of order: accepted
                    [_iso(START + dt.timedelta(hours=1)), 1.6],  # duplicate instant: refused
                    [future, 9.9],  # future-dated: refused
                    ["yesterday", 1.0],  # malformed: refused
                ],
            },
            {
                "Datastream": {"@iot.id": 999999},
                "components": ["phenomenonTime", "result"],
                "dataArray": [[_iso(START), 1.0]],
            },
        ],
    )
    assert answer.status_code == 201
    links = answer.json()
    assert links[0].startswith(f"{base}/Observations(") and links[1].startswith(
        f"{base}/Observations("
    )
    assert links[2:] == ["error"] * 4
    counts = {(r.datastream_ref, r.reason): r.count for r in Refusal.objects.all()}
    assert counts == {
        (ds_id, "duplicate"): 1,
        (ds_id, "future"): 1,
        (ds_id, "malformed"): 1,
        (None, "unknown-datastream"): 1,
    }
    # Out of order left the latest value alone.
    assert Datastream.objects.get(pk=ds_id).latest_result == 2.0

    again = requests.post(
        f"{base}/Datastreams({ds_id})/Observations",
        timeout=10,
        auth=("gauge", KEY),
        json={"phenomenonTime": _iso(START + dt.timedelta(hours=2)), "result": 3},
    )
    assert again.status_code == 409
    assert Refusal.objects.get(datastream_ref=ds_id, reason="duplicate").count == 2


def test_writes_need_the_key(live_server, river, settings):
    base = live_server.url + "/sta/v1.1"
    assert requests.get(f"{base}/Things", timeout=10).status_code == 200  # reads are open
    anonymous = requests.delete(f"{base}/Things({river.id})", timeout=10)
    wrong = requests.delete(f"{base}/Things({river.id})", timeout=10, auth=("gauge", "guess"))
    assert (anonymous.status_code, wrong.status_code) == (401, 401)
    settings.SENSORS_WRITE_KEY = ""
    off = requests.delete(
        f"{base}/Things({river.id})", timeout=10, headers={"Authorization": f"Bearer {KEY}"}
    )
    assert off.status_code == 403 and "read-only" in off.json()["message"]
    settings.SENSORS_WRITE_KEY = KEY
    assert (
        requests.delete(
            f"{base}/Things({river.id})", timeout=10, headers={"Authorization": f"Bearer {KEY}"}
        ).status_code
        == 200
    )
