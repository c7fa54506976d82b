"""Writes of the cases app. Every change to a case names the version the caseworker saw: if
someone else changed the case since, the change is refused and nothing is overwritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civic.cases import workflow as flow
from civic.cases.models import Case, CaseEvent, CaseType, Decision, InformationRequest, Task
from civic.core import clock
from civic.core.errors import CivicError, Conflict, NotFound
from civic.core.i18n import tr
from civic.identity.selectors import staff_roles


class StaleCase(Conflict):
    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this case while you were working on it. Nothing was saved; "
                "look at the case again and redo your change."
            )
        )


def _staff_name(user) -> str:
    return user.get_full_name() or user.username


def _notify(case: Case, template: str, **context: Any) -> None:
    from civic.notify.services import notification_send

    context = {"reference": case.reference, "service": tr(case.case_type.name), **context}
    notification_send(
        personal_number=case.applicant, template=template, context=context, reference=case.reference
    )


def _bump(case: Case, expected_version: int, **changes: Any) -> Case:
    """Apply ``changes`` if the case is still at ``expected_version``; else StaleCase."""
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise StaleCase()
    case.refresh_from_db()
    return case


def _check_staff(case: Case, user) -> None:
    if user.agency_id != case.agency_id:
        raise NotFound(_("There is no such case."))


@transaction.atomic
def case_open_for_submission(*, submission) -> Case:
    """Open the case of a submitted application (called by forms in the same transaction),
    and put the receipt in the resident's inbox."""
    case_type = CaseType.objects.filter(service=submission.version.form.service).first()
    if case_type is None:
        raise CivicError(_("No case type handles this service yet."))
    case = _open(
        case_type=case_type,
        reference=submission.reference,
        subject=submission.subject,
        applicant=submission.applicant,
        submission=submission,
    )
    from civic.forms.receipt import receipt_pdf
    from civic.notify.services import notification_send

    notification_send(
        personal_number=case.applicant,
        template="case-received",
        context={
            "reference": case.reference,
            "service": tr(case_type.name),
            "deadline": case.deadline.isoformat(),
        },
        reference=case.reference,
        attachment=(f"{case.reference}.pdf", receipt_pdf(submission=submission), "application/pdf"),
    )
    return case


def _open(*, case_type: CaseType, reference: str, subject: str, applicant: str, **extra) -> Case:
    now = clock.now()
    case = Case.objects.create(
        reference=reference,
        case_type=case_type,
        agency=case_type.agency,
        subject=subject,
        applicant=applicant,
        state=case_type.workflow["initial"],
        opened_at=now,
        deadline=now.date() + dt.timedelta(days=case_type.decision_period_days),
        **extra,
    )
    CaseEvent.objects.create(
        case=case, at=now, kind=CaseEvent.Kind.OPENED, actor="", to_state=case.state
    )
    return case


@transaction.atomic
def case_transition(
    *, case: Case, transition: str, user, expected_version: int, note: str = ""
) -> Case:
    """Move the case along its workflow, if the user's role may; the resident is told."""
    _check_staff(case, user)
    workflow = case.case_type.workflow
    step = flow.transition_get(workflow, transition)
    if step is None or step not in flow.transitions_open(
        workflow, case.state, staff_roles(user=user)
    ):
        raise CivicError(_("This step is not possible for this case now."))
    if step.get("decision") or step.get("information"):
        raise CivicError(_("This step needs its own form."))
    return _move(case, step["to"], user, expected_version, note=note)


def _move(case: Case, to: str, user, expected_version: int, *, note: str = "", **changes) -> Case:
    workflow = case.case_type.workflow
    now = clock.now()
    before = case.state
    if flow.suspends_clock(workflow, to) and not case.suspended_since:
        changes["suspended_since"] = now
    elif case.suspended_since and not flow.suspends_clock(workflow, to):
        # The clock stood still while the case waited for the resident: move the deadline.
        changes["deadline"] = case.deadline + (now.date() - case.suspended_since.date())
        changes["suspended_since"] = None
    if flow.is_final(workflow, to):
        changes["closed_at"] = now
    case = _bump(case, expected_version, state=to, **changes)
    CaseEvent.objects.create(
        case=case,
        at=now,
        kind=CaseEvent.Kind.TRANSITION,
        actor=_staff_name(user) if user else "",
        from_state=before,
        to_state=to,
        text=note,
    )
    _notify(case, "case-status-changed", status=flow.state_label(workflow, to))
    return case


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
    event = CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        kind=CaseEvent.Kind.MESSAGE_TO_RESIDENT,
        actor=case.agency.name,
        text=text.strip()[:4000],
    )
    _notify(case, "message-from-caseworker", message=event.text)
    return event


