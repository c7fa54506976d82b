"""The service KPIs as open data (issue 20): decisions with the share automated and late and the
backlog, pre-filled answers, drop-off per form step, satisfaction and proactive offers taken
up, per service and month. Each count is protected like any published count (under 10
withheld, with enough others); a share is given only where its count is published and where
neither its part nor the rest is a count that would be withheld."""

from __future__ import annotations

import datetime as dt
from itertools import count

import pytest
from django.utils import timezone

from civic.cases.models import Case, CaseType, Decision
from civic.cases.services.decision_days import decision_day_count
from civic.core import clock
from civic.decisions.models import Offer
from civic.feedback.services import feedback_give
from civic.forms.models import Draft, FormDefinition, Submission
from civic.forms.selectors import version_published
from civic.opendata.services import dataset_regenerate

pytestmark = pytest.mark.django_db

_numbers = count(1)


def this_month() -> str:
    return timezone.localtime(clock.now()).strftime("%Y-%m")


def cases(
    case_type: str,
    n: int,
    *,
    month: int,
    automated: int = 0,
    late: int = 0,
    decided: bool = True,
) -> None:
    """``n`` cases of ``case_type`` opened on the 2nd of ``month`` 2026 and (if ``decided``)
    decided on the 10th, the first ``automated`` by the rules and the first ``late`` after a
    deadline of five days (the others' is 56)."""
    kind = CaseType.objects.get(code=case_type)
    opened = dt.datetime(2026, month, 2, 9, tzinfo=dt.UTC)
    decided_at = dt.datetime(2026, month, 10, 9, tzinfo=dt.UTC)
    for i in range(n):
        case = Case.objects.create(
            reference=f"OD-{next(_numbers):05d}",
            case_type=kind,
            agency=kind.agency,
            subject="000000000",
            applicant="000000000",
            state="decided" if decided else "received",
            opened_at=opened,
            deadline=opened.date() + dt.timedelta(days=5 if i < late else 56),
            closed_at=decided_at if decided else None,
        )
        if decided:
            Decision.objects.create(
                case=case,
                outcome=Decision.Outcome.GRANTED,
                reasons="granted",
                decided_by="rules" if i < automated else "caseworker",
                decided_at=decided_at,
                automated=i < automated,
            )
            decision_day_count(case=case, decided_at=decided_at, automated=i < automated)


def test_service_kpis_give_the_share_automated_and_late_and_withhold_a_small_count():
    cases("parking-permit", 30, month=3, automated=20, late=10)
    cases("parking-permit", 20, month=4, automated=20)
    cases("parking-permit", 11, month=3, decided=False)  # still open
    cases("dog-tax", 4, month=3, automated=4)
    cases("dog-tax", 15, month=4)
    cases("housing-allowance", 10, month=3)
    cases("housing-allowance", 12, month=4)
    version = dataset_regenerate(name="service-kpis")
    rows = {tuple(r[:2]): r[2:] for r in version.table["rows"]}

    # decisions, automated %, late %, open at month end
    assert rows[("parking-permit", "2026-03")] == [30, 66.7, 33.3, 11]
    assert rows[("parking-permit", "2026-04")] == [20, 100.0, 0.0, 11]
    assert rows[("parking-permit", this_month())][0] == 0  # no decisions, the backlog goes on
    assert rows[("parking-permit", this_month())][3] == 11
    # Four decisions are too few to publish, and so are their shares.
    assert rows[("dog-tax", "2026-03")][:3] == [None, None, None]
    # A backlog does not add up over months: the all-months rows leave it empty.
    assert rows[("parking-permit", "total")][:3] == [50, 80.0, 20.0]
    assert rows[("parking-permit", "total")][3] is None
    assert rows[("total", "total")][0] == 91
    published = [r[2] for r in version.table["rows"]] + [
        r[5] for r in version.table["rows"] if r[1] != "total"
    ]
    assert all(c is None or c == 0 or c >= 10 for c in published)
    assert version.withheld >= 2


#: Three services over two months: the one a test looks at, one with a count under 10 this
#: month, and a third whose counts the secondary suppression withholds with it (the smallest),
#: so the first stays published.
PLAN = [
    ("parking-permit", "this", 12),
    ("parking-permit", "last", 20),
    ("dog-tax", "this", 3),
    ("dog-tax", "last", 15),
    ("special-assistance", "this", 10),
    ("special-assistance", "last", 11),
]


def last_month_time() -> dt.datetime:
    return clock.now() - dt.timedelta(days=40)


def last_month() -> str:
    return timezone.localtime(last_month_time()).strftime("%Y-%m")


