"""The exchange API over HTTP: POST queries with Basic credentials, problem+json refusals with
the offending items named, what a caller may ask, and public proofs (limits: test_limits.py)."""

from __future__ import annotations

import base64

import pytest

from civic.exchange import auditlog, merkle
from civic.exchange.models import AccessLogEntry
from tests.builders import a_registered_resident
from tests.exchange.builders import PERSON_FIELDS, create_partner, create_purpose

QUERY = "/api/exchange/v1/persons/query"


def basic(client_id: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def partner(db):
    purpose = create_purpose(code="child-benefit")
    client, secret, _actor = create_partner(purpose=purpose)
    return purpose, basic(client.client_id, secret)


def post(client, url, body, credentials):
    return client.post(url, body, content_type="application/json", **credentials)


def test_a_granted_query_answers_with_exactly_the_fields_and_a_trace_id(client, partner):
    purpose, credentials = partner
    number = a_registered_resident()
    response = post(
        client,
        QUERY,
        {"subjects": [number], "fields": ["identity.birth_date"], "purpose": purpose.code},
        {
            **credentials,
            "HTTP_TRACEPARENT": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert body["results"][0]["records"]["identity"].keys() == {"birth_date", "confidential"}
    assert AccessLogEntry.objects.get().trace_id == body["trace_id"]


@pytest.mark.parametrize(
    ("body", "status", "item"),
    [
        ({"fields": ["identity.nationality"]}, 403, "identity.nationality"),
        ({"fields": ["identity.hair_colour"]}, 400, "identity.hair_colour"),
        ({"purpose": "fraud-hunting"}, 400, "fraud-hunting"),
        ({"subjects": ["123456789"]}, 400, "123456789"),
    ],
)
def test_refusals_are_problem_json_naming_the_item_and_log_nothing(
    client, partner, body, status, item
):
    purpose, credentials = partner
    request = {
        "subjects": [a_registered_resident()],
        "fields": PERSON_FIELDS,
        "purpose": purpose.code,
        **body,
    }
    response = post(client, QUERY, request, credentials)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["items"] == [item] and problem["detail"]
    assert not AccessLogEntry.objects.exists()


def test_an_unknown_register_is_a_400_naming_it(client, partner):
    purpose, credentials = partner
    response = post(
        client,
        "/api/exchange/v1/pets/query",
        {"subjects": ["x"], "fields": ["a.b"], "purpose": purpose.code},
        credentials,
    )
    assert response.status_code == 400 and response.json()["items"] == ["pets"]


def test_an_unknown_subject_is_a_404(client, partner):
    from tests.identity.builders import an_unregistered_personal_number

    purpose, credentials = partner
    nobody = an_unregistered_personal_number()
    response = post(
        client,
        QUERY,
        {"subjects": [nobody], "fields": PERSON_FIELDS, "purpose": purpose.code},
        credentials,
    )
    assert response.status_code == 404 and response.json()["items"] == [nobody]


def test_no_or_wrong_credentials_are_a_401(client, partner):
    purpose, _credentials = partner
    body = {"subjects": [a_registered_resident()], "fields": PERSON_FIELDS, "purpose": purpose.code}
    assert post(client, QUERY, body, {}).status_code == 401
    wrong = basic("social-insurance-bank-000000000000", "guess")
    response = post(client, QUERY, body, wrong)
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_a_malformed_body_is_a_400_problem_not_a_crash(client, partner):
    _purpose, credentials = partner
    response = client.post(QUERY, "{not json", content_type="application/json", **credentials)
    assert response.status_code == 400
    response = post(client, QUERY, {"subjects": "all"}, credentials)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("case", ["zaak\x1f12", "abc\n", "abc\r\n", "\nabc"])
def test_a_case_reference_with_control_characters_is_refused(client, partner, case):
    purpose, credentials = partner
    body = {
        "subjects": [a_registered_resident()],
        "fields": PERSON_FIELDS,
        "purpose": purpose.code,
        "case": case,
    }
    response = post(client, QUERY, body, credentials)
    assert response.status_code == 400 and "case reference" in response.json()["detail"]
    assert not AccessLogEntry.objects.exists()


def test_allowed_tells_the_caller_its_purposes_registers_and_fields(client, partner):
    purpose, credentials = partner
    response = client.get("/api/exchange/v1/allowed", **credentials)
    assert response.status_code == 200
    [grant] = response.json()
    assert grant["purpose"] == purpose.code and grant["register"] == "persons"
    assert grant["fields"] == sorted(PERSON_FIELDS) and grant["legal_basis"] == purpose.legal_basis


def test_search_by_address_answers_with_the_residents_and_logs_searches(client, partner):
    from civic.core import clock
    from civic.registers.selectors import address_at

    purpose, credentials = partner
    number = a_registered_resident()
    address = address_at(personal_number=number, valid_at=clock.today())
    response = post(
        client,
        "/api/exchange/v1/persons/search",
        {"address": address.identifier, "fields": PERSON_FIELDS, "purpose": purpose.code},
        credentials,
    )
    assert response.status_code == 200
    assert number in [r["subject"] for r in response.json()["results"]]
    assert set(AccessLogEntry.objects.values_list("kind", flat=True)) == {"search"}


def test_anyone_can_fetch_the_checkpoint_and_check_an_inclusion_proof(client, partner):
    purpose, credentials = partner
    body = {"subjects": [a_registered_resident()], "fields": PERSON_FIELDS, "purpose": purpose.code}
    for _ in range(5):
        post(client, QUERY, body, credentials)
    auditlog.integrate_all()
    checkpoint = client.get("/api/exchange/v1/log/checkpoint").json()
    assert checkpoint["tree_size"] == 5
    proof = client.get(
        "/api/exchange/v1/log/proof/inclusion", {"position": 3, "tree_size": 5}
    ).json()
    assert merkle.verify_inclusion(
        bytes.fromhex(proof["leaf_hash"]),
        3,
        5,
        [bytes.fromhex(p) for p in proof["proof"]],
        bytes.fromhex(checkpoint["root_hash"]),
    )
    [key] = client.get("/api/exchange/v1/log/keys").json()
    from civic.exchange import signing

    assert signing.verify(
        base64.b64decode(checkpoint["note"]),
        checkpoint["signature"],
        bytes.fromhex(key["public_key"]),
    )
    assert (
        client.get(
            "/api/exchange/v1/log/proof/inclusion", {"position": 9, "tree_size": 50}
        ).status_code
        == 400
    )


def test_the_openapi_document_describes_the_query_endpoint(client, db):
    schema = client.get("/api/openapi.json").json()
    assert "/api/exchange/v1/{register}/query" in schema["paths"]
    assert "post" in schema["paths"]["/api/exchange/v1/{register}/query"]


def test_a_partner_subscribes_lists_and_cancels_a_webhook(client, db):
    from civic.registers.changes import MOVED

    purpose = create_purpose(code="address-updates")
    partner_client, secret, _ = create_partner(
        purpose=purpose, attributes=["residence.address", "residence.valid_from"]
    )
    credentials = basic(partner_client.client_id, secret)
    body = {
        "register": "persons",
        "purpose": purpose.code,
        "event_types": [MOVED],
        "url": "https://partner.example/hooks",
    }
    created = post(client, "/api/exchange/v1/subscriptions", body, credentials)
    assert created.status_code == 201 and created.json()["secret"].startswith("whsec_")
    listed = client.get("/api/exchange/v1/subscriptions", **credentials).json()
    assert [s["id"] for s in listed] == [created.json()["id"]] and listed[0]["secret"] is None
    deleted = client.delete(f"/api/exchange/v1/subscriptions/{created.json()['id']}", **credentials)
    assert deleted.status_code == 204
    assert client.get("/api/exchange/v1/subscriptions", **credentials).json() == []


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"event_types": ["org.civic.persons.died"]}, 403),
        ({"url": "file:///etc/passwd"}, 400),
        ({"event_types": ["org.civic.pets.adopted"]}, 400),
        ({"purpose": "nothing"}, 400),
    ],
)
def test_subscriptions_beyond_the_grant_or_with_bad_addresses_are_refused(
    client, db, change, status
):
    from civic.registers.changes import MOVED

    purpose = create_purpose(code="address-updates")
    partner_client, secret, _ = create_partner(
        purpose=purpose, attributes=["residence.address", "residence.valid_from"]
    )
    body = {
        "register": "persons",
        "purpose": purpose.code,
        "event_types": [MOVED],
        "url": "https://partner.example/hooks",
        **change,
    }
    response = post(
        client, "/api/exchange/v1/subscriptions", body, basic(partner_client.client_id, secret)
    )
    assert response.status_code == status and response["Content-Type"] == "application/problem+json"


