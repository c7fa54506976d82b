"""Civic's API as a whole (src/civic/api.py): every refusal is problem+json, whoever makes it
(a handler, django-ninja or Django), and the OpenAPI document says so for every operation."""

from __future__ import annotations

import pytest
from django.test import Client

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
def document(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_documents_its_refusals_as_problem_json(document):
    for label, operation in operations(document):
        default = operation["responses"]["default"]["content"]
        assert default == {PROBLEM_JSON: {"schema": PROBLEM_REF}}, label
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])


def test_operations_with_input_or_credentials_document_400_and_401(document):
    query = dict(operations(document))["POST /api/exchange/v1/{register}/query"]
    assert query["responses"]["400"]["content"][PROBLEM_JSON]["schema"] == PROBLEM_REF
    assert query["responses"]["401"]["content"][PROBLEM_JSON]["schema"] == PROBLEM_REF
    keys = dict(operations(document))["GET /api/exchange/v1/log/keys"]
    assert "400" not in keys["responses"] and "401" not in keys["responses"]


def test_a_method_the_path_does_not_take_is_a_405_problem_naming_the_allowed_ones(client, db):
    response = client.put("/api/exchange/v1/log/keys")
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM_JSON and response["Allow"] == "GET"
    problem = response.json()
    assert problem["status"] == 405 and problem["detail"] == "Use GET."


def test_an_unknown_api_address_is_a_404_problem_and_an_unknown_page_still_a_page(client, db):
    response = client.get("/api/exchange/v1/nothing/here")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM_JSON
    assert response.json()["title"] == "There is nothing at this address."
    page = client.get("/nothing/here")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_crash_inside_the_api_is_a_500_problem_that_gives_nothing_away(db, monkeypatch):
    from civic.registers import selectors

    def broken():
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(selectors, "catalogue_list", broken)
    response = Client(raise_request_exception=False).get("/api/registers/")
    assert response.status_code == 500 and response["Content-Type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["title"] == "Sorry, there is a problem with the service."
    assert "hunter2" not in response.text


def test_a_problem_made_by_django_speaks_the_language_of_the_request(client, db):
    response = client.get("/api/nothing", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.json()["title"] == "Op dit adres is niets te vinden."


def test_text_with_a_nul_character_is_a_400_problem_on_either_database(client, db):
    from tests.exchange.builders import PERSON_FIELDS, create_partner, create_purpose
    from tests.exchange.test_api import basic

    purpose = create_purpose()
    partner, secret, _actor = create_partner(purpose=purpose)
    body = {"fields": PERSON_FIELDS, "purpose": purpose.code, "family_name": "Jansen\x00"}
    response = client.post(
        "/api/exchange/v1/persons/search",
        body,
        content_type="application/json",
        **basic(partner.client_id, secret),
    )
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM_JSON
    problem = response.json()
    assert "NUL" in problem["detail"]
    proof = "/api/exchange/v1/log/proof/inclusion"
    in_query = client.get(proof, {"position": "0\x00", "tree_size": "1"})
    assert in_query.status_code == 400 and "NUL" in in_query.json()["detail"]


def test_a_body_that_is_not_json_is_still_a_400_problem(client, db):
    from tests.exchange.builders import create_partner
    from tests.exchange.test_api import basic

    partner, secret, _actor = create_partner()
    response = client.post(
        "/api/exchange/v1/persons/search",
        "{not json",
        content_type="application/json",
        **basic(partner.client_id, secret),
    )
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM_JSON


def test_the_openapi_document_has_no_key_twice_so_swagger_ui_can_read_it(client, db):
    """JSON allows a key twice, YAML parsers (Swagger UI's) refuse it: the API page showed
    "duplicated mapping key" for an operation whose 200 was documented twice."""
    import json

    def no_duplicates(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    document = client.get("/api/openapi.json").content
    parsed = json.loads(document, object_pairs_hook=no_duplicates)
    answer = parsed["paths"]["/api/cases/v1/cases/{reference}/documents/{document_id}"]["get"]
    assert "*/*" in answer["responses"]["200"]["content"]
