"""OpenFisca's Web API for the rule package at /api/rules/v1/, behind Civic's API client
authentication: the answers of `openfisca serve`, refusals as problem+json."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from civic.identity import services as identity
from civic.identity.models import Agency

pytestmark = pytest.mark.django_db

SITUATION = {
    "persons": {
        "parent": {"birth_date": {"ETERNITY": "1985-03-01"}, "income": {"2025": 20000}},
        "child": {"birth_date": {"ETERNITY": "2019-06-01"}, "income": {"2025": 0}},
    },
    "households": {
        "home": {
            "adults": ["parent"],
            "children": ["child"],
            "school_clothing_grant_amount": {"2026": None},
        }
    },
}


@pytest.fixture
def api(db):
    agency = Agency.objects.get_or_create(code="other-agency", defaults={"name": "Other"})[0]
    client, secret = identity.api_client_create(agency=agency, name="Benefits agency")
    token = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    return Client(HTTP_AUTHORIZATION=f"Basic {token}")


def test_calculate_computes_a_situation_with_the_same_law(api):
    answer = api.post("/api/rules/v1/calculate", SITUATION, content_type="application/json")
    assert answer.status_code == 200, answer.content
    amount = answer.json()["households"]["home"]["school_clothing_grant_amount"]["2026"]
    assert amount == 300  # one child at school age, income well below the limit


def test_trace_shows_what_the_computation_used(api):
    answer = api.post("/api/rules/v1/trace", SITUATION, content_type="application/json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert "school_clothing_grant_amount<2026>" in body["requestedCalculations"]
    assert any(key.startswith("school_clothing_grant.") for key in body["trace"]) or any(
        "school_clothing_grant" in str(step.get("parameters", {}))
        for step in body["trace"].values()
    )


def test_parameters_variables_entities_and_spec_are_listed(api):
    listed = api.get("/api/rules/v1/parameters").json()
    assert "school_clothing_grant.amount_per_child" in listed
    one = api.get("/api/rules/v1/parameter/school_clothing_grant.amount_per_child").json()
    assert one["values"]["2026-01-01"] == 300
    assert "school_clothing_grant_amount" in api.get("/api/rules/v1/variables").json()
    variable = api.get("/api/rules/v1/variable/school_clothing_grant_amount").json()
    assert variable["entity"] == "household"
    assert "household" in api.get("/api/rules/v1/entities").json()
    spec = api.get("/api/rules/v1/spec").json()
    assert spec["servers"][0]["url"].endswith("/api/rules/v1/")
    assert "/calculate" in spec["paths"]


def test_refusals_are_problem_json(api):
    unknown = api.get("/api/rules/v1/variable/no_such_variable")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"
    broken = api.post(
        "/api/rules/v1/calculate",
        {"persons": {"a": {"no_such_variable": {"2026": 1}}}},
        content_type="application/json",
    )
    assert broken.status_code == 400
    assert broken["Content-Type"] == "application/problem+json"
    assert broken.json()["type"].endswith("situation-invalid")
    assert any("no_such_variable" in item for item in broken.json()["items"])


def test_without_credentials_nothing_is_computed():
    anonymous = Client()
    answer = anonymous.post("/api/rules/v1/calculate", SITUATION, content_type="application/json")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/problem+json"
    assert Client().get("/api/rules/v1/parameters").status_code == 401
    wrong = Client(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"nobody:wrong").decode())
    assert wrong.get("/api/rules/v1/variables").status_code == 401