def test_prefilled_answers_per_service_and_month():
    for service, month, n in PLAN:
        version = version_published(form=FormDefinition.objects.get(code=service))
        when = clock.now() if month == "this" else last_month_time()
        for _ in range(n):
            draft = Draft.objects.create(
                version=version, applicant="000000000", subject="000000000", submitted_at=when
            )
            Submission.objects.create(
                reference=f"OD-F{next(_numbers):05d}",
                draft=draft,
                version=version,
                applicant="000000000",
                subject="000000000",
                answers={},
                prefill_questions=4,
                prefill_answered=3 if service == "parking-permit" else 1,
                submitted_at=when,
            )
    rows = {
        tuple(r[:2]): r[2:]
        for r in dataset_regenerate(name="service-prefilled-answers").table["rows"]
    }
    assert rows[("parking-permit", this_month())] == [12, 75.0]
    assert rows[("dog-tax", this_month())] == [None, None]
    assert rows[("total", "total")] == [71, 47.5]  # 3 of 4 in 32 forms, 1 of 4 in 39: 135 of 284


def test_form_drop_off_gives_drafts_reaching_each_step_and_the_share_left_there():
    quiet = clock.now() - dt.timedelta(days=3)
    parking = version_published(form=FormDefinition.objects.get(code="parking-permit"))
    dogs = version_published(form=FormDefinition.objects.get(code="dog-tax"))
    for version, step, sent in (
        [(parking, "permit", True)] * 20
        + [(parking, "car", False)] * 10
        + [(dogs, "dogs", False)] * 3
    ):
        draft = Draft.objects.create(
            version=version,
            applicant="000000000",
            subject="000000000",
            step=step,
            submitted_at=clock.now() if sent else None,
        )
        Draft.objects.filter(pk=draft.pk).update(started_at=quiet, updated_at=quiet)
    month = timezone.localtime(quiet).strftime("%Y-%m")
    version = dataset_regenerate(name="form-step-drop-off")
    rows = {(r[0], r[2], r[3]): (r[1], *r[4:]) for r in version.table["rows"]}
    # step number, drafts reaching the step, left there (%)
    assert rows[("parking-permit", "about_you", month)] == (1, 30, 0.0)
    assert rows[("parking-permit", "car", month)] == (2, 30, 33.3)
    assert rows[("parking-permit", "permit", month)] == (3, 20, 0.0)
    assert rows[("dog-tax", "dogs", month)] == (2, None, None)
    assert all(r[0] != "total" for r in version.table["rows"])  # no sum over steps


def test_satisfaction_gives_the_share_satisfied_and_withholds_a_few_ratings():
    from civic.feedback.models import Feedback

    for service, month, n in PLAN:
        ratings = [5] * 6 + [4] * 3 + [2] * 2 + [1] if n == 12 else [5, 3] * n
        for rating in ratings[:n]:
            given = feedback_give(kind="satisfaction", service_code=service, rating=rating)
            if month == "last":
                Feedback.objects.filter(pk=given.pk).update(received_at=last_month_time())
    rows = {
        tuple(r[:2]): r[2:] for r in dataset_regenerate(name="service-satisfaction").table["rows"]
    }
    # 9 of 12 satisfied would give away the 3 who were not: the share is withheld.
    assert rows[("parking-permit", this_month())] == [12, None]
    assert rows[("parking-permit", last_month())] == [20, 50.0]
    assert rows[("dog-tax", this_month())] == [None, None]


def test_proactive_offers_taken_up_per_service():
    rule_sets = {
        "parking-permit": "school_clothing_grant",
        "dog-tax": "dog_tax",
        "special-assistance": "housing_allowance",
    }
    for service, month, n in PLAN:
        statuses = (
            [Offer.Status.GRANTED] * 6 + [Offer.Status.ACCEPTED] * 3 + [Offer.Status.DECLINED] * 3
            if n == 12
            else [Offer.Status.OFFERED] * n
        )
        for status in statuses:
            number = next(_numbers)
            Offer.objects.create(
                personal_number=f"{100000000 + number}",
                rule_set=rule_sets[service],
                year=2026,
                household=f"h-{number}",
                amount=100,
                status=status,
                created_at=clock.now() if month == "this" else last_month_time(),
            )
    rows = {
        tuple(r[:2]): r[2:]
        for r in dataset_regenerate(name="proactive-offers-taken-up").table["rows"]
    }
    # The rule sets' services: the school clothing grant is the kindpakket's.
    # 9 of 12 taken up would give away the 3 declined: the share is withheld.
    assert rows[("kindpakket", this_month())] == [12, None]
    assert rows[("dog-tax", this_month())] == [None, None]
    assert rows[("kindpakket", last_month())] == [20, 0.0]
