"""The demo's history: twelve weeks of applications made through the same services as real
ones, so that the workbench and the backlog have something to show (`civic demo`)."""

from __future__ import annotations

import datetime as dt

from civic.core import clock
from civic.exchange.demo import demo_resident, residents_sample
from civic.forms.models import FormDefinition, Submission
from civic.forms.services import draft_start, draft_step_save
from civic.identity.models import User

DOG_ANSWERS = {
    "about_you": {},
    "dogs": {
        "dogs": [{"dog_name": "Bobbie", "chip_number": "528140000123456", "since": "2024-05-01"}],
        "assistance_dog": "no",
    },
}
PARKING_ANSWERS = {
    "about_you": {},
    "car": {"licence_plate": "AB-123-C", "car_use": "own", "start_date": "2026-01-01"},
    "permit": {"permit_kind": "resident"},
}


def demo_history_ensure(*, count: int = 160, seed: int = 1, history: int = 3000) -> int:
    """The demo's applications, so that the workbench, the backlog and the expected decision
    ranges look like a real municipality's: ``count`` over twelve weeks made through the same
    services as real ones (prefill through the exchange, submission, workflow, decisions),
    then moved back in time, because a new demo has no past; and ``history`` more over the
    year, written in bulk (cases.demo_history). Runs once; returns how many cases it made."""
    import random

    from django.db import transaction

    from civic.cases.models import Case, CaseEvent, Decision
    from civic.cases.services import (
        application_submit,
        case_decide,
        case_transition,
        information_request,
    )

    caseworker = User.objects.filter(username="caseworker").first()
    if caseworker is None or Case.objects.exists():
        return 0
    rng = random.Random(seed)
    forms = {
        "parking-permit": (FormDefinition.objects.get(code="parking-permit"), PARKING_ANSWERS),
        "dog-tax": (FormDefinition.objects.get(code="dog-tax"), DOG_ANSWERS),
    }
    demo = demo_resident()
    made = 0
    for number in residents_sample(count=count + 1, seed=seed):
        if number == demo or made == count:
            continue
        form, answers = forms["parking-permit" if rng.random() < 0.6 else "dog-tax"]
        with transaction.atomic():
            draft = draft_start(form=form, applicant=number, subject=number)
            for step, values in answers.items():
                draft = draft_step_save(
                    draft=draft, step=step, answers=dict(values), confirm_prefill=True
                )
            case = application_submit(draft=draft).case
            age = rng.randint(0, 84)
            fate = rng.random()
            if age > 10 and fate < 0.75:
                case = case_transition(
                    case=case,
                    transition="start_review",
                    user=caseworker,
                    expected_version=case.version,
                )
                template = rng.choice(case.case_type.decision_templates[:2])
                case_decide(
                    case=case,
                    user=caseworker,
                    outcome=template["outcome"],
                    template=template["code"],
                    reasons="",
                    expected_version=case.version,
                )
            elif age > 2 and fate < 0.9:
                case = case_transition(
                    case=case,
                    transition="start_review",
                    user=caseworker,
                    expected_version=case.version,
                )
                if fate > 0.8:
                    information_request(
                        case=case,
                        user=caseworker,
                        question="Please send a photo of your registration papers.",
                        answer_due=clock.today() + dt.timedelta(days=14),
                        expected_version=case.version,
                    )
            _move_back(case, age, rng, Case, CaseEvent, Decision, Submission)
        made += 1
    if history:
        from civic.cases.demo_history import demo_history_bulk

        applicants = [n for n in residents_sample(count=history + 1, seed=seed + 1) if n != demo]
        made += demo_history_bulk(
            applicants=applicants[:history],
            answers={"parking-permit": PARKING_ANSWERS, "dog-tax": DOG_ANSWERS},
            seed=seed,
        )
    return made


def _move_back(case, age: int, rng, Case, CaseEvent, Decision, Submission) -> None:
    """Shift one demo case's dates ``age`` days into the past; a decided case took a few weeks."""
    from civic.cases.services.decision_days import decision_day_count

    back = dt.timedelta(days=age, hours=rng.randint(0, 8))
    case.refresh_from_db()
    decision = Decision.objects.filter(case=case).first()
    if decision is not None:  # the summary counts the decision on its new day
        decision_day_count(
            case=case, decided_at=decision.decided_at, automated=decision.automated, sign=-1
        )
    took = dt.timedelta(days=rng.randint(2, max(2, min(age, 40))))
    closed = case.opened_at - back + took if case.closed_at else None
    Case.objects.filter(pk=case.pk).update(
        opened_at=case.opened_at - back,
        deadline=case.deadline - dt.timedelta(days=age),
        closed_at=closed,
        suspended_since=case.suspended_since - back + took / 2 if case.suspended_since else None,
    )
    for event in CaseEvent.objects.filter(case=case):
        moved = (
            event.at
            - back
            + (
                took
                if event.kind in ("decided",) or event.to_state == "decided"
                else dt.timedelta(0)
            )
        )
        CaseEvent.objects.filter(pk=event.pk).update(at=moved)
    if closed:
        Decision.objects.filter(case=case).update(decided_at=closed)
    if decision is not None and closed:
        decision_day_count(
            case=case,
            decided_at=closed,
            automated=decision.automated,
            opened_at=case.opened_at - back,
            deadline=case.deadline - dt.timedelta(days=age),
        )
    Submission.objects.filter(pk=case.submission_id).update(submitted_at=case.opened_at - back)
