"""Shadow mode: the rules compute beside the caseworkers without deciding; each caseworker
decision is compared with what the rules would have decided, and the agreement rate and the
disagreements are shown before a service owner lets the rules decide."""

from __future__ import annotations

from django.db import transaction

from civic.cases.selectors import case_get, decided_cases
from civic.core import clock
from civic.decisions.models import RuleOutcome, RuleSetMode
from civic.decisions.rule_sets import rule_set_for_case_type


def shadow_compare(*, reference: str, outcome: str) -> RuleOutcome | None:
    """A caseworker decided ``reference``: record whether the rules agree (computing their
    view now if the case opened before shadow mode began)."""
    recorded = RuleOutcome.objects.filter(case_reference=reference).first()
    if recorded is None:
        recorded = _shadow_compute(reference)
    if recorded is None or recorded.route == RuleOutcome.Route.DECIDED:
        return recorded
    recorded.caseworker_outcome = outcome
    recorded.agreed = recorded.outcome == outcome
    recorded.save(update_fields=["caseworker_outcome", "agreed"])
    return recorded


def _shadow_compute(reference: str) -> RuleOutcome | None:
    from civic.decisions.automation import application_evaluate, mode_of

    case = case_get(reference=reference)
    if case is None or mode_of(case.case_type.code) != RuleSetMode.Mode.SHADOW:
        return None
    rule_set = rule_set_for_case_type(case.case_type.code)
    if rule_set is None:
        return None
    evaluation = application_evaluate(case=case, rule_set=rule_set)
    return RuleOutcome.objects.create(
        case_reference=reference,
        case_type=case.case_type.code,
        rule_set=rule_set.key,
        route=RuleOutcome.Route.SHADOW,
        outcome="granted" if evaluation.eligible else "refused",
        amount=evaluation.amount,
        explanation={**evaluation.explanation, "gaps": evaluation.gaps},
        computed_at=clock.now(),
    )


def shadow_replay(*, case_type: str, limit: int = 500) -> int:
    """Compare the rules with decisions caseworkers already took (a new shadow rule set
    starts with history, not with nothing); returns how many were compared."""

    done = 0
    for reference, outcome in decided_cases(case_type=case_type, limit=limit):
        if RuleOutcome.objects.filter(case_reference=reference).exists():
            continue
        with transaction.atomic():
            if shadow_compare(reference=reference, outcome=outcome) is not None:
                done += 1
    return done
