"""The pages of advisories: the city operator reviews a rule's draft (a refusal keeps it a
draft), issues it, updates and cancels it, each a message the residents get; another agency's
operator and a caseworker get nothing; a resident chooses warnings for home and for chosen
neighbourhoods, which records and withdraws consent; an erasure ends the subscription."""

from __future__ import annotations

import pytest
from django.test import Client

from civic.compliance.erasure import erasure_run
from civic.exchange.models import Consent
from civic.exchange.pseudonyms import person_pseudonym
from civic.identity import services as identity
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.notify.models import Message
from civic.sensors import models as m
from civic.sensors.selectors import neighbourhood_choices
from tests.builders import create_agency, create_staff
from tests.sensors.test_rules import send

pytestmark = pytest.mark.django_db


def _texts(headline: str = "High water at the Havenbrug", **more) -> dict[str, str]:
    data = {"severity": "Severe", "expires": ""}
    for code in ("en", "nl"):
        data |= {
            f"headline_{code}": f"{headline} ({code})",
            f"description_{code}": f"The river is high ({code}).",
            f"instruction_{code}": f"Stay off the quays ({code}).",
        }
    return data | more


@pytest.fixture
def draft(gauge, django_capture_on_commit_callbacks):
    rule = gauge["rule"]
    rule.advisory = m.Rule.AdvisoryMode.DRAFT
    rule.save()
    with django_capture_on_commit_callbacks(execute=True):
        send(rule, [2.0, 2.6, 2.7, 2.8, 2.9])
    return m.Advisory.objects.get(state="draft")


@pytest.fixture
def operator() -> Client:
    client = Client()
    client.force_login(
        create_staff(roles=[Role.CITY_OPERATOR], agency=agency_get(code="havenstad"))
    )
    return client


def test_the_operator_reviews_the_draft_and_a_refused_issue_keeps_it_a_draft(
    draft, operator, gauge, django_capture_on_commit_callbacks
):
    page = operator.get("/staff/sensors/").content.decode()
    assert draft.identifier in page and "River gauge Havenbrug" in page
    assert Message.objects.filter(recipient=gauge["inside"]).count() == 0  # not before issue

    url = f"/staff/sensors/advisories/{draft.pk}/"
    refused = operator.post(url, _texts(action="issue", headline_nl=""))
    assert refused.status_code == 400
    assert "govuk-error-summary" in refused.content.decode()
    assert "Enter the headline in Nederlands." in refused.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.texts["en"]["event"] == "High water"

    with django_capture_on_commit_callbacks(execute=True):
        issued = operator.post(url, _texts(action="issue"))
    assert issued.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "issued" and draft.texts["en"]["headline"].endswith("(en)")
    got = Message.objects.get(recipient=gauge["inside"])
    assert got.subject == "High water at the Havenbrug (en)"
    assert got.texts["nl"]["subject"] == "High water at the Havenbrug (nl)"


def test_an_update_and_a_cancellation_are_new_messages_that_reach_the_same_residents(
    draft, operator, gauge, django_capture_on_commit_callbacks, client
):
    url = f"/staff/sensors/advisories/{draft.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        operator.post(url, _texts(action="issue"))
        operator.post(url, _texts("Higher water", action="update", severity="Extreme"))
    update = m.Advisory.objects.get(message_type="Update")
    assert update.supersedes == draft and update.severity == "Extreme"
    # The message updated is no longer the one in force.
    assert operator.post(url, _texts(action="update")).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        operator.post(
            f"/staff/sensors/advisories/{update.pk}/",
            _texts(action="cancel", note_en="The river is falling.", note_nl="Het water zakt."),
        )
    cancel = m.Advisory.objects.get(message_type="Cancel")
    assert cancel.supersedes == update
    assert cancel.texts["nl"]["description"] == "Het water zakt."
    subjects = list(
        Message.objects.filter(recipient=gauge["chooser"])
        .order_by("pk")
        .values_list("subject", flat=True)
    )
    assert subjects == [
        "High water at the Havenbrug (en)",
        "Higher water (en)",
        "Cancelled: Higher water (en)",
    ]
    page = client.get(f"/advisories/{draft.identifier}/").content.decode()
    assert page.count("<li>") >= 3 and "Read the latest" in page


def test_another_agencys_operator_and_a_caseworker_get_nothing(draft):
    stranger = Client()
    stranger.force_login(create_staff(roles=[Role.CITY_OPERATOR], agency=create_agency()))
    url = f"/staff/sensors/advisories/{draft.pk}/"
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, _texts(action="issue")).status_code == 404
    assert draft.identifier not in stranger.get("/staff/sensors/").content.decode()
    caseworker = Client()
    caseworker.force_login(
        create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    )
    assert caseworker.get("/staff/sensors/").status_code == 403
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_a_resident_chooses_warnings_and_the_home_choice_is_their_consent(client, gauge):
    number = gauge["inside"]
    m.AdvisorySubscription.objects.filter(personal_number=number).delete()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    page = client.get("/my/advisories/").content.decode()
    code, name = neighbourhood_choices()[0]
    assert name in page and "You get no warnings yet." in page

    client.post("/my/advisories/", {"home": "on", "neighbourhoods": [code]})
    chosen = m.AdvisorySubscription.objects.get(personal_number=number)
    assert chosen.home and chosen.neighbourhoods == [code]
    consents = Consent.objects.filter(
        subject=person_pseudonym(number), purpose__code="public-advisories"
    )
    assert consents.filter(withdrawn_at__isnull=True).count() == 1

    refused = client.post("/my/advisories/", {"neighbourhoods": ["nowhere"]})
    assert "govuk-error-summary" in refused.content.decode()
    assert m.AdvisorySubscription.objects.get(personal_number=number).home  # nothing lost

    client.post("/my/advisories/", {})
    assert not m.AdvisorySubscription.objects.filter(personal_number=number).exists()
    assert consents.filter(withdrawn_at__isnull=True).count() == 0


def test_an_erasure_ends_the_subscription(gauge):
    done = erasure_run(personal_number=gauge["chooser"])
    assert {"what": "advisory_subscription", "count": 1} in done["erased"]
    assert not m.AdvisorySubscription.objects.filter(personal_number=gauge["chooser"]).exists()


def test_the_public_page_shows_current_conditions_and_the_operator_a_chart_with_its_table(
    gauge, django_capture_on_commit_callbacks, client, operator
):
    rule = gauge["rule"]
    with django_capture_on_commit_callbacks(execute=True):
        send(rule, [2.0, 2.6, 2.7, 2.8, 2.9])
    page = client.get("/advisories/").content.decode()
    assert "Current conditions" in page and "2.9 m" in page and ">high<" in page
    chart = operator.get(f"/staff/sensors/datastreams/{rule.datastream_id}/").content.decode()
    assert "<polyline" in chart and "level 2.5" in chart
    assert "By hour" in chart and "2.90" in chart  # the hour's highest, in the table
    assert operator.get("/staff/sensors/datastreams/999999/").status_code == 404
