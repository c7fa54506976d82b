"""A year of the demo municipality's case history, written in bulk: a few thousand
applications in every state (received, in review, waiting for the resident, decided, withdrawn)
with their timelines and decisions, so that the workbench, the backlog and the expected
decision ranges look like a real municipality's.

Beside the applications made through the real services (``cases.demo``), this history is
written directly, as the register generator writes the registers: its applications read no
register data (their prefill is empty) and sent no messages.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from django.db import transaction

from civic.cases.models import Case, CaseEvent, CaseType, Decision
from civic.cases.services.decision_days import decision_day_count
from civic.core import clock
from civic.core.i18n import tr
from civic.forms.models import Draft, FormDefinition, Submission
from civic.identity.models import User

#: Days from application to decision: log-normal around three weeks, a tail past the deadline.
MEDIAN_DAYS, SPREAD = 19, 0.55
#: Weekday weights of applications (Monday first): fewer at the weekend, as online services see.
WEEKDAYS = (1.25, 1.15, 1.1, 1.05, 0.95, 0.3, 0.2)


def _when(rng: random.Random, now: dt.datetime, days: int) -> dt.datetime:
    while True:
        moment = now - dt.timedelta(days=rng.uniform(0, days), hours=rng.uniform(0, 12))
        if rng.random() < WEEKDAYS[moment.weekday()] / max(WEEKDAYS):
            return moment.replace(hour=rng.randint(7, 22), minute=rng.randint(0, 59))


def _plan(rng: random.Random, opened: dt.datetime, now: dt.datetime, period: int) -> dict:
    """When this application was reviewed, asked about, decided or withdrawn (None: not yet)."""
    review = opened + dt.timedelta(days=rng.uniform(0.2, 4))
    took = dt.timedelta(days=min(3 * period, math.exp(rng.gauss(math.log(MEDIAN_DAYS), SPREAD))))
    asked = review + dt.timedelta(days=rng.uniform(1, 6)) if rng.random() < 0.18 else None
    waited = dt.timedelta(days=rng.uniform(3, 16)) if asked else dt.timedelta(0)
    end = max(opened + took, review) + waited
    if asked:  # decided only after the answer came in, however short the case
        end = max(end, asked + waited + dt.timedelta(days=rng.uniform(0.5, 3)))
    withdrawn = rng.random() < 0.06
    return {
        "review": review if review < now else None,
        "asked": asked if asked and asked < now else None,
        "answered": asked + waited if asked and asked + waited < now else None,
        "end": end if end < now else None,
        "withdrawn": withdrawn,
        "granted": rng.random() < 0.82,
    }


def demo_history_bulk(
    *, applicants: list[str], answers: dict[str, dict], seed: int = 1, days: int = 365
) -> int:
    """Write one application per applicant, opened in the last ``days``, for the case types
    whose form ``answers`` gives; returns how many."""

    rng = random.Random(seed)
    now = clock.now()
    types = {t.code: t for t in CaseType.objects.filter(code__in=list(answers))}
    versions = {
        code: FormDefinition.objects.get(code=code).versions.filter(status="published").latest("pk")
        for code in types
    }
    caseworker = User.objects.filter(username="caseworker").first()
    taken = set(Case.objects.values_list("reference", flat=True))
    made = 0
    with transaction.atomic():
        for applicant in applicants:
            code = rng.choices(list(types), weights=[3, 2][: len(types)] or None)[0]
            case_type = types[code]
            opened = _when(rng, now, days)
            reference = f"AP-{opened:%y%m%d}-{rng.getrandbits(24):06X}"
            if reference in taken:
                continue
            taken.add(reference)
            plan = _plan(rng, opened, now, case_type.decision_period_days)
            draft = Draft.objects.create(
                version=versions[code],
                applicant=applicant,
                subject=applicant,
                answers=answers[code],
                submitted_at=opened,
            )
            submission = Submission.objects.create(
                reference=reference,
                draft=draft,
                version=versions[code],
                applicant=applicant,
                subject=applicant,
                answers=answers[code],
                submitted_at=opened,
            )
            _case_write(case_type, submission, opened, plan, rng, caseworker, now)
            made += 1
    return made


def _case_write(case_type, submission, opened, plan, rng, caseworker, now) -> None:
    workflow = case_type.workflow
    events: list[dict[str, Any]] = [
        {"at": opened, "kind": CaseEvent.Kind.OPENED, "to_state": workflow["initial"]}
    ]
    state, closed, suspended = workflow["initial"], None, None
    deadline = opened.date() + dt.timedelta(days=case_type.decision_period_days)
    worker = caseworker.get_full_name() if caseworker else ""

    def move(at, to, **extra):
        nonlocal state
        events.append(
            {"at": at, "kind": CaseEvent.Kind.TRANSITION, "from_state": state, "to_state": to,
             "actor": worker, **extra}
        )  # fmt: skip
        state = to

    if plan["withdrawn"] and plan["end"]:
        move(plan["end"], "withdrawn", text="The resident withdrew the application.")
        closed = plan["end"]
    elif plan["review"]:
        move(plan["review"], "in_review")
        if plan["asked"]:
            question = "Please send a photo of your registration papers."
            events.append(
                {"at": plan["asked"], "kind": CaseEvent.Kind.INFORMATION_REQUESTED,
                 "actor": worker, "text": question}
            )  # fmt: skip
            move(plan["asked"], "waiting", text=question)
            suspended = plan["asked"]
            if plan["answered"]:
                events.append(
                    {"at": plan["answered"], "kind": CaseEvent.Kind.INFORMATION_GIVEN,
                     "text": "Photo attached."}
                )  # fmt: skip
                move(plan["answered"], "in_review")
                deadline += plan["answered"].date() - plan["asked"].date()
                suspended = None
        if plan["end"] and state == "in_review":
            outcome = "granted" if plan["granted"] else "refused"
            template = next(t for t in case_type.decision_templates if t["outcome"] == outcome)
            move(plan["end"], "decided")
            reasons = tr(template["text"])
            events.append(
                {"at": plan["end"], "kind": CaseEvent.Kind.DECIDED, "actor": worker,
                 "text": f"{outcome}: {reasons}"}
            )  # fmt: skip
            closed = plan["end"]
    case = Case.objects.create(
        reference=submission.reference,
        case_type=case_type,
        agency_id=case_type.agency_id,
        submission=submission,
        subject=submission.subject,
        applicant=submission.applicant,
        state=state,
        team=rng.choice(case_type.teams) if case_type.teams else "",
        assignee=caseworker if state == "in_review" and rng.random() < 0.5 else None,
        opened_at=opened,
        deadline=deadline,
        suspended_since=suspended,
        closed_at=closed,
        version=len(events),
    )
    CaseEvent.objects.bulk_create([CaseEvent(case=case, **event) for event in events])
    if state == "decided":
        Decision.objects.create(
            case=case,
            outcome=outcome,
            template=template["code"],
            reasons=reasons,
            # Shown to a resident in their language, as a real decision's reasons are.
            reasons_texts=template["text"] if isinstance(template["text"], dict) else {},
            decided_by=worker,
            decided_at=closed,
        )
        decision_day_count(case=case, decided_at=closed, automated=False)
