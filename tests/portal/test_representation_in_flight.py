"""Acting for someone is checked at every step, not only at the start: an authorisation that is
narrowed to "only look", revoked or expired stops an application half-way and whatever a
representative would do on a case, with a clear page (403), the refusal kept, and nothing that
was already saved lost."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest

from civic.cases.models import Case, InformationRequest
from civic.core import clock
from civic.forms.models import Draft, Submission
from civic.identity import services as identity
from civic.identity.models import Authorisation, RepresentationRefusal
from tests.builders import create_staff
from tests.cases.builders import a_submitted_application
from tests.portal.test_acting_for_someone import (
    log_in,
    own_data_purpose,  # noqa: F401 (a fixture)
    two_unrelated_residents,
)

DOGS = {
    "action": "continue",
    "shown": "dogs,assistance_dog",
    "dogs-count": "1",
    "dogs-0-dog_name": "Bobbie",
    "dogs-0-chip_number": "528140000123456",
    "dogs-0-since": "2024-05-01",
    "assistance_dog": "no",
}


def authorise(grantor: str, representative: str, scope: str = "all") -> Authorisation:
    return identity.authorisation_grant(
        grantor=grantor,
        representative=representative,
        scope=scope,
        valid_until=clock.today() + dt.timedelta(days=30),
    )


def narrow_to_looking(grantor: str, representative: str) -> None:
    """What the grantor does on the representation page: withdraw, then authorise to look only."""
    for given in Authorisation.objects.filter(grantor=grantor, revoked_at__isnull=True):
        identity.authorisation_revoke(grantor=grantor, authorisation_id=given.pk)
    authorise(grantor, representative, scope="data")


def revoke(grantor: str, representative: str) -> None:
    for given in Authorisation.objects.filter(grantor=grantor, representative=representative):
        identity.authorisation_revoke(grantor=grantor, authorisation_id=given.pk)


def expire(grantor: str, representative: str) -> None:
    Authorisation.objects.filter(grantor=grantor, representative=representative).update(
        valid_until=clock.today() - dt.timedelta(days=1)
    )


@pytest.fixture
def helping(client, own_data_purpose):  # noqa: F811
    """R, authorised by G for everything, has started G's dog-tax form and answered step one."""
    grantor, helper = two_unrelated_residents()
    authorise(grantor, helper)
    log_in(client, helper)
    client.post("/my/representation/", {"action": "act", "person": grantor})
    first = client.get("/my/apply/dog-tax/")
    assert first.status_code == 302 and first.url.endswith("/about_you/")
    draft = Draft.objects.get(applicant=helper, subject=grantor)
    version = str(draft.version.number)
    answered = client.post(first.url, {"form_version": version, "action": "continue", "shown": ""})
    assert answered.status_code == 302
    return grantor, helper, version


