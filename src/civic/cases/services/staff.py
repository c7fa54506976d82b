"""Writes of the caseworker and the back office: transitions, assignment, notes, messages,
requests for information, decisions, tasks, case types."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civic.cases import events as case_events
from civic.cases import workflow as flow
from civic.cases.acting import roles_on
from civic.cases.models import Case, CaseEvent, CaseType, Decision, InformationRequest, Task
from civic.cases.services.common import (
    StaleCase,
    _agency_names,
    _bump,
    _check_staff,
    _event,
    _move,
    _notify,
    _staff_name,
)
from civic.cases.services.decision_days import decision_day_count
from civic.core import clock
from civic.core.errors import CivicError
from civic.core.i18n import every_language, tr
from civic.identity.models import Role


@transaction.atomic
def case_transition(
    *, case: Case, transition: str, user, expected_version: int, note: str = ""
) -> Case:
    """Move the case along its workflow, if the user's role may; the resident is told."""
    _check_staff(case, user)
    if case.version != expected_version:
        # The caseworker chose from a page of an earlier state: that, not the step, is wrong.
        raise StaleCase()
    workflow = case.case_type.workflow
    step = flow.transition_get(workflow, transition)
    if step is None or step not in flow.transitions_open(
        workflow, case.state, roles_on(case, user)
    ):
        raise CivicError(_("This step is not possible for this case now."))
    if step.get("decision") or step.get("information"):
        raise CivicError(_("This step needs its own form."))
    return _move(case, step["to"], user, expected_version, note=note)


@transaction.atomic
def cases_assign(*, cases: list[Case], assignee, team: str = "", user) -> int:
    """Assign cases (bulk) to a person of the same agency and/or a team."""
    if assignee is not None and assignee.agency_id != user.agency_id:
        raise CivicError(_("You can assign cases only to people of your own agency."))
    count = 0
    now = clock.now()
    for case in cases:
        _check_staff(case, user)
        if team and team not in case.case_type.teams:
            raise CivicError(
                _("Team “%(team)s” does not handle %(reference)s.")
                % {"team": team, "reference": case.reference}
            )
        changes: dict[str, Any] = {"assignee": assignee}
        if team:
            changes["team"] = team
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1, **changes)
        CaseEvent.objects.create(
            case=case,
            at=now,
            kind=CaseEvent.Kind.ASSIGNED,
            actor=_staff_name(user),
            public=False,
            text=_staff_name(assignee) if assignee else team,
        )
        count += 1
    return count


@transaction.atomic
def case_note_add(*, case: Case, user, text: str) -> CaseEvent:
    _check_staff(case, user)
    if not text.strip():
        raise CivicError(_("Write the note first."))
    return CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        kind=CaseEvent.Kind.NOTE,
        actor=_staff_name(user),
        text=text.strip()[:4000],
        public=False,
    )


@transaction.atomic
def case_message_send(*, case: Case, user, text: str) -> CaseEvent:
    """A message from the caseworker to the resident: in the timeline and in their inbox."""
    _check_staff(case, user)
    if not text.strip():
        raise CivicError(_("Write the message first."))
    event = _event(
        case,
        CaseEvent.Kind.MESSAGE_TO_RESIDENT,
        actor=_agency_names(case.agency),
        text=text.strip()[:4000],
    )
    _notify(case, "message-from-caseworker", message=event.text)
    return event


@transaction.atomic
def case_deadline_extend(*, case: Case, user, until: dt.date, message: str) -> Case:
    """Move the case's deadline to ``until`` (later only); the resident is told why in the
    timeline and their inbox (``message``: what the law asks to be said, in every language)."""
    _check_staff(case, user)
    if until <= case.deadline:
        raise CivicError(_("An extension moves the deadline later."))
    decision = Decision.objects.filter(case=case).first()
    if decision is not None:  # counted late or not against the old deadline: count it again
        decision_day_count(
            case=case, decided_at=decision.decided_at, automated=decision.automated, sign=-1
        )
    case = _bump(case, case.version, deadline=until)
    if decision is not None:
        decision_day_count(case=case, decided_at=decision.decided_at, automated=decision.automated)
    event = _event(
        case, CaseEvent.Kind.MESSAGE_TO_RESIDENT, actor=_agency_names(case.agency), text=message
    )
    _notify(case, "message-from-caseworker", message=event.texts.get("text", event.text))
    return case


