"""The breach register: a breach recorded with what art. 33(3) asks, the 72-hour deadline on
the officer's page, overdue breaches flagged, late or omitted notifications only with their
reasons, the people concerned told when the risk is high, and nobody else's officer in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.html import escape

from civic.compliance.breaches.models import Breach
from civic.core import clock
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff

TEXTS = {
    "nature": "A letter with benefit amounts was sent to the wrong address.",
    "data_categories": "Name, address, benefit amount",
    "people_categories": "Residents receiving the school clothing grant",
    "people_approx": "1",
    "records_approx": "3",
    "consequences": "The neighbour learns the family's income.",
    "measures": "Asked the neighbour to return the letter; fixed the address lookup.",
}


@pytest.fixture
def officer(db):
    return create_staff(roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="havenstad"))


def _moment(prefix: str, when: dt.datetime) -> dict[str, str]:
    local = timezone.localtime(when)
    return {
        f"{prefix}-day": str(local.day),
        f"{prefix}-month": str(local.month),
        f"{prefix}-year": str(local.year),
        f"{prefix}-time": f"{local:%H:%M}",
    }


def _record(client, discovered: dt.datetime) -> Breach:
    response = client.post(
        "/staff/privacy/breaches/new/", {**TEXTS, **_moment("discovered_at", discovered)}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Breach.objects.latest("pk")


def test_a_recorded_breach_shows_its_72_hour_deadline(client, officer):
    client.force_login(officer)
    discovered = (clock.now() - dt.timedelta(hours=2)).replace(second=0, microsecond=0)

    breach = _record(client, discovered)

    deadline = timezone.localtime(discovered + dt.timedelta(hours=72))
    page = client.get(f"/staff/privacy/breaches/{breach.pk}/").content.decode()
    assert f"{deadline:%H:%M}" in page and "Tell the supervisory authority by" in page
    assert escape(TEXTS["consequences"]) in page and breach.reference.startswith("BR-")
    listing = client.get("/staff/privacy/breaches/").content.decode()
    assert breach.reference in listing and "Overdue" not in listing


def test_a_breach_past_72_hours_is_flagged_and_a_late_notification_needs_its_reason(
    client, officer
):
    client.force_login(officer)
    breach = _record(client, clock.now() - dt.timedelta(days=4))
    assert "Overdue" in client.get("/staff/privacy/breaches/").content.decode()
    on_breach = f"/staff/privacy/breaches/{breach.pk}/"
    client.post(on_breach, {"step": "assess", "risk": "high"})
    told = _moment("notified_at", clock.now() - dt.timedelta(minutes=5))

    refused = client.post(on_breach, {"step": "notify_authority", **told})

    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    breach.refresh_from_db()
    assert breach.authority_notified_at is None and breach.step == "notify_authority"
    client.post(
        on_breach,
        {"step": "notify_authority", **told, "late_reason": "Found in the weekend backlog."},
    )
    breach.refresh_from_db()
    assert breach.authority_notified_at is not None and breach.step == "notify_subjects"
    assert "Overdue" not in client.get("/staff/privacy/breaches/").content.decode()


def test_a_high_risk_breach_goes_through_every_step_to_closed(client, officer):
    client.force_login(officer)
    breach = _record(client, clock.now() - dt.timedelta(hours=3))
    on_breach = f"/staff/privacy/breaches/{breach.pk}/"
    now = _moment("notified_at", clock.now() - dt.timedelta(minutes=1))

    client.post(on_breach, {"step": "assess", "risk": "high"})
    client.post(on_breach, {"step": "notify_authority", **now, "authority_reference": "AP-77"})
    no_choice = client.post(on_breach, {"step": "notify_subjects", **now})
    client.post(on_breach, {"step": "notify_subjects", "told": "yes", **now})
    client.post(on_breach, {"step": "close"})

    assert no_choice.status_code == 400
    breach.refresh_from_db()
    assert breach.step == "closed" and breach.subjects_notified_at and breach.closed_at
    assert breach.authority_reference == "AP-77" and breach.late_reason == ""
    assert [h["what"] for h in breach.history][-1] == "closed"


def test_a_breach_unlikely_to_harm_is_not_notified_only_with_the_reason(client, officer):
    client.force_login(officer)
    breach = _record(client, clock.now() - dt.timedelta(hours=1))
    on_breach = f"/staff/privacy/breaches/{breach.pk}/"

    refused = client.post(on_breach, {"step": "assess", "risk": "unlikely"})
    client.post(
        on_breach,
        {"step": "assess", "risk": "unlikely", "reason": "The laptop's disk was encrypted."},
    )

    assert refused.status_code == 400
    breach.refresh_from_db()
    assert breach.step == "close" and breach.no_notification_reason.startswith("The laptop")


def test_a_breach_without_its_facts_or_discovered_in_the_future_is_refused(client, officer):
    client.force_login(officer)
    missing = client.post(
        "/staff/privacy/breaches/new/",
        {**TEXTS, "consequences": "", **_moment("discovered_at", clock.now())},
    )
    future = client.post(
        "/staff/privacy/breaches/new/",
        {**TEXTS, **_moment("discovered_at", clock.now() + dt.timedelta(days=2))},
    )
    nonsense = client.post(
        "/staff/privacy/breaches/new/",
        {
            **TEXTS,
            "discovered_at-day": "31",
            "discovered_at-month": "2",
            "discovered_at-year": "2026",
        },
    )

    for response in (missing, future, nonsense):
        assert response.status_code == 400
        assert "govuk-error-summary" in response.content.decode()
    assert "must be in the past" in future.content.decode()
    assert not Breach.objects.exists()


def test_another_agencys_officer_and_a_caseworker_cannot_reach_the_register(client, officer):
    client.force_login(officer)
    breach = _record(client, clock.now() - dt.timedelta(hours=1))
    client.force_login(
        create_staff(
            roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="tax-administration")
        )
    )
    assert breach.reference not in client.get("/staff/privacy/breaches/?show=all").content.decode()
    assert client.get(f"/staff/privacy/breaches/{breach.pk}/").status_code == 404
    assert (
        client.post(
            f"/staff/privacy/breaches/{breach.pk}/", {"step": "assess", "risk": "high"}
        ).status_code
        == 404
    )
    breach.refresh_from_db()
    assert breach.step == "assess"
    client.force_login(create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad")))
    assert client.get("/staff/privacy/breaches/").status_code == 403


def test_the_pages_speak_dutch_and_the_staff_home_links_them(client, officer):
    client.force_login(officer)
    breach = _record(client, clock.now() - dt.timedelta(hours=1))

    home = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    listed = client.get("/staff/privacy/breaches/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    page = client.get(
        f"/staff/privacy/breaches/{breach.pk}/", HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    queue = client.get("/staff/privacy/reviews/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    glass = client.get("/staff/privacy/break-glass/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()

    assert "/staff/privacy/reviews/" in home and "/staff/privacy/breaches/" in home
    assert "Datalekken in behandeling" in listed and "Melden bij de toezichthouder" in listed
    assert "Beoordeel het risico voor de betrokkenen" in page
    assert "Inzagecontroles" in queue
    assert "Gegevens van een persoon inzien zonder zaak" in glass