def test_before_the_first_checkpoint_the_checkpoint_is_a_404_problem_not_a_bad_request(client, db):
    response = client.get("/api/exchange/v1/log/checkpoint")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The access log has no checkpoint yet."


def test_a_moment_outside_the_calendar_in_utc_is_a_400_problem_that_logs_nothing(client, partner):
    purpose, credentials = partner
    body = {"subjects": [a_registered_resident()], "fields": PERSON_FIELDS, "purpose": purpose.code}
    # 1900-01-01 at +05:00 is still 1899 in UTC; 2999-12-31 at -05:00 is already 3000.
    for known_at in [
        "1900-01-01T00:00:00+05:00",
        "2999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00Z",
    ]:
        response = post(client, QUERY, {**body, "known_at": known_at}, credentials)
        assert response.status_code == 400, known_at
        assert response.json()["errors"][0]["loc"] == ["body", "body", "known_at"]
    assert not AccessLogEntry.objects.exists()
    earliest = post(client, QUERY, {**body, "known_at": "1900-01-01T00:00:00Z"}, credentials)
    assert earliest.status_code == 200
    assert earliest.json()["results"][0]["records"]["identity"] is None  # nothing known yet


def test_the_document_gives_the_counts_the_query_enforces_in_its_own_words(client, partner):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    subjects = schemas["QueryIn"]["properties"]["subjects"]
    assert (subjects["minItems"], subjects["maxItems"]) == (1, 20)
    assert schemas["QueryIn"]["properties"]["fields"]["minItems"] == 1
    assert schemas["SearchIn"]["properties"]["fields"]["minItems"] == 1
    assert schemas["SubscriptionIn"]["properties"]["event_types"]["minItems"] == 1
    purpose, credentials = partner
    body = {"fields": PERSON_FIELDS, "purpose": purpose.code}
    for subjects, detail in [([], "at least one"), ([a_registered_resident()] * 21, "at most 20")]:
        response = post(client, QUERY, {**body, "subjects": subjects}, credentials)
        assert response.status_code == 400 and detail in response.json()["detail"]


def test_a_body_over_the_forms_memory_limit_is_a_413_problem_and_releases_nothing(client, partner):
    purpose, credentials = partner
    body = {
        "subjects": [a_registered_resident()],
        "fields": PERSON_FIELDS,
        "purpose": purpose.code,
        "case": "x" * 3_000_000,  # past Django's 2.5 MB for a body it reads into memory
    }
    response = post(client, QUERY, body, credentials)
    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"
    assert "at most 2.5 MB without files" in response.json()["detail"]
    assert not AccessLogEntry.objects.exists()
