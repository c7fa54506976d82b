"""Access review: a caseworker's read explained by an open case stays out of the data
protection officer's queue; one that nothing explains goes into it, as does every break-glass
read (refused without a reason); bulk and odd-hours reading are flagged; another agency's
officer sees none of it."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from civic.cases.models import Case
from civic.compliance.review.explain import CaseSeen, TaskSeen, explained, odd_hours
from civic.compliance.review.models import AccessReview
from civic.compliance.review.services import access_review_run
from civic.core import clock
from civic.exchange.models import AccessLogEntry
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident, create_staff
from tests.cases.builders import a_submitted_application
from tests.exchange.builders import create_purpose

_numbers = itertools.count(1)


@pytest.fixture
def case(db, settings, monkeypatch):
    # The reads these tests make happen now, at whatever hour and day the suite runs (a run on
    # a Friday evening flagged them as odd hours too): here every hour counts as working time;
    # the odd-hours flag has its own tests below, at fixed times.
    monkeypatch.setattr("civic.compliance.review.services.odd_hours", lambda local, hours: False)
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    return Case.objects.get(submission=a_submitted_application(applicant=a_registered_resident()))


def _staff(role: str = Role.CASEWORKER, agency: str = "havenstad"):
    return create_staff(roles=[role], agency=agency_get(code=agency))


def _unexplained(worker) -> list[AccessReview]:
    return list(AccessReview.objects.filter(staff=worker, kind=AccessReview.Kind.UNEXPLAINED))


# --- the rule, on plain values ---------------------------------------------------------------

AT = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)
A_CASE = CaseSeen("AP-1", "havenstad", "apply", AT - dt.timedelta(days=2), None, frozenset({"p1"}))


def _explained(**changes) -> bool:
    read = {
        "agency": "havenstad",
        "actor": "7",
        "at": AT,
        "register": "persons",
        "subject": "p1",
        "purpose": "apply",
        "case": A_CASE,
        "tasks": [],
    }
    return explained(**{**read, **changes})


def test_a_read_of_an_open_cases_person_under_its_purpose_is_explained():
    assert _explained()


def test_a_case_explains_nothing_once_closed_nor_for_someone_else_nor_another_agency():
    closed = CaseSeen(**{**A_CASE.__dict__, "closed_at": AT - dt.timedelta(hours=1)})
    assert not _explained(case=closed)
    assert not _explained(subject="p2")
    assert not _explained(agency="tax-administration")
    assert not _explained(purpose="something-else")
    assert _explained(register="addresses", subject="an-address"), "the case's address"


def test_an_open_task_explains_a_read_that_names_no_case():
    task = TaskSeen(A_CASE, "7", AT - dt.timedelta(hours=1), None)
    assert _explained(case=None, tasks=[task])
    assert not _explained(case=None, tasks=[TaskSeen(A_CASE, "8", task.created_at, None)])
    done = TaskSeen(A_CASE, "7", task.created_at, AT - dt.timedelta(minutes=1))
    assert not _explained(case=None, tasks=[done])


def test_a_self_explaining_purpose_needs_no_case():
    assert _explained(case=None, purpose="front-desk", self_explaining={"front-desk"})


def test_odd_hours_are_nights_and_weekends_in_local_time():
    assert odd_hours(dt.datetime(2026, 12, 3, 6, 59))
    assert not odd_hours(dt.datetime(2026, 12, 3, 7, 0))
    assert odd_hours(dt.datetime(2026, 12, 3, 19, 0))
    assert odd_hours(dt.datetime(2026, 12, 5, 11, 0)), "a Saturday"


# --- the queue -------------------------------------------------------------------------------


def test_a_read_of_an_open_case_stays_out_of_the_queue(client, case):
    worker = _staff()
    client.force_login(worker)
    client.get(f"/staff/cases/{case.reference}/?show=register")

    run = access_review_run()

    assert run.explained >= 2, "the person and their address"
    assert _unexplained(worker) == []


def test_an_unexplained_read_by_a_caseworker_appears_in_the_dpos_queue(client, case):
    worker = _staff()
    Case.objects.filter(pk=case.pk).update(closed_at=clock.now() - dt.timedelta(days=1))
    client.force_login(worker)
    assert (
        "identity.family_name"
        in client.get(f"/staff/cases/{case.reference}/?show=register").content.decode()
    )
    officer = _staff(Role.DATA_PROTECTION_OFFICER)
    client.force_login(officer)

    queue = client.get("/staff/privacy/reviews/").content.decode()

    [review] = _unexplained(worker)
    assert worker.username in queue and f"/staff/privacy/reviews/{review.pk}/" in queue
    page = client.get(f"/staff/privacy/reviews/{review.pk}/").content.decode()
    assert case.reference in page and "apply-parking-permit" in page
    decided = client.post(
        f"/staff/privacy/reviews/{review.pk}/",
        {"decision": "referred", "note": "The case was closed; asked the team lead."},
    )
    assert decided.status_code == 302
    review.refresh_from_db()
    assert review.status == "referred" and review.decided_by == officer
    assert worker.username not in client.get("/staff/privacy/reviews/").content.decode()


def test_a_finding_without_a_note_is_refused_and_the_review_stays_open(client, case):
    review = _a_review_of(case)
    client.force_login(_staff(Role.DATA_PROTECTION_OFFICER))

    response = client.post(f"/staff/privacy/reviews/{review.pk}/", {"decision": "justified"})

    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert "Write what you found" in response.content.decode()
    review.refresh_from_db()
    assert review.status == "open"


def test_another_agencys_officer_and_a_forged_id_find_nothing(client, case):
    review = _a_review_of(case)
    client.force_login(_staff(Role.DATA_PROTECTION_OFFICER, agency="tax-administration"))

    assert (
        f"/staff/privacy/reviews/{review.pk}/"
        not in client.get("/staff/privacy/reviews/?show=all").content.decode()
    )
    assert client.get(f"/staff/privacy/reviews/{review.pk}/").status_code == 404
    forged = client.post(
        f"/staff/privacy/reviews/{review.pk}/", {"decision": "justified", "note": "forged"}
    )
    assert forged.status_code == 404
    review.refresh_from_db()
    assert review.status == "open"
    client.force_login(_staff(Role.DATA_PROTECTION_OFFICER))
    assert client.get("/staff/privacy/reviews/999999999/").status_code == 404


def test_a_caseworker_cannot_open_the_queue(client, case):
    client.force_login(_staff())
    assert client.get("/staff/privacy/reviews/").status_code == 403


def _a_review_of(case) -> AccessReview:
    worker = _staff()
    _entry(worker, at=clock.now(), subject="someone", case="")
    access_review_run()
    return _unexplained(worker)[0]


# --- break-glass -------------------------------------------------------------------------------


def test_break_glass_without_a_reason_is_refused_and_reads_nothing(client, case):
    client.force_login(_staff())
    before = AccessLogEntry.objects.count()

    response = client.post(
        "/staff/privacy/break-glass/",
        {"personal_number": case.subject, "purpose": "apply-parking-permit", "reason": " "},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "State why you need" in page
    assert AccessLogEntry.objects.count() == before
    assert not AccessReview.objects.filter(kind=AccessReview.Kind.BREAK_GLASS).exists()


def test_break_glass_with_a_reason_reads_and_always_goes_to_the_queue(client, case):
    worker = _staff()
    client.force_login(worker)

    response = client.post(
        "/staff/privacy/break-glass/",
        {
            "personal_number": case.subject,
            "purpose": "apply-parking-permit",
            "reason": "Resident at the desk without their letter; checking the address.",
        },
    )

    assert response.status_code == 200
    assert "identity.family_name" in response.content.decode()
    review = AccessReview.objects.get(staff=worker, kind=AccessReview.Kind.BREAK_GLASS)
    assert review.reason.startswith("Resident at the desk")
    access_review_run()
    assert _unexplained(worker) == [], "the break-glass read is reviewed as such, once"
    client.force_login(_staff(Role.DATA_PROTECTION_OFFICER))
    page = client.get(f"/staff/privacy/reviews/{review.pk}/").content.decode()
    assert "Resident at the desk" in page


def test_break_glass_under_a_purpose_not_granted_or_for_a_malformed_number_is_refused(client, case):
    client.force_login(_staff())
    before = AccessLogEntry.objects.count()
    reason = "Checking something urgent for a colleague."

    other = client.post(
        "/staff/privacy/break-glass/",
        {"personal_number": case.subject, "purpose": "child-benefit", "reason": reason},
    )
    malformed = client.post(
        "/staff/privacy/break-glass/",
        {"personal_number": "12345", "purpose": "apply-parking-permit", "reason": reason},
    )

    assert other.status_code == 400 and "Choose one of the purposes" in other.content.decode()
    assert malformed.status_code == 400 and "govuk-error-summary" in malformed.content.decode()
    assert AccessLogEntry.objects.count() == before


def test_break_glass_without_training_is_refused_with_the_reason(client, case):
    client.force_login(
        create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"), trained=False)
    )
    response = client.post(
        "/staff/privacy/break-glass/",
        {
            "personal_number": case.subject,
            "purpose": "apply-parking-permit",
            "reason": "Resident at the desk without their letter.",
        },
    )
    assert response.status_code == 400
    assert "data-protection training" in response.content.decode()
    assert not AccessReview.objects.filter(kind=AccessReview.Kind.BREAK_GLASS).exists()


# --- anomalies -----------------------------------------------------------------------------------


def _entry(worker, *, at: dt.datetime, subject: str, case: str = "", **row) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        **row,
        at=at,
        actor_kind=AccessLogEntry.ActorKind.STAFF,
        actor=str(worker.pk),
        agency=worker.agency.code,
        purpose="apply-parking-permit",
        legal_ground="public_task",
        legal_basis="Law",
        register="persons",
        subject=subject,
        fields="identity.family_name",
        case=case,
        trace_id=f"trace-{next(_numbers)}",
        visible_from=at,
    )


def test_reading_at_night_and_reading_many_people_in_a_day_are_flagged(db, settings):
    settings.ACCESS_REVIEW_BULK_A_DAY = 5
    worker = _staff()
    night = timezone.make_aware(dt.datetime(2026, 12, 2, 3, 15))  # a Wednesday
    for number in range(6):
        _entry(worker, at=night + dt.timedelta(minutes=number), subject=f"person-{number}")

    run = access_review_run()

    kinds = set(AccessReview.objects.filter(staff=worker).values_list("kind", flat=True))
    assert {"odd_hours", "bulk", "unexplained"} <= kinds
    bulk = AccessReview.objects.get(staff=worker, kind="bulk")
    assert bulk.people == 6 and run.entries == 6
    assert access_review_run() is None, "a second pass finds nothing new"


def test_a_read_logged_with_a_lower_id_after_a_pass_is_still_reviewed(db):
    """On PostgreSQL a read's entry takes its id when written and is seen when its transaction
    commits: a slow transaction's entry can appear after a pass has seen higher ids."""
    first, slow = _staff(), _staff()
    working_hours = timezone.make_aware(dt.datetime(2026, 12, 2, 10, 0))  # a Wednesday
    seen = _entry(first, at=working_hours, subject="person-a", id=1_000_000)
    access_review_run()
    assert len(_unexplained(first)) == 1

    _entry(slow, at=working_hours, subject="person-b", id=seen.pk - 1)
    run = access_review_run()

    assert run is not None and run.entries == 1
    [review] = _unexplained(slow)
    assert review.reads == 1
    assert access_review_run() is None, "each read is reviewed once"


