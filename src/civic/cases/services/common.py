"""What every change to a case shares: the version check (a stale save is refused, nothing
is overwritten), moving along the workflow with the decision clock, opening, and telling the
resident."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from civic.cases import events as case_events
from civic.cases import workflow as flow
from civic.cases.acting import may_see
from civic.cases.models import Case, CaseEvent, CaseType
from civic.core import clock
from civic.core.errors import Conflict, NotFound
from civic.core.i18n import tr
from civic.identity.services import representation_check
from civic.notify.services import notification_send


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


def _agency_names(agency) -> dict[str, str]:
    """The agency's name in every language (its Dutch name where it has one)."""
    return {"en": agency.name, "nl": agency.name_nl or agency.name}


def _event(case: Case, kind: str, *, text: Any = "", actor: Any = "", **fields: Any) -> CaseEvent:
    """A timeline entry. ``text`` and ``actor`` are a person's own words (a string, kept as
    written) or what Civic writes ({"en": .., "nl": ..}, shown in the reader's language)."""
    texts = {}
    if isinstance(text, dict):
        texts["text"], text = text, tr(text)
    if isinstance(actor, dict):
        texts["actor"], actor = actor, tr(actor)
    return CaseEvent.objects.create(
        case=case,
        at=fields.pop("at", None) or clock.now(),
        kind=kind,
        text=text,
        actor=actor[:120],
        texts=texts,
        **fields,
    )


def _notify(case: Case, template: str, **context: Any) -> None:
    """Tell the resident. Every value in ``context`` is language-neutral: a code, a date, the
    resident's or caseworker's own words, or a text in every language ({"en": .., "nl": ..});
    the message is rendered in the recipient's language, never in the language of whoever
    caused the change."""
    context = {"reference": case.reference, "service": case.case_type.name, **context}
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


def _check_resident_may_act(case: Case, personal_number: str, where: str) -> None:
    """A resident acts on a case about themselves, or as its applicant for the person it is
    about only while the right to act for them holds now (an authorisation narrowed, revoked
    or ended since the application stops here). Call before opening a transaction, so that the
    refusal is kept."""
    if personal_number == case.applicant != case.subject:
        representation_check(representative=personal_number, person=case.subject, where=where)


def _check_staff(case: Case, user) -> None:
    """Every staff (or API client) write names the case: one of another agency, or of a case
    type the client was not given, is "not found"."""
    if not may_see(case, user):
        raise NotFound(_("There is no such case."))


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
        # The case type's first team takes new cases in (an objection: legal affairs); a
        # caseworker can pass it on. Without a team a case showed in no team's filter.
        team=case_type.teams[0] if case_type.teams else "",
        **extra,
    )
    CaseEvent.objects.create(
        case=case, at=now, kind=CaseEvent.Kind.OPENED, actor="", to_state=case.state
    )
    case_events.case_opened_publish(case=case)
    return case


def _move(
    case: Case,
    to: str,
    user,
    expected_version: int,
    *,
    note: str | dict[str, str] = "",
    tell: bool = True,
    **changes,
) -> Case:
    """Move the case to state ``to``; ``tell`` is False where the caller sends a message of
    its own (a decision, a question), so the resident is told once."""
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
    _event(
        case,
        CaseEvent.Kind.TRANSITION,
        at=now,
        actor=_staff_name(user) if user else "",
        from_state=before,
        to_state=to,
        text=note,
    )
    case_events.case_status_changed_publish(case=case, from_state=before)
    if tell:
        _notify(case, "case-status-changed", status=flow.state_label_texts(workflow, to))
    return case
