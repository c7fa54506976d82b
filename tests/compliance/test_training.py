"""Staff skills: only staff whose data-protection training is current read personal data. The
exchange refuses everyone else, on the case page with why and what to do, as problem+json on
an API, and writes nothing to the access log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from civic.api import api
from civic.cases.models import Case
from civic.compliance.training.models import TrainingRecord
from civic.compliance.training.services import training_record_add
from civic.core import clock
from civic.core.errors import CivicError
from civic.exchange.errors import StaffNotCleared
from civic.exchange.models import AccessLogEntry
from civic.exchange.selectors import Actor, records_fetch
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import a_registered_resident, create_staff, with_training
from tests.cases.builders import a_submitted_application
from tests.exchange.builders import create_purpose


@pytest.fixture
def case(db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    return Case.objects.get(submission=a_submitted_application(applicant=a_registered_resident()))


def _caseworker(**kwargs):
    return create_staff(roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"), **kwargs)


def _staff_reads() -> int:
    return AccessLogEntry.objects.filter(actor_kind="staff").count()


def test_a_caseworker_without_training_is_told_why_and_what_to_do_and_reads_nothing(client, case):
    client.force_login(_caseworker(trained=False))
    before = _staff_reads()

    page = client.get(f"/staff/cases/{case.reference}/?show=register").content.decode()

    assert "no record of your data-protection training" in page
    assert "ask your data protection officer or administrator to record it" in page
    assert "identity.family_name" not in page
    assert _staff_reads() == before


def test_expired_training_is_refused_naming_the_day_it_expired(client, case):
    worker = _caseworker(trained=False)
    training_record_add(
        user=worker, completed_on=dt.date(2024, 3, 1), valid_until=dt.date(2025, 3, 1)
    )
    client.force_login(worker)

    page = client.get(f"/staff/cases/{case.reference}/?show=register").content.decode()

    assert "expired on 1 March 2025" in page and "identity.family_name" not in page


def test_current_training_lets_the_caseworker_read_again(client, case):
    worker = _caseworker(trained=False)
    client.force_login(worker)
    assert (
        "identity.family_name"
        not in client.get(f"/staff/cases/{case.reference}/?show=register").content.decode()
    )

    with_training(worker)

    page = client.get(f"/staff/cases/{case.reference}/?show=register").content.decode()
    assert "identity.family_name" in page


def test_the_refusal_on_an_api_is_problem_json_with_status_403(case):
    worker = _caseworker(trained=False)
    with pytest.raises(StaffNotCleared) as refused:
        records_fetch(
            register="persons",
            subject=case.subject,
            fields=["identity.family_name"],
            purpose=case.case_type.purpose,
            actor=Actor.staff(worker),
            case=case.reference,
        )

    response = api.on_exception(RequestFactory().get("/api/"), refused.value)

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert "staff-not-cleared" in body["type"] and "data-protection training" in body["detail"]


def test_the_dpo_of_another_agency_cannot_record_training(db):
    worker = _caseworker(trained=False)
    elsewhere = create_staff(
        roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="tax-administration")
    )
    with pytest.raises(PermissionDenied):
        training_record_add(user=worker, by=elsewhere)
    own = create_staff(roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="havenstad"))

    record = training_record_add(user=worker, by=own)

    assert record.valid_until == clock.today() + dt.timedelta(days=365)
    assert TrainingRecord.objects.filter(user=worker).count() == 1


def test_the_administrator_keeps_training_records_in_the_back_office(client, db):
    worker = _caseworker(trained=False)
    admin = create_staff(roles=[Role.ADMINISTRATOR], agency=agency_get(code="havenstad"))
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    client.force_login(admin)

    response = client.post(
        "/admin/compliance/trainingrecord/add/",
        {
            "user": worker.pk,
            "course": "data-protection",
            "completed_on": "2026-11-01",
            "valid_until": "2027-11-01",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert TrainingRecord.objects.get(user=worker).valid_until == dt.date(2027, 11, 1)


def _back_office(role: str):
    member = create_staff(roles=[role], agency=agency_get(code="havenstad"), trained=False)
    member.is_staff = True
    member.save(update_fields=["is_staff"])
    return member


def _record_in_back_office(client, user, *, valid_until: str):
    return client.post(
        "/admin/compliance/trainingrecord/add/",
        {
            "user": user.pk,
            "course": "data-protection",
            "completed_on": "2026-11-01",
            "valid_until": valid_until,
            "_save": "Save",
        },
    )


def test_an_officer_cannot_record_their_own_training_and_stays_refused(client, case):
    officer = _back_office(Role.DATA_PROTECTION_OFFICER)
    client.force_login(officer)

    response = _record_in_back_office(client, officer, valid_until="2027-11-01")

    assert response.status_code == 200
    page = response.content.decode()
    assert "errornote" in page and "You cannot record your own training" in page
    assert not TrainingRecord.objects.filter(user=officer).exists()
    with pytest.raises(CivicError, match="your own training"):
        training_record_add(user=officer, by=officer)
    assert not TrainingRecord.objects.filter(user=officer).exists()


def test_a_training_record_counts_at_most_two_years(client, db):
    worker = _caseworker(trained=False)
    client.force_login(_back_office(Role.ADMINISTRATOR))

    response = _record_in_back_office(client, worker, valid_until="2036-11-01")

    assert response.status_code == 200
    assert "A training counts at most 2 years" in response.content.decode()
    assert not TrainingRecord.objects.filter(user=worker).exists()
    assert _record_in_back_office(client, worker, valid_until="2028-11-01").status_code == 302
    assert TrainingRecord.objects.get(user=worker).valid_until == dt.date(2028, 11, 1)
