"""The case API for an agency's other systems: only the cases of the case types a client was
given, of its own agency; status changes under the workflow and the version check; register
data through the exchange, logged for the resident; documents; every refusal problem+json."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from civic.cases import services
from civic.cases.models import Case, CaseType
from civic.exchange import services as exchange
from civic.exchange.models import AccessLogEntry, Purpose
from civic.exchange.pseudonyms import person_pseudonym
from civic.forms.models import Upload
from civic.identity import services as identity
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident
from tests.cases.builders import a_submitted_application
from tests.exchange.builders import create_purpose
from tests.exchange.test_api import basic

API = "/api/cases/v1/cases"
PROBLEM = "application/problem+json"


@pytest.fixture
def case(db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    return Case.objects.get(submission=a_submitted_application(applicant=a_registered_resident()))


def a_client(agency: str, case_types: list[str], role: str = "caseworker"):
    client, secret = identity.api_client_create(agency=agency_get(code=agency), name="Archive")
    for code in case_types:
        services.case_api_access_grant(
            api_client=client,
            case_type=CaseType.objects.get(code=code),
            role=role,
            granted_by="test",
        )
    return client, basic(client.client_id, secret)


def test_a_client_lists_and_reads_the_cases_of_the_case_types_it_was_given(client, case):
    _archive, credentials = a_client("havenstad", ["parking-permit"])

    listed = client.get(API, **credentials).json()
    assert case.reference in [c["reference"] for c in listed["cases"]]
    assert {c["case_type"] for c in listed["cases"]} == {"parking-permit"}

    detail = client.get(f"{API}/{case.reference}", **credentials).json()
    assert detail["state"] == "received" and detail["subject"] == case.subject
    assert detail["timeline"][0]["kind"] == "opened"
    assert [t["name"] for t in detail["transitions"]] == ["start_review", "withdraw"]


def test_cases_of_other_case_types_or_agencies_are_not_found(client, case):
    _dogs, dog_tax_only = a_client("havenstad", ["dog-tax"])
    assert case.reference not in str(client.get(API, **dog_tax_only).json())
    refused = client.get(f"{API}/{case.reference}", **dog_tax_only)
    assert refused.status_code == 404 and refused["Content-Type"] == PROBLEM

    _bank, other_agency = a_client("social-insurance-bank", [])
    assert client.get(API, **other_agency).json()["total"] == 0
    assert client.get(f"{API}/{case.reference}", **other_agency).status_code == 404
    moved = client.post(
        f"{API}/{case.reference}/transitions",
        {"transition": "start_review", "expected_version": case.version},
        content_type="application/json",
        **other_agency,
    )
    assert moved.status_code == 404
    case.refresh_from_db()
    assert case.state == "received"


def test_access_is_given_only_within_the_clients_agency_and_the_workflows_roles(case):
    bank, _secret = identity.api_client_create(
        agency=agency_get(code="social-insurance-bank"), name="Bank"
    )
    parking = CaseType.objects.get(code="parking-permit")
    with pytest.raises(CommandError, match="only the cases of its own agency"):
        call_command(
            "cases", "access", "grant", "--client", bank.client_id, "--case-type", parking.code
        )
    archive, _secret = identity.api_client_create(agency=agency_get(code="havenstad"), name="A")
    with pytest.raises(CommandError, match="has no role administrator"):
        call_command(
            "cases", "access", "grant", "--client", archive.client_id,
            "--case-type", parking.code, "--role", "administrator",
        )  # fmt: skip


def test_a_status_change_follows_the_workflow_and_the_version_check(client, case):
    _archive, credentials = a_client("havenstad", ["parking-permit"])

    def move(transition: str, version: int):
        return client.post(
            f"{API}/{case.reference}/transitions",
            {"transition": transition, "expected_version": version, "note": "from the archive"},
            content_type="application/json",
            **credentials,
        )

    moved = move("start_review", case.version)
    assert moved.status_code == 200 and moved.json()["state"] == "in_review"
    stale = move("withdraw", case.version)  # the version before the change
    assert stale.status_code == 409 and stale["Content-Type"] == PROBLEM
    assert "Someone else changed this case" in stale.json()["detail"]
    impossible = move("start_review", moved.json()["version"])
    assert impossible.status_code == 400 and "not possible" in impossible.json()["detail"]
    decide = move("decide", moved.json()["version"])  # needs its own form: the workbench's
    assert decide.status_code == 400
    case.refresh_from_db()
    assert case.state == "in_review"
    assert case.events.filter(kind="transition").get().actor == "Archive (API client)"


def test_register_data_is_read_through_the_exchange_and_shows_in_the_residents_tracker(
    client, case
):
    archive, credentials = a_client("havenstad", ["parking-permit"])
    refused = client.get(f"{API}/{case.reference}/register-data", **credentials)
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM  # no grant yet

    purpose = Purpose.objects.get(code=case.case_type.purpose)
    for register, attributes in case.case_type.register_fields.items():
        exchange.grant_create(
            purpose=purpose, register=register, attributes=attributes, api_client=archive
        )
    sections = client.get(f"{API}/{case.reference}/register-data", **credentials).json()
    assert {s["register_key"] for s in sections} == set(case.case_type.register_fields)
    logged = AccessLogEntry.objects.filter(
        subject=person_pseudonym(case.subject), case=case.reference, actor=archive.client_id
    )
    assert logged.exists()


def test_a_revoked_client_or_no_credentials_get_401(client, case):
    archive, credentials = a_client("havenstad", ["parking-permit"])
    assert client.get(API).status_code == 401
    identity.api_client_revoke(client=archive)
    refused = client.get(f"{API}/{case.reference}", **credentials)
    assert refused.status_code == 401 and refused["Content-Type"] == PROBLEM


def test_a_document_is_listed_and_downloaded_and_another_cases_is_not_found(
    client, case, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = Upload.objects.create(
        draft=case.submission.draft,
        field="proof",
        file=ContentFile(b"%PDF-1.4 proof of residence", name="proof.pdf"),
        name="proof.pdf",
        content_type="application/pdf",
        size=27,
        scan=Upload.Scan.CLEAN,
    )
    _archive, credentials = a_client("havenstad", ["parking-permit"])
    [listed] = client.get(f"{API}/{case.reference}", **credentials).json()["documents"]
    assert (listed["id"], listed["name"], listed["scan"]) == (upload.pk, "proof.pdf", "clean")
    download = client.get(f"{API}/{case.reference}/documents/{upload.pk}", **credentials)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 proof of residence"

    other = Case.objects.get(submission=a_submitted_application(applicant=a_registered_resident()))
    missing = client.get(f"{API}/{other.reference}/documents/{upload.pk}", **credentials)
    assert missing.status_code == 404 and missing["Content-Type"] == PROBLEM


def test_the_case_api_is_in_the_openapi_document(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/cases/v1/cases",
        "/api/cases/v1/cases/{reference}",
        "/api/cases/v1/cases/{reference}/transitions",
        "/api/cases/v1/cases/{reference}/register-data",
        "/api/cases/v1/cases/{reference}/documents/{document_id}",
    } <= set(paths)
