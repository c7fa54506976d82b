"""The caseworker workbench: the agency's queue, moving a case along its workflow, asking the
resident, deciding, objections, and two caseworkers saving the same case."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.cases.models import Case
from civic.core import clock
from civic.exchange.models import AccessLogEntry
from civic.exchange.pseudonyms import person_pseudonym
from civic.identity import services as identity
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.notify.models import Message
from tests.builders import a_registered_resident, create_staff
from tests.cases.builders import a_submitted_application
from tests.exchange.builders import create_purpose


@pytest.fixture
def case(db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    resident = a_registered_resident()
    return Case.objects.get(submission=a_submitted_application(applicant=resident))


@pytest.fixture
def caseworker(db):
    return create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))


def _login(client, user):
    client.force_login(user)
    return client


def test_the_queue_shows_the_agencys_open_cases_and_nobody_elses(client, case, caseworker):
    page = _login(client, caseworker).get("/staff/cases/").content.decode()
    assert case.reference in page and "Parking permit" in page
    other = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="tax-administration"))
    client.force_login(other)
    assert case.reference not in client.get("/staff/cases/").content.decode()
    assert client.get(f"/staff/cases/{case.reference}/").status_code == 404


def test_staff_without_the_caseworker_role_are_refused(client, case):
    owner = create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))
    assert _login(client, owner).get("/staff/cases/").status_code == 403


def test_queue_filters_and_bulk_assign(client, case, caseworker):
    _login(client, caseworker)
    assert case.reference in client.get("/staff/cases/?assigned=nobody").content.decode()
    assert case.reference not in client.get("/staff/cases/?assigned=me").content.decode()
    client.post("/staff/cases/", {"case": [case.reference], "bulk": "assign-me"})
    assert case.reference in client.get("/staff/cases/?assigned=me&sort=-age").content.decode()
    refused = client.post("/staff/cases/", {"bulk": "assign-me"})
    assert refused.status_code == 400 and "Choose at least one case." in refused.content.decode()
    client.post("/staff/cases/", {"case": [case.reference], "bulk": "team:Parking"})
    assert case.reference in client.get("/staff/cases/?team=Parking").content.decode()
    wrong = client.post("/staff/cases/", {"case": [case.reference], "bulk": "team:Legal affairs"})
    assert wrong.status_code == 400 and "does not handle" in wrong.content.decode()
    forged = client.post("/staff/cases/", {"case": ["AP-000000-FORGED"], "bulk": "assign-me"})
    assert forged.status_code == 400  # a reference of no case of this agency selects nothing


def test_a_status_change_is_in_the_timeline_and_the_residents_inbox(client, case, caseworker):
    _login(client, caseworker)
    client.post(
        f"/staff/cases/{case.reference}/",
        {"action": "transition", "transition": "start_review", "version": case.version},
    )
    case.refresh_from_db()
    assert case.state == "in_review"
    told = Message.objects.filter(recipient=case.applicant, template_code="case-status-changed")
    assert told.count() == 1 and "Being reviewed" in told.get().body


def test_two_caseworkers_saving_the_same_case_the_second_is_told_and_nothing_is_overwritten(
    client, case, caseworker
):
    seen = case.version
    _login(client, caseworker).post(
        f"/staff/cases/{case.reference}/",
        {"action": "transition", "transition": "start_review", "version": seen},
    )
    colleague = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    client.force_login(colleague)
    late = client.post(
        f"/staff/cases/{case.reference}/",
        {"action": "transition", "transition": "withdraw", "version": seen},
    )
    assert late.status_code == 409 and "Someone else changed this case" in late.content.decode()
    case.refresh_from_db()
    assert case.state == "in_review" and case.closed_at is None


def test_the_same_step_twice_from_two_pages_the_second_is_told_someone_else_changed_it(
    client, case, caseworker
):
    """Two caseworkers on the same case page both start the review (the load benchmark saw
    this race): the second learns that the case changed, not that the step is impossible."""
    seen = case.version
    _login(client, caseworker).post(
        f"/staff/cases/{case.reference}/",
        {"action": "transition", "transition": "start_review", "version": seen},
    )
    colleague = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"))
    client.force_login(colleague)
    late = client.post(
        f"/staff/cases/{case.reference}/",
        {"action": "transition", "transition": "start_review", "version": seen},
    )
    assert late.status_code == 409 and "Someone else changed this case" in late.content.decode()


def test_a_request_for_information_stops_the_clock_until_the_resident_answers(
    client, case, caseworker, monkeypatch
):
    _login(client, caseworker)
    url = f"/staff/cases/{case.reference}/"
    client.post(
        url, {"action": "transition", "transition": "start_review", "version": case.version}
    )
    case.refresh_from_db()
    due = (clock.now() + dt.timedelta(days=14)).date().isoformat()
    client.post(
        url,
        {
            "action": "information",
            "question": "Send the car's registration papers.",
            "answer_due": due,
            "version": case.version,
        },
    )
    case.refresh_from_db()
    assert case.state == "waiting" and case.suspended_since is not None
    queue = client.get("/staff/cases/").content.decode()
    assert "Waiting for the applicant&#x27;s information" in queue
    assert "Waiting for your information" not in queue, "staff read staff wording"
    deadline = case.deadline
    asked = Message.objects.get(recipient=case.applicant, template_code="information-requested")
    assert "registration papers" in asked.body
    later = clock.now() + dt.timedelta(days=10)
    monkeypatch.setattr(clock, "now", lambda: later)
    client.force_login(identity.resident_account_ensure(personal_number=case.applicant))
    page = client.get(f"/my/cases/{case.reference}/").content.decode()
    assert "We need information from you" in page and "The clock is stopped" in page
    request_id = case.information_requests.get().pk
    empty = client.post(
        f"/my/cases/{case.reference}/",
        {"action": "answer", "request": request_id, "answer-text": ""},
    )
    assert empty.status_code == 400 and "There is a problem" in empty.content.decode()
    client.post(
        f"/my/cases/{case.reference}/",
        {"action": "answer", "request": request_id, "answer-text": "Attached to my message."},
    )
    case.refresh_from_db()
    assert case.state == "in_review" and case.suspended_since is None
    assert case.deadline == deadline + dt.timedelta(days=10)


def test_a_decision_with_reasons_reaches_the_resident_who_can_object(client, case, caseworker):
    _login(client, caseworker)
    url = f"/staff/cases/{case.reference}/"
    client.post(
        url, {"action": "transition", "transition": "start_review", "version": case.version}
    )
    case.refresh_from_db()
    bad = client.post(url, {"action": "decision", "template": "", "version": case.version})
    assert bad.status_code == 400 and "Choose the decision." in bad.content.decode()
    client.post(
        url,
        {
            "action": "decision",
            "template": "refused-area",
            "reasons": "Your street is in zone C.",
            "version": case.version,
        },
    )
    case.refresh_from_db()
    assert case.state == "decided" and case.closed_at and case.decision.outcome == "refused"
    assert (
        Message.objects.filter(recipient=case.applicant, template_code="decision-made").count() == 1
    )
    told = Message.objects.filter(recipient=case.applicant, template_code="case-status-changed")
    assert told.count() == 1  # "being reviewed"; the decision is told once, by its own message
    client.force_login(identity.resident_account_ensure(personal_number=case.applicant))
    page = client.get(f"/my/cases/{case.reference}/").content.decode()
    assert "outside the permit area" in page and "Your street is in zone C." in page
    response = client.post(
        f"/my/cases/{case.reference}/",
        {"action": "objection", "objection-text": "My street is in zone B."},
    )
    objection = Case.objects.get(objects_to=case)
    assert response.url == f"/my/cases/{objection.reference}/"
    assert objection.case_type.is_objection and objection.agency == case.agency
    assert objection.team == "Legal affairs", "an objection goes to the team that handles them"
    timeline = client.get(response.url).content.decode()
    assert "You objected" in timeline and "You applied" not in timeline


def test_register_data_on_the_case_page_is_read_through_the_exchange_and_logged(
    client, case, caseworker
):
    _login(client, caseworker)
    before = AccessLogEntry.objects.filter(
        subject=person_pseudonym(case.subject), actor_kind="staff"
    ).count()
    page = client.get(f"/staff/cases/{case.reference}/?show=register").content.decode()
    assert "identity.family_name" in page and "address.street" in page
    entries = AccessLogEntry.objects.filter(
        subject=person_pseudonym(case.subject), actor_kind="staff"
    )
    assert entries.count() == before + 1
    assert (
        entries.latest("pk").purpose == "apply-parking-permit"
        and entries.latest("pk").case == case.reference
    )


def test_a_resident_cannot_open_someone_elses_case(client, case):
    from civic.registers.models import Person

    other = Person.objects.exclude(personal_number=case.applicant).first()
    client.force_login(identity.resident_account_ensure(personal_number=other.personal_number))
    assert client.get(f"/my/cases/{case.reference}/").status_code == 404
    assert case.reference not in client.get("/my/cases/").content.decode()


def test_a_resident_who_chose_email_gets_the_decision_by_email_too(
    client, case, caseworker, mailoutbox, django_capture_on_commit_callbacks
):
    from civic.notify.services import preference_set

    preference_set(personal_number=case.applicant, email="jan@example.org", by_email=True)
    _login(client, caseworker)
    url = f"/staff/cases/{case.reference}/"
    client.post(
        url, {"action": "transition", "transition": "start_review", "version": case.version}
    )
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):  # mail goes out after the commit
        client.post(url, {"action": "decision", "template": "granted", "version": case.version})
    decided = [m for m in mailoutbox if case.reference in m.subject or case.reference in m.body]
    assert any("granted" in m.body.lower() for m in decided)
    assert all(m.to == ["jan@example.org"] for m in decided)


def test_a_long_queue_counts_up_to_a_cap_and_still_pages(client, caseworker, monkeypatch, db):
    from tests.cases.test_backlog import _case

    for n in range(1, 8):
        _case(n, opened_days_ago=n)
    monkeypatch.setattr("civic.cases.selectors.staff.COUNT_CAP", 5)
    monkeypatch.setattr("civic.cases.views.PAGE", 3)
    _login(client, caseworker)
    page = client.get("/staff/cases/?sort=-age").content.decode()
    assert "More than 5 open cases" in page and "BL-00001" in page and 'rel="next"' in page
    last = client.get("/staff/cases/?sort=-age&page=3").content.decode()
    assert "BL-00007" in last and 'rel="next"' not in last


def test_a_new_case_is_with_its_types_first_team_and_the_overdue_count_obeys_the_filters(
    client, case, caseworker
):
    assert case.team == case.case_type.teams[0]
    Case.objects.filter(pk=case.pk).update(deadline=clock.now().date() - dt.timedelta(days=3))
    _login(client, caseworker)
    mine = client.get(f"/staff/cases/?team={case.team}").content.decode()
    assert "1 past its deadline" in mine
    assert f"team={case.team.replace(' ', '+')}&amp;overdue=1" in mine
    other = next(t for t in ("Legal affairs", "Local taxes") if t != case.team)
    assert "past its deadline" not in client.get(f"/staff/cases/?team={other}").content.decode()


def test_a_resident_answers_a_question_with_a_document_the_caseworker_can_open(
    client, case, caseworker, django_capture_on_commit_callbacks, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civic.cases.models import AnswerDocument
    from civic.documents.models import Document
    from tests.documents import samples

    _login(client, caseworker)
    url = f"/staff/cases/{case.reference}/"
    client.post(
        url, {"action": "transition", "transition": "start_review", "version": case.version}
    )
    case.refresh_from_db()
    due = (clock.now() + dt.timedelta(days=14)).date().isoformat()
    client.post(
        url,
        {
            "action": "information",
            "question": "Send the car's registration papers.",
            "answer_due": due,
            "version": case.version,
        },
    )
    request_id = case.information_requests.get().pk
    client.force_login(identity.resident_account_ensure(personal_number=case.applicant))
    mine = f"/my/cases/{case.reference}/"
    page = client.get(mine).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page

    nothing = client.post(mine, {"action": "answer", "request": request_id, "answer-text": ""})
    assert nothing.status_code == 400 and "Write your answer or add a document." in (
        nothing.content.decode()
    )
    not_a_document = client.post(
        mine,
        {
            "action": "answer",
            "request": request_id,
            "answer-text": "Here they are.",
            "answer-document": SimpleUploadedFile("papers.exe", b"MZ\x90\x00" + b"\x00" * 64),
        },
    )
    assert not_a_document.status_code == 400 and "must be a" in not_a_document.content.decode()
    case.refresh_from_db()
    assert case.state == "waiting" and not AnswerDocument.objects.exists(), "nothing was sent"

    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = samples.letter_pdf([f"Kenteken AB-123-C, zaak {case.reference}"])
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            mine,
            {
                "action": "answer",
                "request": request_id,
                "answer-text": "",
                "answer-document": SimpleUploadedFile("papers.pdf", pdf, "application/pdf"),
            },
        )
    assert sent.status_code == 302
    case.refresh_from_db()
    assert case.state == "in_review", "a document alone answers the question"
    stored = AnswerDocument.objects.get()
    assert stored.name == "papers.pdf" and stored.content_type == "application/pdf"
    # Document intake took the file in (stored once there), read it and linked it to the case.
    assert stored.intake_document_id and not stored.file
    read = Document.objects.get(pk=stored.intake_document_id)
    assert read.status == "processed" and read.routed_to == f"case:{case.reference}"

    client.force_login(caseworker)
    staff_page = client.get(url).content.decode()
    link = f"/staff/documents/{stored.intake_document_id}/"
    assert link in staff_page and "papers.pdf" in staff_page
    answer_link = client.get(f"/staff/cases/{case.reference}/answers/{stored.pk}/")
    assert answer_link.status_code == 302 and answer_link["Location"] == link
    download = client.get(f"{link}original")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    other = create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="tax-administration"))
    client.force_login(other)
    assert client.get(link).status_code == 404, "another agency cannot open it"
    assert client.get(f"{link}original").status_code == 404