CHANGES = {"narrowed": narrow_to_looking, "revoked": revoke, "expired": expire}
MESSAGES = {
    "narrowed": "You may look at this person's data, but not apply for them.",
    "revoked": "You may no longer act for this person",
    "expired": "You may no longer act for this person",
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_authorisation_stops_the_next_step_and_keeps_the_draft(client, helping, change):
    grantor, helper, version = helping
    before = Draft.objects.get(applicant=helper, subject=grantor)
    CHANGES[change](grantor, helper)
    refused = client.post("/my/apply/dog-tax/dogs/", {"form_version": version, **DOGS})
    assert refused.status_code == 403
    page = unescape(refused.content.decode())
    assert MESSAGES[change] in page and "What you filled in so far is kept" in page
    kept = Draft.objects.get(pk=before.pk)
    assert kept.submitted_at is None and kept.answers == before.answers
    assert "dogs" not in kept.answers
    refusal = RepresentationRefusal.objects.get()
    assert refusal.actor_hint == helper[:3] and refusal.represented_hint == grantor[:3]


@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_authorisation_stops_sending_and_opens_no_case(client, helping, change):
    grantor, helper, version = helping
    client.post("/my/apply/dog-tax/dogs/", {"form_version": version, **DOGS})
    assert "dogs" in Draft.objects.get(applicant=helper, subject=grantor).answers
    CHANGES[change](grantor, helper)
    refused = client.post("/my/apply/dog-tax/check/")
    assert refused.status_code == 403 and MESSAGES[change] in unescape(refused.content.decode())
    assert not Submission.objects.filter(subject=grantor).exists()
    assert not Case.objects.filter(subject=grantor).exists()
    draft = Draft.objects.get(applicant=helper, subject=grantor)
    assert draft.submitted_at is None and "dogs" in draft.answers
    assert RepresentationRefusal.objects.filter(where="forms:submit").count() == 1


def test_the_step_page_itself_is_not_shown_once_the_right_has_gone(client, helping):
    grantor, helper, _version = helping
    revoke(grantor, helper)
    refused = client.get("/my/apply/dog-tax/dogs/")
    assert refused.status_code == 403
    assert "You may no longer act for this person" in refused.content.decode()
    assert Draft.objects.filter(applicant=helper, subject=grantor).exists()


def test_the_refusal_page_is_in_dutch_for_a_dutch_reader(client, helping):
    grantor, helper, version = helping
    narrow_to_looking(grantor, helper)
    client.cookies["django_language"] = "nl"
    refused = client.post("/my/apply/dog-tax/dogs/", {"form_version": version, **DOGS})
    page = unescape(refused.content.decode())
    assert refused.status_code == 403
    assert "U mag de gegevens van deze persoon bekijken" in page
    assert "Wat u tot nu toe hebt ingevuld, blijft bewaard" in page


def test_after_stopping_the_representative_the_grantor_applies_themselves_and_the_draft_stays(
    client, helping
):
    grantor, helper, _version = helping
    revoke(grantor, helper)
    assert client.post("/my/apply/dog-tax/check/").status_code == 403
    log_in(client, grantor)
    assert client.get("/my/apply/dog-tax/").status_code == 302
    assert Draft.objects.filter(applicant=grantor, subject=grantor).exists()
    # What the representative filled in is kept, unsent, should the grantor authorise again.
    assert Draft.objects.filter(applicant=helper, subject=grantor, submitted_at=None).exists()


# Cases: what a representative can do on a case they applied for ---------------------------


@pytest.fixture
def a_case_applied_for_someone(db, own_data_purpose):  # noqa: F811
    """R applied for G's parking permit; the caseworker asked a question."""
    from civic.cases.services import case_transition, information_request
    from civic.identity.selectors import agency_get

    grantor, helper = two_unrelated_residents()
    authorise(grantor, helper)
    case = Case.objects.get(
        reference=a_submitted_application(applicant=helper, subject=grantor).reference
    )
    caseworker = create_staff(roles=["caseworker"], agency=agency_get(code=case.agency.code))
    case = case_transition(
        case=case, transition="start_review", user=caseworker, expected_version=case.version
    )
    asked = information_request(
        case=case,
        user=caseworker,
        question="Send your lease contract.",
        answer_due=clock.today() + dt.timedelta(days=14),
        expected_version=case.version,
    )
    return grantor, helper, Case.objects.get(pk=case.pk), asked


@pytest.mark.parametrize("change", CHANGES)
def test_a_representative_whose_right_changed_cannot_answer_a_question(
    client, a_case_applied_for_someone, change
):
    grantor, helper, case, asked = a_case_applied_for_someone
    CHANGES[change](grantor, helper)
    log_in(client, helper)
    refused = client.post(
        f"/my/cases/{case.reference}/",
        {"action": "answer", "request": str(asked.pk), "answer-text": "Attached."},
    )
    assert refused.status_code == 403 and MESSAGES[change] in unescape(refused.content.decode())
    asked.refresh_from_db()
    assert asked.answered_at is None and asked.answer == ""
    assert RepresentationRefusal.objects.filter(where="cases:answer").count() == 1


def test_a_representative_whose_authorisation_was_revoked_cannot_send_a_message(
    client, a_case_applied_for_someone
):
    grantor, helper, case, _asked = a_case_applied_for_someone
    events = case.events.count()
    revoke(grantor, helper)
    log_in(client, helper)
    refused = client.post(
        f"/my/cases/{case.reference}/", {"action": "message", "message-text": "Any news?"}
    )
    assert refused.status_code == 403
    assert case.events.count() == events
    assert RepresentationRefusal.objects.filter(where="cases:message").count() == 1


def test_the_services_refuse_objecting_and_messaging_for_someone_who_narrowed_the_right(
    a_case_applied_for_someone,
):
    from civic.cases.services import case_message_from_resident, objection_file
    from civic.identity.services import RepresentationRefused

    grantor, helper, case, _asked = a_case_applied_for_someone
    narrow_to_looking(grantor, helper)
    with pytest.raises(RepresentationRefused, match="not apply for them"):
        case_message_from_resident(case=case, personal_number=helper, text="Hello")
    with pytest.raises(RepresentationRefused):
        objection_file(case=case, personal_number=helper, reasons="I disagree")
    assert not Case.objects.filter(objects_to=case).exists()
    assert set(RepresentationRefusal.objects.values_list("where", flat=True)) == {
        "cases:message",
        "cases:objection",
    }


def test_the_person_a_case_is_about_still_answers_after_stopping_their_representative(
    client, a_case_applied_for_someone
):
    grantor, helper, case, asked = a_case_applied_for_someone
    revoke(grantor, helper)
    log_in(client, grantor)
    answered = client.post(
        f"/my/cases/{case.reference}/",
        {"action": "answer", "request": str(asked.pk), "answer-text": "Attached."},
    )
    assert answered.status_code == 302
    asked.refresh_from_db()
    assert (
        asked.answer == "Attached."
        and not InformationRequest.objects.filter(pk=asked.pk, answered_at=None).exists()
    )


def test_a_case_applied_for_someone_is_not_shown_once_the_right_to_look_has_gone(
    client, a_case_applied_for_someone
):
    grantor, helper, case, _asked = a_case_applied_for_someone
    log_in(client, helper)
    assert client.get(f"/my/cases/{case.reference}/").status_code == 200
    narrow_to_looking(grantor, helper)
    assert client.get(f"/my/cases/{case.reference}/").status_code == 200  # looking is allowed
    revoke(grantor, helper)
    refused = client.get(f"/my/cases/{case.reference}/")
    assert refused.status_code == 403 and "Send your lease contract" not in refused.content.decode()
    assert RepresentationRefusal.objects.filter(where="portal:case").count() == 1
