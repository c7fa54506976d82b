"""The rules decide a case after the resident's submission commits: a rule set that fails, or
a grant the rules' job lacks, leaves the submission sent, the resident on the "sent" page and
the case open with a caseworker, told why."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from civic.cases import selectors as cases
from civic.cases.models import Case, Decision, Task
from civic.core.models import EventHandling
from civic.decisions.models import RuleOutcome
from civic.decisions.rule_sets import rule_sets
from civic.exchange import services as exchange
from civic.exchange.models import AccessLogEntry, Grant
from civic.forms.models import Submission
from civic.identity import services as identity
from civic.identity.models import Role
from tests.builders import create_staff
from tests.decisions.builders import a_school_clothing_application, households_with_school_children
from tests.exchange.builders import create_purpose

pytestmark = pytest.mark.django_db

FORM = "/my/apply/kindpakket/"


@pytest.fixture
def applicant(jurisdiction) -> str:
    """A parent whose application the rules would grant at once."""
    return next(
        a for a, income, known in households_with_school_children() if known and income < 20_000
    )


@pytest.fixture
def broken_rules(monkeypatch):
    """The school clothing grant's rule set as published with a mistake: it asks the rules
    package for a variable it does not have, so OpenFisca fails on every application."""
    key = "school_clothing_grant"
    broken = dataclasses.replace(rule_sets()[key], eligible="school_clothing_grant_no_such_rule")
    monkeypatch.setitem(rule_sets(), key, broken)


def _apply_on_the_pages(client, applicant: str, capture) -> tuple:
    client.force_login(identity.resident_account_ensure(personal_number=applicant))
    start = client.get(FORM)
    assert start.status_code == 302
    client.post(start.url, {"form_version": "1", "action": "continue", "shown": ""})
    check = client.post(
        f"{FORM}school/",
        {
            "form_version": "1",
            "action": "continue",
            "shown": "children_at_school",
            "children_at_school": "yes",
        },
    )
    assert check.url.endswith("/check/"), check
    with capture(execute=True):  # the request commits; then what waits for its commit runs
        sent = client.post(f"{FORM}check/")
    return sent


def _with_a_caseworker(case: Case, because: str) -> None:
    case.refresh_from_db()
    assert case.closed_at is None and case.state == "received"
    assert not Decision.objects.filter(case=case).exists()
    [task] = Task.objects.filter(case=case)
    assert (
        task.title.startswith("Decide by hand: the rules could not be run")
        and because in task.title
    )
    worker = create_staff(roles=[Role.CASEWORKER], agency=case.agency)
    queue = cases.queue(user=worker, case_type="school-clothing-grant")
    assert case.reference in [c.reference for c in queue["cases"]]
    assert RuleOutcome.objects.get(case_reference=case.reference).route == "caseworker"


def test_a_rule_set_that_fails_leaves_the_submission_sent_and_the_case_with_a_caseworker(
    client, settings, applicant, broken_rules, django_capture_on_commit_callbacks, caplog
):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    with caplog.at_level(logging.ERROR, logger="civic.decisions"):
        sent = _apply_on_the_pages(client, applicant, django_capture_on_commit_callbacks)

    submission = Submission.objects.get(applicant=applicant)
    assert sent.status_code == 302 and sent.url.endswith(f"/sent/{submission.reference}/")
    page = client.get(sent.url)
    assert page.status_code == 200 and submission.reference in page.content.decode()
    case = Case.objects.get(submission=submission)
    _with_a_caseworker(case, "school_clothing_grant_no_such_rule")
    assert any("could not evaluate case" in r.getMessage() for r in caplog.records)
    # The rules' partial work rolled back: no read of the household is logged for the case.
    assert not AccessLogEntry.objects.filter(case=case.reference, actor_kind="job").exists()
    # The handler itself did its work (handing over), so it is done, not retried.
    handling = EventHandling.objects.get(
        event_type="org.civic.cases.opened", payload__subject=case.reference
    )
    assert handling.status == "done"
    # The resident sees the case as received, and nothing decided.
    assert "Received" in client.get("/my/").content.decode()


def test_without_the_rules_grant_the_case_goes_to_a_caseworker_with_the_grant_named(applicant):
    for grant in Grant.objects.filter(
        job="automated-decisions", purpose__code="apply-school-clothing-grant"
    ):
        exchange.grant_revoke(grant=grant)

    case = a_school_clothing_application(applicant)

    assert Submission.objects.filter(pk=case.submission_id).exists()
    _with_a_caseworker(case, "")


def test_the_same_application_is_decided_when_the_rules_work(applicant):
    case = a_school_clothing_application(applicant)
    assert Decision.objects.get(case=case).automated
