"""A read that meets an encrypted value failing its integrity check (altered, or moved from
another row) is answered clearly: problem+json naming the kind of problem on the API, Civic's
error page on a page, neither naming the row, the field's value or the person; the operators
get a log line and a counter to alert on; nothing is released or logged as released."""

from __future__ import annotations

import logging

import pytest

from civic.core.metrics import FIELD_INTEGRITY_FAILURES
from civic.exchange.models import AccessLogEntry
from civic.registers.models import PersonRecord
from tests.builders import a_registered_resident
from tests.exchange.builders import create_partner, create_purpose
from tests.exchange.test_api import QUERY, basic, post
from tests.portal.test_acting_for_someone import log_in
from tests.registers.test_sealing import current_record, encryption, rotate, stored  # noqa: F401

pytestmark = pytest.mark.django_db

FIELDS = ["identity.nationality", "identity.family_name"]


def _failures(table: str, column: str) -> float:
    return FIELD_INTEGRITY_FAILURES.labels(
        table=table, column=column, reason="does-not-open"
    )._value.get()


@pytest.fixture
def moved(encryption):  # noqa: F811
    """A resident whose nationality was overwritten with another person's ciphertext."""
    number = a_registered_resident()
    rotate()
    mine = current_record(number)
    other = PersonRecord.objects.exclude(person=mine.person).filter(recorded_to=None).first()
    PersonRecord.objects.filter(pk=mine.pk).update(
        nationality=stored(PersonRecord, other.pk, "nationality")
    )
    return number, mine


def test_an_api_read_of_a_moved_ciphertext_is_an_integrity_problem_naming_nobody(
    client, moved, caplog
):
    number, record = moved
    purpose = create_purpose()
    partner, secret, _actor = create_partner(purpose=purpose, attributes=FIELDS)
    table = PersonRecord._meta.db_table
    before = _failures(table, "nationality")
    entries = AccessLogEntry.objects.count()

    with caplog.at_level(logging.ERROR, logger="civic.integrity"):
        response = post(
            client,
            QUERY,
            {"subjects": [number], "fields": FIELDS, "purpose": purpose.code},
            basic(partner.client_id, secret),
        )

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "https://civic.invalid/problems/data-integrity"
    assert "integrity" in body["title"] and body["trace_id"]
    text = response.content.decode()
    assert number not in text and f"row {record.pk}" not in text and "nationality" not in text
    assert AccessLogEntry.objects.count() == entries, "nothing released, nothing logged"
    assert _failures(table, "nationality") == before + 1
    [alert] = [r for r in caplog.records if r.name == "civic.integrity"]
    assert f"row {record.pk}" in alert.getMessage() and body["trace_id"] in alert.getMessage()
    assert number not in alert.getMessage()


def test_a_page_that_reads_a_tampered_ciphertext_shows_civics_error_page(client, moved, caplog):
    number, record = moved
    raw = stored(PersonRecord, record.pk, "nationality")
    PersonRecord.objects.filter(pk=record.pk).update(nationality=raw[:-3] + "AAA")
    log_in(client, number)

    with caplog.at_level(logging.ERROR, logger="civic.integrity"):
        page = client.get("/my/")

    assert page.status_code == 500
    html = page.content.decode()
    assert "Stored data failed its integrity check" in html
    assert 'href="/"' in html or "home" in html
    assert f"row {record.pk}" not in html and "Traceback" not in html
    assert [r for r in caplog.records if r.name == "civic.integrity"]


def test_the_error_page_is_in_dutch(client, moved):
    number, _record = moved
    log_in(client, number)
    client.cookies["django_language"] = "nl"

    page = client.get("/my/")

    assert page.status_code == 500
    assert "integriteitscontrole" in page.content.decode()
