"""The data protection officer's alert pages: the agency's alerts listed, one reviewed,
acknowledged with a note, or its client revoked; nobody else sees or changes them."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.compliance import services
from civic.compliance.models import AccessAlert
from civic.core import clock
from civic.identity.models import ApiClient, Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff
from tests.exchange.partners import Partner

pytestmark = pytest.mark.django_db
ALERTS = "/staff/privacy/alerts/"


@pytest.fixture
def partner(db) -> Partner:
    return Partner()


@pytest.fixture
def alert(partner) -> AccessAlert:
    start = clock.now().replace(minute=0, second=0, microsecond=0)
    return services.access_alert_record(
        client_id=partner.client.client_id,
        kind=AccessAlert.Kind.SEQUENTIAL,
        window_start=start,
        window_end=start + dt.timedelta(hours=1),
        counts={"walk": "address-identifiers", "distinct_in_block": 16, "block": 64},
        examples=["0999010000000064 – 0999010000000127", "0999010000000070"],
        trace_id="4bf92f3577b34da6a3ce929d0e0e4736",
    )


def _officer(code: str = "social-insurance-bank", role: str = Role.DATA_PROTECTION_OFFICER):
    return create_staff(roles=[role], agency=agency_get(code=code))


def test_the_officer_sees_the_agencys_alert_with_what_it_is_about(client, alert):
    client.force_login(_officer())

    listed = client.get(ALERTS).content.decode()
    page = client.get(f"{ALERTS}{alert.pk}/").content.decode()

    assert "The client walked over consecutive identifiers" in listed
    assert alert.api_client.name in listed and "To review" in listed
    assert alert.api_client.client_id in page and "address identifiers" in page
    assert "0999010000000064 – 0999010000000127" in page
    assert "4bf92f3577b34da6a3ce929d0e0e4736" in page


def test_the_officer_acknowledges_an_alert_with_a_note(client, alert):
    officer = _officer()
    client.force_login(officer)

    response = client.post(
        f"{ALERTS}{alert.pk}/", {"action": "acknowledge", "note": "Asked the bank; a test run."}
    )

    assert response.status_code == 302 and response["Location"].endswith("?done=acknowledged")
    alert.refresh_from_db()
    assert alert.acknowledged_by == officer and alert.note == "Asked the bank; a test run."
    assert "There are no access alerts to review." in client.get(ALERTS).content.decode()
    assert "Acknowledged" in client.get(f"{ALERTS}?show=all").content.decode()


def test_a_note_too_long_is_refused_with_the_reason_and_nothing_changes(client, alert):
    client.force_login(_officer())

    response = client.post(f"{ALERTS}{alert.pk}/", {"action": "acknowledge", "note": "x" * 2001})

    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert "2000 characters" in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and alert.note == ""


def test_revoking_the_client_needs_the_box_ticked_and_then_stops_its_next_call(
    client, alert, partner
):
    client.force_login(_officer())
    page = f"{ALERTS}{alert.pk}/"

    unconfirmed = client.post(page, {"action": "revoke"})

    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.content.decode()
    assert ApiClient.objects.get(pk=partner.client.pk).revoked_at is None

    confirmed = client.post(page, {"action": "revoke", "confirm": "yes"})

    assert confirmed["Location"].endswith("?done=revoked")
    alert.refresh_from_db()
    assert alert.client_revoked_at is not None and alert.acknowledged_at is not None
    client.logout()
    assert partner.query(client, ["123456782"]).status_code == 401


def test_staff_of_the_agency_without_the_role_get_the_refusal_page(client, alert):
    client.force_login(_officer(role=Role.CASEWORKER))

    assert client.get(ALERTS).status_code == 403
    assert client.post(f"{ALERTS}{alert.pk}/", {"action": "acknowledge"}).status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_another_agencys_officer_neither_sees_nor_changes_the_alert(client, alert, partner):
    client.force_login(_officer(code="havenstad"))

    listed = client.get(ALERTS).content.decode()
    page = client.get(f"{ALERTS}{alert.pk}/")
    revoke = client.post(f"{ALERTS}{alert.pk}/", {"action": "revoke", "confirm": "yes"})

    assert partner.client.name not in listed
    assert page.status_code == 404 and revoke.status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and alert.client_revoked_at is None
    assert ApiClient.objects.get(pk=partner.client.pk).revoked_at is None


def test_the_pages_speak_dutch(client, alert):
    client.force_login(_officer())

    listed = client.get(ALERTS, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    page = client.get(f"{ALERTS}{alert.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "Toegangsmeldingen" in listed and "Te beoordelen" in listed
    assert "De client liep opeenvolgende identificaties af" in page
    assert "Toegang van de client intrekken" in page


def test_the_officers_staff_home_links_to_the_alerts(client):
    client.force_login(_officer())

    assert ALERTS in client.get("/staff/").content.decode()