@transaction.atomic
def case_message_from_resident(*, case: Case, personal_number: str, text: str) -> CaseEvent:
    if personal_number not in (case.applicant, case.subject):
        raise NotFound(_("There is no such case."))
    if not text.strip():
        raise CivicError(_("Write your message first."))
    return CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        kind=CaseEvent.Kind.MESSAGE_FROM_RESIDENT,
        actor="",
        text=text.strip()[:4000],
    )


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
            for t in flow.transitions_open(workflow, case.state, staff_roles(user=user))
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
    case = _move(case, step["to"], user, expected_version, note=question.strip())
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
def information_answer(*, request_id: int, personal_number: str, answer: str) -> InformationRequest:
    """The resident's answer: the case goes back to the caseworker and its clock runs again."""
    asked = (
        InformationRequest.objects.select_for_update()
        .select_related("case__case_type")
        .filter(pk=request_id, answered_at__isnull=True)
        .first()
    )
    if asked is None or personal_number not in (asked.case.applicant, asked.case.subject):
        raise NotFound(_("There is no open question with this number."))
    if not answer.strip():
        raise CivicError(_("Write your answer."))
    asked.answer, asked.answered_at = answer.strip()[:4000], clock.now()
    asked.save(update_fields=["answer", "answered_at"])
    case = asked.case
    back = flow.information_return(case.case_type.workflow)
    CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        kind=CaseEvent.Kind.INFORMATION_GIVEN,
        actor="",
        text=asked.answer,
    )
    if back and case.state != back:
        _move(case, back, None, case.version)
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
            for t in flow.transitions_open(workflow, case.state, staff_roles(user=user))
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
    text = tr(chosen["text"]) + (f"\n\n{reasons.strip()}" if reasons.strip() else "")
    case = _move(case, step["to"], user, expected_version)
    decision = Decision.objects.create(
        case=case,
        outcome=outcome,
        template=template,
        reasons=text,
        decided_by=_staff_name(user),
        decided_at=clock.now(),
    )
    CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        kind=CaseEvent.Kind.DECIDED,
        actor=_staff_name(user),
        text=f"{decision.get_outcome_display()}: {text}",
    )
    _notify(case, "decision-made", outcome=decision.get_outcome_display(), reasons=text)
    return decision


@transaction.atomic
def objection_file(*, case: Case, personal_number: str, reasons: str) -> Case:
    """The resident objects to a decision: a new case, linked to the decided one."""
    if personal_number not in (case.applicant, case.subject) or not hasattr(case, "decision"):
        raise NotFound(_("There is no decision to object to."))
    if not reasons.strip():
        raise CivicError(_("Say why you object to the decision."))
    if case.objections.exists():
        raise Conflict(_("You have already objected to this decision."))
    objection_type = CaseType.objects.filter(agency=case.agency, is_objection=True).first()
    if objection_type is None:
        raise CivicError(_("This organisation does not take objections online yet."))
    objection = _open(
        case_type=objection_type,
        reference=f"{case.reference}-B",
        subject=case.subject,
        applicant=personal_number,
        objects_to=case,
    )
    CaseEvent.objects.create(
        case=objection,
        at=clock.now(),
        kind=CaseEvent.Kind.OBJECTION,
        actor="",
        text=reasons.strip()[:4000],
    )
    CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        kind=CaseEvent.Kind.OBJECTION,
        actor="",
        text=_("Objection filed: %(reference)s") % {"reference": objection.reference},
    )
    _notify(objection, "objection-received", decided_case=case.reference)
    return objection


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
    from civic.identity.models import Role

    problems = flow.workflow_problems(fields["workflow"], roles=set(Role.values))
    if problems:
        raise CivicError("; ".join(problems))
    case_type, _created = CaseType.objects.update_or_create(
        code=code, defaults={"service": service, **fields}
    )
    return case_type
