"""The data protection officer (or the Privacy team) lifts a granted restriction (GDPR art. 18)
from the request's page, with a reason the resident reads in their inbox first (art. 18(3)).
Refused with an error summary without a reason, and when nothing is in force; a caseworker
outside the Privacy team and staff of another agency get 404; the restriction stays."""

from __future__ import annotations

import pytest

from civic.compliance import services
from civic.exchange.models import ProcessingLimit
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.notify.models import Message
from tests.builders import a_registered_resident, create_staff
from tests.compliance.test_objection_restriction import _decided

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(jurisdiction):
    return create_staff(roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="havenstad"))


@pytest.fixture
def restricted(officer):
    number = a_registered_resident()
    return number, _decided("restriction", number, officer)


def _page(made) -> str:
    return f"/staff/privacy/requests/{made.pk}/"


def _limit(made) -> ProcessingLimit:
    return ProcessingLimit.objects.get(reference=made.case.reference)


def test_the_officer_lifts_a_restriction_from_the_page_and_the_resident_is_told_first(
    client, officer, restricted
):
    number, made = restricted
    client.force_login(officer)
    page = client.get(_page(made)).content.decode()
    assert "Tell the resident and lift the restriction" in page and "In force" in page

    answer = client.post(_page(made), {"action": "lift", "text": "The data was found correct."})

    assert answer.status_code == 302 and answer["Location"] == _page(made)
    limit = _limit(made)
    assert limit.lifted_at is not None
    told = Message.objects.filter(recipient=number, reference=made.case.reference).latest("pk")
    assert "The data was found correct." in str(told.texts)
    assert told.created_at <= limit.lifted_at
    after = client.get(_page(made)).content.decode()
    assert "Lifted on" in after and "Tell the resident and lift the restriction" not in after


def test_lifting_without_a_reason_is_refused_with_an_error_summary_and_stays_in_force(
    client, officer, restricted
):
    number, made = restricted
    client.force_login(officer)
    messages = Message.objects.filter(recipient=number).count()

    answer = client.post(_page(made), {"action": "lift", "text": "  "})

    assert answer.status_code == 400
    html = answer.content.decode()
    assert "govuk-error-summary" in html and "the resident is told first" in html
    assert _limit(made).lifted_at is None
    assert Message.objects.filter(recipient=number).count() == messages


def test_a_second_lift_is_refused_saying_nothing_is_in_force(client, officer, restricted):
    _number, made = restricted
    services.subject_request_restriction_lift(user=officer, request_id=made.pk, reason="Done.")
    client.force_login(officer)

    answer = client.post(_page(made), {"action": "lift", "text": "Again."})

    assert answer.status_code == 400
    assert "There is no restriction in force to lift" in answer.content.decode()


@pytest.mark.parametrize("who", ["caseworker outside the Privacy team", "officer elsewhere"])
def test_staff_who_do_not_handle_the_request_cannot_lift_it(client, restricted, who):
    _number, made = restricted
    if who.startswith("caseworker"):
        user = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    else:
        user = create_staff(
            roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="social-insurance-bank")
        )
    client.force_login(user)

    answer = client.post(_page(made), {"action": "lift", "text": "Let me."})

    assert answer.status_code == 404
    assert _limit(made).lifted_at is None


def test_a_privacy_team_caseworker_lifts_it_too(client, restricted):
    from civic.identity.services import staff_team_join

    _number, made = restricted
    member = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    staff_team_join(user=member, team="Privacy")
    client.force_login(member)

    answer = client.post(_page(made), {"action": "lift", "text": "Checked with the authority."})

    assert answer.status_code == 302 and _limit(made).lifted_at is not None