def test_an_officer_cannot_decide_the_review_of_their_own_break_glass_read(client, case):
    officer = create_staff(
        roles=[Role.CASEWORKER, Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="havenstad")
    )
    client.force_login(officer)
    client.post(
        "/staff/privacy/break-glass/",
        {
            "personal_number": case.subject,
            "purpose": "apply-parking-permit",
            "reason": "Curious about my neighbour today.",
        },
    )
    review = AccessReview.objects.get(staff=officer, kind=AccessReview.Kind.BREAK_GLASS)
    # The page says so at once, with no form to fill in vain ...
    shown = client.get(f"/staff/privacy/reviews/{review.pk}/").content.decode()
    assert "Another data protection officer must" in shown and 'name="decision"' not in shown

    # ... and a forged post is refused all the same.
    response = client.post(
        f"/staff/privacy/reviews/{review.pk}/", {"decision": "justified", "note": "Fine."}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Another data protection officer must" in page
    review.refresh_from_db()
    assert (review.status, review.decided_by, review.note) == (AccessReview.Status.OPEN, None, "")
    client.force_login(_staff(Role.DATA_PROTECTION_OFFICER))
    response = client.post(
        f"/staff/privacy/reviews/{review.pk}/", {"decision": "referred", "note": "Not a case."}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == AccessReview.Status.REFERRED
