"""The query options and writes a client notices, through Django's test client (fast)."""

import datetime as dt

import pytest

from civic.sensors.ingest import Reading, observations_ingest
from civic.sensors.models import Datastream, Observation, Sensor

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    """A device with the write key."""
    settings.SENSORS_WRITE_KEY = "station-key"
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer station-key"
    return client


BASE = "/sta/v1.1"
THING = {
    "name": "Air station Markt",
    "description": "PM2.5 and NO2",
    "Locations": [
        {
            "name": "Markt",
            "description": "Square",
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [5.12, 52.09]},
        }
    ],
    "Datastreams": [
        {
            "name": "PM2.5",
            "description": "Fine dust",
            "observationType": "OM_Measurement",
            "unitOfMeasurement": {
                "name": "microgram per cubic metre",
                "symbol": "µg/m³",
                "definition": "ugm3",
            },
            "Sensor": {
                "name": "SDS011",
                "description": "Laser",
                "encodingType": "text/html",
                "metadata": "x",
            },
            "ObservedProperty": {"name": "PM2.5", "definition": "pm25", "description": "Fine dust"},
        }
    ],
}


@pytest.fixture
def datastream(client):
    assert client.post(f"{BASE}/Things", THING, content_type="application/json").status_code == 201
    ds = Datastream.objects.get()
    observations_ingest(
        readings=[
            Reading(
                datastream_id=ds.pk,
                phenomenon_time=dt.datetime(2026, 3, 1, h, tzinfo=dt.UTC),
                result=10 * h,
            )
            for h in range(1, 6)
        ]
    )
    return ds


def test_select_count_expand_and_orderby(client, datastream):
    page = client.get(
        f"{BASE}/Datastreams({datastream.pk})/Observations",
        {"$count": "true", "$top": "2", "$orderby": "result desc", "$select": "result"},
    ).json()
    assert page["@iot.count"] == 5
    assert [o["result"] for o in page["value"]] == [50, 40]
    assert set(page["value"][0]) == {"@iot.id", "@iot.selfLink", "result"}
    assert "$skip=2" in page["@iot.nextLink"]
    thing = client.get(
        f"{BASE}/Things",
        {
            "$expand": "Datastreams($select=name;$expand=Observations($top=1;$orderby=phenomenonTime desc))"
        },
    ).json()["value"][0]
    assert thing["Datastreams"][0]["Observations"][0]["result"] == 50
    summary = client.get(f"{BASE}/Datastreams({datastream.pk})").json()
    assert summary["phenomenonTime"] == "2026-03-01T01:00:00Z/2026-03-01T05:00:00Z"
    by_parent = client.get(
        f"{BASE}/Observations", {"$filter": "Datastream/name eq 'PM2.5' and result gt 30"}
    )
    assert [o["result"] for o in by_parent.json()["value"]] == [40, 50]


def test_patch_json_patch_and_delete(client, datastream):
    url = f"{BASE}/Datastreams({datastream.pk})"
    assert (
        client.patch(url, {"name": "PM2.5 Markt"}, content_type="application/json").json()["name"]
        == "PM2.5 Markt"
    )
    patched = client.patch(
        url,
        [{"op": "replace", "path": "/description", "value": "Fine dust, hourly"}],
        content_type="application/json-patch+json",
    )
    assert patched.json()["description"] == "Fine dust, hourly"
    sensor = Sensor.objects.get()
    refused = client.delete(f"{BASE}/Sensors({sensor.pk})")
    assert refused.status_code == 409 and "still used" in refused.json()["message"]
    assert client.delete(url).status_code == 200
    assert not Observation.objects.exists()
    assert client.get(url).status_code == 404


def test_a_post_under_a_datastream_links_the_observation(client, datastream):
    made = client.post(
        f"{BASE}/Datastreams({datastream.pk})/Observations",
        {"phenomenonTime": "2026-03-01T06:00:00Z", "result": "clear"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["result"] == "clear"
    foi = client.get(made["Location"] + "/FeatureOfInterest").json()
    assert foi["feature"]["coordinates"] == [5.12, 52.09]


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/Gadgets", {}, 404, "No entity set"),
        ("/Things(1)/Gadgets", {}, 404, "No Things(1)"),
        ("/Observations", {"$top": "many"}, 400, "whole number"),
        ("/Observations", {"$bogus": "1"}, 400, "Unknown query option"),
        ("/Observations", {"$filter": "colour eq 'red'"}, 400, "no property 'colour'"),
        ("/Observations", {"$orderby": "result sideways"}, 400, "asc or desc"),
    ],
)
def test_bad_requests_are_refused_with_a_message(client, path, params, status, words):
    answer = client.get(BASE + path, params)
    assert answer.status_code == status
    assert words in answer.json()["message"]


def test_a_thing_missing_its_name_is_refused(client):
    answer = client.post(
        f"{BASE}/Things", {"description": "nameless"}, content_type="application/json"
    )
    assert answer.status_code == 400 and "name is required" in answer.json()["message"]


def test_the_operator_sees_the_refusals(datastream):
    from io import StringIO

    from django.core.management import call_command

    observations_ingest(
        readings=[
            Reading(
                datastream_id=datastream.pk,
                phenomenon_time=dt.datetime(2026, 3, 1, 1, tzinfo=dt.UTC),
                result=1,
            ),
            Reading(
                datastream_id=424242,
                phenomenon_time=dt.datetime(2026, 3, 1, 1, tzinfo=dt.UTC),
                result=1,
            ),
        ]
    )
    out = StringIO()
    call_command("sensors", "refusals", stdout=out)
    assert out.getvalue().splitlines() == [
        f"Datastreams({datastream.pk})\tduplicate\t1",
        "unknown\tunknown-datastream\t1",
    ]
