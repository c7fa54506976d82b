"""Writes for decisions taken by rules (the decisions app): decide without a caseworker, hand
a case to one with the reason, and a resident's request that a person look again."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civic.cases import events as case_events
from civic.cases import workflow as flow
from civic.cases.models import Case, CaseEvent, Decision, Task
from civic.cases.services.common import _check_resident_may_act, _event, _move, _notify
from civic.cases.services.decision_days import decision_day_count
from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.core.i18n import every_language, tr


def _decision_state(case: Case) -> str:
    step = next((t for t in case.case_type.workflow["transitions"] if t.get("decision")), None)
    if step is None:
        raise CivicError(_("This case type has no decision step."))
    return step["to"]


@transaction.atomic
def case_decide_by_rules(
    *,
    case: Case,
    outcome: str,
    reasons: str | dict[str, str],
    rule_set: str | dict[str, str],
) -> Decision:
    """Decide a just-opened case as the rules concluded; the reasons cite the law. ``reasons``
    and ``rule_set`` (its name) come in every language ({"en": .., "nl": ..}), so the resident
    reads them in their own; a plain string is kept as it is."""
    if outcome not in Decision.Outcome.values:
        raise CivicError(_("Choose whether the application is granted or refused."))
    if flow.is_final(case.case_type.workflow, case.state):
        raise CivicError(_("This case is already closed."))
    names = rule_set if isinstance(rule_set, dict) else every_language(lambda: rule_set)
    texts = reasons if isinstance(reasons, dict) else every_language(lambda: reasons)
    actors = every_language(lambda: _("Rules: %(rule_set)s") % {"rule_set": tr(names)})
    outcomes = every_language(lambda: Decision.Outcome(outcome).label)
    case = _move(case, _decision_state(case), None, case.version, note=actors, tell=False)
    now = clock.now()
    decision = Decision.objects.create(
        case=case,
        outcome=outcome,
        template="",
        reasons=tr(texts),
        reasons_texts=texts,
        decided_by=tr(actors)[:120],
        decided_at=now,
        automated=True,
    )
    decision_day_count(case=case, decided_at=now, automated=True)
    _event(
        case,
        CaseEvent.Kind.DECIDED,
        at=now,
        actor={code: text[:120] for code, text in actors.items()},
        text={code: f"{outcomes[code]}: {texts.get(code, tr(texts, code))}" for code in outcomes},
    )
    _notify(case, "decision-made", outcome=outcomes, reasons=texts)
    case_events.case_decided_publish(case=case, outcome=outcome, automated=True)
    return decision


@transaction.atomic
def case_to_caseworker(*, case: Case, reason: str) -> Task:
    """The rules would not decide (a gap in the data, a value near a threshold): a task for
    the team that says why, visible on the case page."""
    now = clock.now()
    CaseEvent.objects.create(
        case=case, at=now, kind=CaseEvent.Kind.NOTE, actor=_("Rules"), text=reason, public=False
    )
    return Task.objects.create(
        case=case,
        title=(_("Decide by hand: %(reason)s") % {"reason": reason})[:200],
        created_at=now,
    )


def decision_review_request(*, case: Case, personal_number: str, reason: str) -> Task:
    """The resident asks a person to look at an automated decision again (GDPR art. 22(3))."""
    if personal_number not in (case.applicant, case.subject):
        raise NotFound(_("There is no such case."))
    _check_resident_may_act(case, personal_number, "cases:review")
    with transaction.atomic():
        return _decision_review_request(case=case, reason=reason)


def _decision_review_request(*, case: Case, reason: str) -> Task:
    decision = Decision.objects.filter(case=case, automated=True).first()
    if decision is None:
        raise CivicError(_("Only a decision taken by the rules can be reviewed this way."))
    if not reason.strip():
        raise CivicError(_("Tell us what you think is wrong, so the person reviewing knows."))
    now = clock.now()
    _event(
        case,
        CaseEvent.Kind.MESSAGE_FROM_RESIDENT,
        at=now,
        text=every_language(
            lambda: (
                _("Please have a person review the automated decision: %(reason)s")
                % {"reason": reason.strip()[:3000]}
            )
        ),
    )
    return Task.objects.create(
        case=case,
        title=_("Review the automated decision at the resident's request")[:200],
        created_at=now,
    )