@transaction.atomic
def information_request(
    *, case: Case, user, question: str, answer_due: dt.date, expected_version: int
) -> InformationRequest:
    """Ask the resident for something; the case waits and its clock stops until they answer."""
    _check_staff(case, user)
    workflow = case.case_type.workflow
    step = next(
        (
            t
            for t in flow.transitions_open(workflow, case.state, roles_on(case, user))
            if t.get("information")
        ),
        None,
    )
    if step is None:
        raise CivicError(_("You cannot ask for information in this state."))
    if not question.strip():
        raise CivicError(_("Write the question to the resident."))
    if answer_due <= clock.now().date():
        raise CivicError(_("The answer date must be in the future."))
    case = _move(case, step["to"], user, expected_version, note=question.strip(), tell=False)
    asked = InformationRequest.objects.create(
        case=case, question=question.strip()[:4000], asked_at=clock.now(), answer_due=answer_due
    )
    CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        kind=CaseEvent.Kind.INFORMATION_REQUESTED,
        actor=_staff_name(user),
        text=asked.question,
    )
    _notify(case, "information-requested", question=asked.question, due=answer_due.isoformat())
    return asked


@transaction.atomic
def case_decide(
    *, case: Case, user, outcome: str, template: str, reasons: str, expected_version: int
) -> Decision:
    """Decide the case with reasons from a template (and the caseworker's own words)."""
    _check_staff(case, user)
    workflow = case.case_type.workflow
    step = next(
        (
            t
            for t in flow.transitions_open(workflow, case.state, roles_on(case, user))
            if t.get("decision")
        ),
        None,
    )
    if step is None:
        raise CivicError(_("This case cannot be decided in its current state."))
    if outcome not in Decision.Outcome.values:
        raise CivicError(_("Choose whether the application is granted or refused."))
    chosen = next((t for t in case.case_type.decision_templates if t["code"] == template), None)
    if chosen is None or chosen["outcome"] != outcome:
        raise CivicError(_("Choose reasons that fit the outcome."))
    own_words = f"\n\n{reasons.strip()}" if reasons.strip() else ""
    # The template's text in every language, the caseworker's own words as they wrote them.
    texts = {code: tr(chosen["text"], code) + own_words for code, _name in settings.LANGUAGES}
    outcomes = every_language(lambda: Decision.Outcome(outcome).label)
    case = _move(case, step["to"], user, expected_version, tell=False)
    decision = Decision.objects.create(
        case=case,
        outcome=outcome,
        template=template,
        reasons=tr(texts),
        reasons_texts=texts,
        decided_by=_staff_name(user),
        decided_at=clock.now(),
    )
    decision_day_count(case=case, decided_at=decision.decided_at, automated=False)
    _event(
        case,
        CaseEvent.Kind.DECIDED,
        actor=_staff_name(user),
        text={code: f"{outcomes[code]}: {texts[code]}" for code in texts},
    )
    _notify(case, "decision-made", outcome=outcomes, reasons=texts)
    case_events.case_decided_publish(case=case, outcome=outcome, automated=False)
    return decision


@transaction.atomic
def task_add(*, case: Case, user, title: str, due: dt.date | None = None, assignee=None) -> Task:
    _check_staff(case, user)
    if not title.strip():
        raise CivicError(_("Say what needs doing."))
    return Task.objects.create(
        case=case,
        title=title.strip()[:200],
        due=due,
        assignee=assignee or user,
        created_at=clock.now(),
    )


@transaction.atomic
def task_done(*, task: Task, user) -> Task:
    _check_staff(task.case, user)
    task.done_at = clock.now()
    task.save(update_fields=["done_at"])
    return task


def case_type_ensure(*, code: str, service, **fields: Any) -> CaseType:

    problems = flow.workflow_problems(fields["workflow"], roles=set(Role.values))
    if problems:
        raise CivicError("; ".join(problems))
    case_type, _created = CaseType.objects.update_or_create(
        code=code, defaults={"service": service, **fields}
    )
    return case_type
