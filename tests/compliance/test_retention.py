"""The retention run: what the catalogue and the case types say may no longer be kept goes,
the run is recorded with its counts, a failed run changes nothing, and the access log still
verifies afterwards."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civic.cases.models import Case, CaseType
from civic.compliance.retention import services
from civic.compliance.retention.models import RetentionRun
from civic.exchange import auditlog
from civic.exchange.models import AccessLogEntry
from civic.forms.models import Submission
from civic.registers.models import Income, Person, PersonRecord, VehicleOwnership
from tests.builders import a_registered_resident
from tests.cases.builders import a_submitted_application
from tests.exchange.test_auditlog import released

TODAY = dt.date(2026, 11, 30)


def expired_income() -> int:
    return Income.objects.filter(valid_to__lt=dt.date(2019, 11, 30)).count()


def a_case_closed_on(day: dt.date) -> Case:
    case = Case.objects.get(submission=a_submitted_application(applicant=a_registered_resident()))
    closed = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    Case.objects.filter(pk=case.pk).update(state="granted", closed_at=closed)
    return Case.objects.get(pk=case.pk)


def by_rule(run: RetentionRun) -> dict[str, int]:
    return {r["rule"]: r["count"] for r in run.results}


def test_a_dry_run_counts_what_would_go_and_changes_nothing(db):
    before = Income.objects.count()
    old = expired_income()
    assert old > 0, "the test jurisdiction has income older than seven years"
    run = services.retention_run(dry_run=True, triggered_by="test", today=TODAY)
    assert run.dry_run and run.status == "done"
    assert by_rule(run)["income.income:delete:7y"] == old
    assert Income.objects.count() == before


def test_a_run_deletes_income_and_ownerships_past_retention_and_keeps_the_rest(db):
    before = Income.objects.count()
    old = expired_income()
    ownerships = VehicleOwnership.objects.filter(valid_to__lt=dt.date(2021, 11, 30)).count()
    people = PersonRecord.objects.count()
    run = services.retention_run(dry_run=False, triggered_by="test", today=TODAY)
    counts = by_rule(run)
    assert counts["income.income:delete:7y"] == old
    assert counts["vehicles.ownership:delete:5y"] >= ownerships > 0
    assert Income.objects.count() == before - old
    assert not Income.objects.filter(valid_to__lt=dt.date(2019, 11, 30)).exists()
    assert PersonRecord.objects.count() == people  # the persons register keeps everything
    income = next(r for r in run.results if r["rule"] == "income.income:delete:7y")
    assert income["agency"] == "tax-administration" and "income.amount" in income["attributes"]
    again = services.retention_run(dry_run=False, triggered_by="test", today=TODAY)
    assert by_rule(again)["income.income:delete:7y"] == 0


def test_closed_cases_past_their_types_retention_are_anonymised_recent_ones_kept(db):
    CaseType.objects.filter(code="parking-permit").update(retention_years=7)
    old = a_case_closed_on(dt.date(2018, 6, 1))
    recent = a_case_closed_on(dt.date(2025, 6, 1))
    open_case = Case.objects.get(
        submission=a_submitted_application(applicant=a_registered_resident())
    )
    run = services.retention_run(dry_run=False, triggered_by="test", today=TODAY)
    assert by_rule(run)["cases.parking-permit:anonymise:7y"] == 1
    old.refresh_from_db()
    assert old.subject == old.applicant == "" and old.anonymised_at is not None
    assert old.reference and old.state == "granted"  # still counted in statistics
    submission = Submission.objects.get(pk=old.submission_id)
    assert submission.answers == {} and submission.applicant == ""
    for kept in (recent, open_case):
        kept.refresh_from_db()
        assert kept.subject and kept.anonymised_at is None
        assert Submission.objects.get(pk=kept.submission_id).answers


def test_a_case_type_without_a_retention_is_listed_as_kept_for_good(db):
    CaseType.objects.filter(code="parking-permit").update(retention_years=None)
    run = services.retention_run(dry_run=True, triggered_by="test", today=TODAY)
    assert {"kind": "case_type", "target": "parking-permit", "agency": "havenstad"} in run.kept


def test_a_run_that_fails_half_way_is_rolled_back_and_recorded_as_failed(db, monkeypatch):
    CaseType.objects.filter(code="parking-permit").update(retention_years=7)
    old = a_case_closed_on(dt.date(2018, 6, 1))
    before = Income.objects.count()

    def broken(**kwargs):
        raise RuntimeError("disk full")

    # The register rules have deleted their rows by the time the cases' rule fails.
    monkeypatch.setattr(services, "case_retention_apply", broken)
    with pytest.raises(services.RetentionFailed):
        services.retention_run(dry_run=False, triggered_by="test", today=TODAY)
    assert Income.objects.count() == before
    old.refresh_from_db()
    assert old.subject and old.anonymised_at is None
    run = RetentionRun.objects.get()
    assert run.status == "failed" and "disk full" in run.error


def test_the_access_log_verifies_after_a_retention_run_and_holds_no_personal_number(db):
    released(30)
    auditlog.integrate_all()
    numbers = list(Person.objects.order_by("id").values_list("personal_number", flat=True)[:30])
    run = services.retention_run(dry_run=False, triggered_by="test", today=TODAY)
    assert sum(r["count"] for r in run.results) > 0
    out = StringIO()
    call_command("auditlog", "verify", stdout=out)
    assert out.getvalue().startswith("ok: 30 entries")
    stored = " ".join(str(v) for row in AccessLogEntry.objects.values() for v in row.values())
    assert not [n for n in numbers if n in stored]


def test_the_command_prints_what_each_rule_removed_and_refuses_a_second_run_at_once(db):
    out = StringIO()
    call_command("privacy", "retention", "--dry-run", stdout=out, stderr=StringIO())
    assert "income.income:delete:7y" in out.getvalue() and "would remove" in out.getvalue()
    RetentionRun.objects.create(
        started_at=dt.datetime.now(dt.UTC), triggered_by="schedule", status="running"
    )
    with pytest.raises(CommandError, match="already running"):
        call_command("privacy", "retention", stdout=StringIO(), stderr=StringIO())


def test_celery_beat_starts_the_retention_run_every_day(db, settings):
    from civic.celery import app
    from civic.compliance.retention.tasks import retention_run_task

    entry = settings.CELERY_BEAT_SCHEDULE["compliance-retention-run"]
    assert entry["task"] in app.tasks and entry["schedule"] == 24 * 3600
    run_id = retention_run_task.apply(kwargs={"dry_run": True}).get()
    assert RetentionRun.objects.get(pk=run_id).triggered_by == "schedule"


def test_data_subject_requests_are_kept_five_years_after_closing_then_cleared(db):
    """Kept for the accountability duty (art. 5(2) GDPR): that a request was answered, and in
    time; five years after its case closed, whom it was about and what was asked, answered and
    erased go with the case's personal data."""
    from civic.compliance import services as compliance
    from civic.compliance.models import SubjectRequest
    from civic.identity.models import Role
    from civic.identity.selectors import agency_get
    from tests.builders import create_staff

    officer = create_staff(
        roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="havenstad")
    )
    requests = []
    for closed_on in (dt.date(2020, 6, 1), dt.date(2022, 6, 1)):
        made = compliance.subject_request_start(
            personal_number=a_registered_resident(),
            kind="erasure",
            details="Please erase my e-mail address and my drafts.",
        )
        compliance.subject_request_complete(user=officer, request_id=made.pk)
        closed = dt.datetime.combine(closed_on, dt.time(12), tzinfo=dt.UTC)
        Case.objects.filter(pk=made.case_id).update(closed_at=closed)
        requests.append(made)

    run = services.retention_run(dry_run=False, triggered_by="test", today=TODAY)

    assert by_rule(run)["cases.privacy-erasure:anonymise:5y"] == 1
    old, recent = (SubjectRequest.objects.get(pk=r.pk) for r in requests)
    assert (old.personal_number, old.details, old.outcome, old.erasure) == ("", "", "", {})
    assert old.kind == "erasure" and old.state == "refused" and old.received_at
    assert recent.personal_number and recent.details and recent.erasure
    assert not any(r["target"].startswith("privacy-") for r in run.kept)
