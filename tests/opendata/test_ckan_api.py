"""CKAN's Action API as CKAN clients call it: the envelope, every read action, search with
CKAN's fq, sort and facets, paging past 1,000 rows, and CKAN's errors."""

from __future__ import annotations

import json

import pytest

from tests.opendata.builders import catalogue_published, datasets_many

pytestmark = pytest.mark.django_db

POPULATION = "population-by-neighbourhood-age-sex"


def call(client, action, method="get", **params):
    if method == "post":
        response = client.post(
            f"/api/3/action/{action}", data=json.dumps(params), content_type="application/json"
        )
    else:
        response = client.get(f"/api/3/action/{action}", params)
    return response.status_code, response.json()


def test_status_show_answers_in_ckans_envelope(client):
    status, body = call(client, "status_show")
    assert status == 200
    assert body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=status_show")
    assert body["result"]["ckan_version"].startswith("2.")


def test_package_list_and_show_give_every_published_dataset(client):
    catalogue_published()
    _status, listed = call(client, "package_list")
    assert listed["result"] == sorted(
        [
            POPULATION,
            "households-by-size",
            "businesses-by-activity",
            "sensor-daily-summaries",
            "service-volumes",
            "service-processing-times",
            "service-kpis",
            "service-prefilled-answers",
            "form-step-drop-off",
            "service-satisfaction",
            "proactive-offers-taken-up",
            "algorithm-register",
        ]
    )
    status, shown = call(client, "package_show", method="post", id=POPULATION)
    assert status == 200
    package = shown["result"]
    assert package["organization"]["name"] == "havenstad"
    assert {r["format"] for r in package["resources"]} == {"CSV", "JSON", "PARQUET"}
    assert package["license_id"] == "cc-by-4.0"
    # The same dataset by its CKAN id, and at the unversioned path.
    again = client.get("/api/action/package_show", {"id": package["id"]}).json()
    assert again["result"]["name"] == POPULATION


def test_an_unknown_dataset_is_ckans_not_found_error(client):
    status, body = call(client, "package_show", id="no-such-dataset")
    assert status == 404
    assert body["success"] is False
    assert body["error"]["__type"] == "Not Found Error"


def test_an_unknown_action_is_a_bad_request(client):
    status, body = call(client, "package_create", name="x")
    assert status == 400
    assert body["error"]["message"] == "Bad request - Action name not known: package_create"


def test_a_malformed_query_is_refused_not_ignored(client):
    status, body = call(client, "package_search", fq="author:someone")
    assert status == 400
    assert body["error"]["__type"] == "Search Query Error"
    status, body = call(client, "package_search", rows="many")
    assert status == 400
    assert "rows" in body["error"]["message"]
    status, body = call(client, "package_search", sort="colour asc")
    assert status == 400
    response = client.post(
        "/api/3/action/package_search", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Bad request - JSON Error")


def test_search_filters_by_organization_words_and_modification(client):
    catalogue_published()
    _s, by_org = call(client, "package_search", fq="organization:havenstad", rows=50)
    assert by_org["result"]["count"] == 12
    _s, none = call(client, "package_search", fq="-organization:havenstad")
    assert none["result"]["count"] == 0
    _s, words = call(client, "package_search", q="households")
    assert [p["name"] for p in words["result"]["results"]] == ["households-by-size"]
    _s, future = call(client, "package_search", fq="metadata_modified:[2999-01-01T00:00:00Z TO *]")
    assert future["result"]["count"] == 0
    _s, past = call(client, "package_search", fq="metadata_modified:[2000-01-01T00:00:00Z TO *]")
    assert past["result"]["count"] == 12


def test_search_sorts_and_counts_facets(client):
    catalogue_published()
    _s, body = call(
        client,
        "package_search",
        sort="name asc",
        **{"facet.field": json.dumps(["organization", "groups", "res_format"])},
    )
    result = body["result"]
    names = [p["name"] for p in result["results"]]
    assert names == sorted(names)
    assert result["facets"]["organization"] == {"havenstad": 12}
    assert result["facets"]["groups"] == {"soci": 2, "gove": 8, "econ": 1, "envi": 1}
    assert result["search_facets"]["res_format"]["items"][0]["count"] == 12


def test_search_pages_past_a_thousand_rows(client):
    datasets_many(1_050)
    _s, first = call(client, "package_search", rows=5000, sort="name asc")
    assert first["result"]["count"] == 1_050
    assert len(first["result"]["results"]) == 1000  # CKAN's rows_max
    _s, rest = call(client, "package_search", rows=1000, start=1000, sort="name asc")
    names = [p["name"] for p in rest["result"]["results"]]
    assert names == [f"extra-{i:05d}" for i in range(1000, 1050)]


def test_organizations_groups_and_resources(client):
    catalogue_published()
    _s, orgs = call(client, "organization_list")
    assert "havenstad" in orgs["result"] and "social-insurance-bank" in orgs["result"]
    _s, org = call(client, "organization_show", id="havenstad", include_datasets="true")
    assert org["result"]["package_count"] == 12
    assert len(org["result"]["packages"]) == 12
    status, missing = call(client, "organization_show", id="nobody")
    assert (status, missing["error"]["__type"]) == (404, "Not Found Error")
    _s, groups = call(client, "group_list")
    assert groups["result"] == ["econ", "envi", "gove", "soci"]
    _s, package = call(client, "package_show", id="households-by-size")
    csv = package["result"]["resources"][0]
    _s, resource = call(client, "resource_show", id=csv["id"])
    assert resource["result"]["url"] == csv["url"]
    assert client.get(csv["url"]).content.startswith(b"neighbourhood,household_size,households")
