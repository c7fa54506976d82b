"""The record of processing activities (GDPR art. 30): generated from the purposes, the grants
in force and the register catalogue, it lists every purpose and grant that exists and nothing
that does not; its data protection officer reads it as a page, a PDF and JSON, and anyone the
public version."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from civic.compliance.record import processing_record
from civic.core import clock
from civic.exchange import services as exchange
from civic.exchange.models import Grant, Purpose
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff
from tests.exchange.builders import create_partner, create_purpose

pytestmark = pytest.mark.django_db
API = "/api/privacy/v1/processing"
PAGE = "/staff/privacy/processing/"
BANK = "social-insurance-bank"


def _officer(code: str = BANK, role: str = Role.DATA_PROTECTION_OFFICER):
    return create_staff(roles=[role], agency=agency_get(code=code))


@pytest.fixture
def grants(jurisdiction):
    """A purpose with a partner's grant in force, one revoked, one expired, one of a job."""
    purpose = create_purpose(code="assess-child-benefit-record")
    client, _secret, _actor = create_partner(purpose=purpose, attributes=["identity.birth_date"])
    revoked_client, _s, _a = create_partner(purpose=purpose, attributes=["identity.sex"])
    revoked = Grant.objects.get(api_client=revoked_client)
    exchange.grant_revoke(grant=revoked)
    expired = exchange.grant_create(
        purpose=purpose,
        register="income",
        attributes=["income.amount"],
        job="expired-job",
        agency=agency_get(code=BANK),
        valid_from=clock.now() - dt.timedelta(days=30),
        valid_until=clock.now() - dt.timedelta(days=1),
    )
    return {"purpose": purpose, "client": client, "revoked": revoked, "expired": expired}


def test_the_record_lists_every_purpose_and_grant_that_exists_and_nothing_else(grants):
    record = processing_record()

    listed_purposes = [entry["code"] for entry in record["purposes"]]
    listed_grants = {r["grant"] for entry in record["purposes"] for r in entry["recipients"]}
    in_force = Grant.objects.filter(revoked_at__isnull=True).exclude(valid_until__lte=clock.now())
    assert sorted(listed_purposes) == sorted(Purpose.objects.values_list("code", flat=True))
    assert listed_grants == set(in_force.values_list("pk", flat=True))
    assert grants["revoked"].pk not in listed_grants
    assert grants["expired"].pk not in listed_grants
    entry = next(e for e in record["purposes"] if e["code"] == "assess-child-benefit-record")
    # The data categories are what the grants in force name: not the revoked sex, not income.
    assert [c["register"] for c in entry["data_categories"]] == ["persons"]
    assert [a["name"] for a in entry["data_categories"][0]["attributes"]] == ["identity.birth_date"]
    assert entry["recipients"][0]["api_client"] == grants["client"].client_id


def test_each_entry_carries_its_legal_ground_basis_categories_recipients_and_retention(grants):
    entry = next(
        e for e in processing_record()["purposes"] if e["code"] == "apply-special-assistance"
    )

    assert entry["legal_ground"] == "legal_obligation"
    assert entry["legal_basis"] == "Participatiewet, art. 35"
    assert entry["controller"] == "havenstad"
    assert {c["register"] for c in entry["data_categories"]} == {"persons", "income", "addresses"}
    kinds = {(r["kind"], r["agency"], r["staff_role"]) for r in entry["recipients"]}
    assert ("staff_role", "havenstad", "caseworker") in kinds and ("residents", "", "") in kinds
    amount = next(
        a
        for c in entry["data_categories"]
        if c["register"] == "income"
        for a in c["attributes"]
        if a["name"] == "income.amount"
    )
    assert amount["classification"] and amount["retention"]["description"]
    assert any("income:income.amount" in p["attributes"] for p in entry["retention"])


def test_a_new_grant_appears_in_the_record_and_a_revoked_one_leaves_it(grants):
    job = exchange.grant_create(
        purpose=grants["purpose"],
        register="persons",
        attributes=["identity.family_name"],
        job="letters",
        agency=agency_get(code=BANK),
    )
    assert job.pk in {r["grant"] for e in processing_record()["purposes"] for r in e["recipients"]}

    exchange.grant_revoke(grant=job)

    assert job.pk not in {
        r["grant"] for e in processing_record()["purposes"] for r in e["recipients"]
    }


def test_the_officer_reads_the_agencys_record_as_json(client, grants):
    client.force_login(_officer())

    answer = client.get(API)

    assert answer.status_code == 200
    record = answer.json()
    assert record["controller"] == BANK
    codes = {entry["code"] for entry in record["purposes"]}
    assert "assess-child-benefit-record" in codes and "benefit-fraud-investigation" in codes
    assert "apply-parking-permit" not in codes  # Havenstad's, not the bank's
    entry = next(e for e in record["purposes"] if e["code"] == "assess-child-benefit-record")
    assert entry["recipients"][0]["api_client"] == grants["client"].client_id
    assert entry["recipients"][0]["register"] == "persons"
    assert entry["data_categories"][0]["register"] == "persons"


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SERVICE_OWNER])
def test_staff_without_the_officers_role_are_refused_with_a_problem(client, jurisdiction, role):
    client.force_login(_officer(role=role))

    answer = client.get(API)

    assert answer.status_code == 403
    assert answer["Content-Type"] == "application/problem+json"
    assert "data protection officer" in answer.json()["detail"]


def test_an_anonymous_caller_is_refused_the_full_record_but_reads_the_public_one(client, grants):
    refused = client.get(API)
    public = client.get(f"{API}/public")

    assert refused.status_code == 401 and refused["Content-Type"] == "application/problem+json"
    assert public.status_code == 200
    entry = next(e for e in public.json()["purposes"] if e["code"] == "assess-child-benefit-record")
    assert entry["recipients"][0]["kind"] == "api_client"
    assert entry["recipients"][0]["agency"] == BANK
    assert grants["client"].client_id not in public.content.decode()
    assert entry["recipients"][0]["api_client"] is None


def test_the_record_is_in_the_openapi_document(client, jurisdiction):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert f"{API}" in paths and f"{API}/public" in paths


def test_the_officer_reads_the_record_page_and_downloads_the_pdf(client, grants):
    client.force_login(_officer())

    page = client.get(PAGE).content.decode()
    pdf = client.get(f"{PAGE[:-1]}.pdf")

    assert "Record of processing activities" in page
    assert "assess-child-benefit-record" in page and grants["client"].name in page
    assert "Algemene Kinderbijslagwet, art. 7" in page
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "assess-child-benefit-record" in text and "Algemene Kinderbijslagwet" in text


def test_a_caseworker_does_not_see_the_record_page(client, jurisdiction):
    client.force_login(_officer(role=Role.CASEWORKER))

    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE[:-1]}.pdf").status_code == 403
