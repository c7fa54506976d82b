"""The data protection officer's retention page: each run with what it removed under each of
the agency's rules, a failed run with its reason, and the key rotation's progress."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.compliance.retention import services
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff

pytestmark = pytest.mark.django_db
PAGE = "/staff/privacy/retention/"


def officer(code: str):
    return create_staff(roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code=code))


def test_the_tax_offices_officer_sees_the_income_rule_and_not_the_municipalitys_cases(client):
    services.retention_run(dry_run=False, triggered_by="command", today=dt.date(2026, 11, 30))
    client.force_login(officer("tax-administration"))
    page = client.get(PAGE).content.decode()
    assert "income.income" in page and "deleted" in page and "7 years after closing" in page
    assert "started by command" in page
    assert "parking-permit" not in page and "persons.identity" not in page


def test_a_caseworker_is_refused_the_page(client):
    client.force_login(create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad")))
    assert client.get(PAGE).status_code == 403


def test_the_page_in_dutch_says_what_was_removed(client):
    services.retention_run(dry_run=True, triggered_by="command", today=dt.date(2026, 11, 30))
    client.force_login(officer("tax-administration"))
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Proefrun van" in page and "7 jaar na afsluiten" in page


def test_the_municipalitys_officer_sees_the_rules_for_received_documents(client):
    services.retention_run(dry_run=True, triggered_by="command", today=dt.date(2026, 11, 30))
    client.force_login(officer("havenstad"))
    page = client.get(PAGE).content.decode()
    assert "Documents received for cases of type parking-permit" in page
    assert "Documents linked to no case" in page and "1 year after receipt" in page
