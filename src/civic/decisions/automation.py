"""Automated decisions: an application of an automatable case type is decided by its rule set
when the case opens, right after the submission commits (an after-commit handler of the case's
"opened" event). Missing data and values within the margin of a threshold go to a caseworker,
with the gap named; so does a case the rules could not evaluate at all (a rule set that fails,
a grant that is missing), with the error named; in shadow mode the rules only record what they
would have decided.
"""

from __future__ import annotations

import logging

import numpy as np
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from civic.cases.selectors import case_get
from civic.cases.services import case_decide_by_rules, case_to_caseworker
from civic.core import clock
from civic.core.formats import money_text
from civic.core.i18n import every_language, tr
from civic.decisions.eligibility import groupings_of
from civic.decisions.engine import ADULT_AGE, Household, ages
from civic.decisions.explanation import Evaluation, household_explain
from civic.decisions.models import RuleOutcome, RuleSetMode
from civic.decisions.rule_sets import RuleSet, rule_set_for_case_type
from civic.exchange.selectors import Actor, population_of

#: The job that reads an applicant's household when the rules decide an application (under
#: the case's purpose, as the case type's agency).
DECISION_JOB = "automated-decisions"
log = logging.getLogger("civic.decisions")


def application_evaluate(*, case, rule_set: RuleSet) -> Evaluation:
    """Read the applicant's household through the exchange (under the case's purpose, logged
    with the case) and run the rule set with its explanation."""
    year = clock.today().year
    agency = case.case_type.agency.code
    population = population_of(
        actor=Actor.job(DECISION_JOB, agency=agency),
        purpose=case.case_type.purpose,
        personal_numbers=[case.subject],
        case=case.reference,
        kind="lookup",
        registers=rule_set.reads,
    )
    answers = case.submission.answers if case.submission_id else {}
    # Each gap in every language: the resident and the caseworker read it in their own.
    gaps = [
        every_language(lambda gap=gap: tr(gap["gap"]))
        for gap in rule_set.answer_gaps
        if answers.get(gap["answer"]) == gap.get("equals")
    ]
    applicant = np.flatnonzero(population.personal_numbers == case.subject)
    if not len(applicant):
        return Evaluation(
            eligible=False,
            amount=0,
            explanation={"rule_set": rule_set.key, "year": year},
            household_income=0.0,
            gaps=[
                every_language(
                    lambda: _("the persons register has no current address for the applicant")
                )
            ],
        )
    # Contradictions in the registers are named, never decided around.
    if len(applicant) > 1:
        gaps.append(
            every_language(
                lambda: (
                    _("the persons register shows %(count)s current addresses for the applicant")
                    % {"count": len(applicant)}
                )
            )
        )
    index = int(applicant[0])
    # Only the applicant's unit: the read returns everyone at the address; a benefit unit is
    # the applicant, their partner and their minor children (from the family ties).
    units = groupings_of(population, year, {rule_set.grouping})[rule_set.grouping]
    positions = np.flatnonzero(units == units[index])
    if (population.birth_date[positions] > np.datetime64(clock.today())).any():
        gaps.append(
            every_language(
                lambda: _("the persons register has a birth date in the future in the household")
            )
        )
    index = int(np.flatnonzero(positions == index)[0])
    extra_values = rule_set.answers_inputs(answers)
    extra = {}
    for variable, value in extra_values.items():
        column = np.zeros(
            len(positions), dtype=type(value) if not isinstance(value, bool) else bool
        )
        column[index] = value
        extra[variable] = ("year", column)
    columns = Household(
        person_ids=population.personal_numbers[positions],
        household=np.zeros(len(positions), dtype=np.int64),
        birth_date=population.birth_date[positions],
        income=population.income[positions],
        vehicles=population.vehicles[positions],
        extra=extra or None,
    )
    if rule_set.needs_income:
        adult = ages(columns.birth_date, year) >= ADULT_AGE
        unknown = int((adult & ~population.income_known[positions]).sum())
        if unknown:
            gaps.append(
                every_language(
                    lambda: (
                        _(
                            "the income register has no income for %(year)s for %(count)s adult(s) in the household"
                        )
                        % {"year": year - 1, "count": unknown}
                    )
                )
            )
    evaluation = household_explain(columns, rule_set, year, applicant_index=index)
    evaluation.gaps.extend(gaps)
    margin = settings.DECISION_MARGIN / 100
    if evaluation.threshold and not evaluation.gaps:
        distance = abs(evaluation.tested_income - evaluation.threshold)
        if distance <= margin * evaluation.threshold:
            evaluation.gaps.append(
                every_language(
                    lambda: (
                        _(
                            "the household income (%(income)s) is within %(margin)s%% of the limit of %(limit)s"
                        )
                        % {
                            "income": money_text(evaluation.tested_income, cents=False),
                            "margin": settings.DECISION_MARGIN,
                            "limit": money_text(evaluation.threshold, cents=False),
                        }
                    )
                )
            )
    return evaluation


def mode_of(case_type: str) -> str:
    mode = RuleSetMode.objects.filter(case_type=case_type).values_list("mode", flat=True).first()
    return mode or RuleSetMode.Mode.OFF


def case_opened_decide(*, reference: str) -> RuleOutcome | None:
    """Handler of "case opened": decide, hand over or shadow, per the case type's mode. A rule
    set that cannot be evaluated hands the case to a caseworker with the error named; only a
    database error is left to the event's retry."""

    case = case_get(reference=reference)
    if case is None:
        return None
    already = RuleOutcome.objects.filter(case_reference=reference).first()
    if already is not None:
        return already
    rule_set = rule_set_for_case_type(case.case_type.code)
    mode = mode_of(case.case_type.code)
    if rule_set is None or mode == RuleSetMode.Mode.OFF:
        return None
    try:
        with transaction.atomic():
            evaluation = application_evaluate(case=case, rule_set=rule_set)
    except DatabaseError:
        raise
    except Exception as error:
        log.exception("the rules %s could not evaluate case %s", rule_set.key, reference)
        return _rules_failed(case, rule_set, mode, error)
    outcome = "granted" if evaluation.eligible else "refused"
    if mode == RuleSetMode.Mode.SHADOW:
        route = RuleOutcome.Route.SHADOW
    elif evaluation.gaps:
        route = RuleOutcome.Route.CASEWORKER
    else:
        route = RuleOutcome.Route.DECIDED
    explanation = {**evaluation.explanation, "gaps": evaluation.gaps}
    recorded = RuleOutcome.objects.create(
        case_reference=case.reference,
        case_type=case.case_type.code,
        rule_set=rule_set.key,
        route=route,
        outcome=outcome,
        amount=evaluation.amount,
        explanation=explanation,
        computed_at=clock.now(),
    )
    if route == RuleOutcome.Route.CASEWORKER:
        case_to_caseworker(case=case, reason="; ".join(tr(gap) for gap in evaluation.gaps))
    elif route == RuleOutcome.Route.DECIDED:
        from civic.decisions.wording import decision_summary

        case_decide_by_rules(
            case=case,
            outcome=outcome,
            # In every language: the resident reads them in theirs, whoever's request ran this.
            reasons=every_language(lambda: decision_summary(explanation, rule_set)),
            rule_set=every_language(rule_set.label),
        )
    return recorded


def _rules_failed(case, rule_set: RuleSet, mode: str, error: Exception) -> RuleOutcome | None:
    """The rules could not run on the case: a caseworker decides it, told why (in shadow mode
    a caseworker decides anyway, so nothing is recorded)."""
    if mode == RuleSetMode.Mode.SHADOW:
        return None
    reasons = every_language(
        lambda: (
            _("the rules could not be run: %(error)s")
            % {"error": str(error)[:150] or type(error).__name__}
        )
    )
    reason = tr(reasons)
    recorded = RuleOutcome.objects.create(
        case_reference=case.reference,
        case_type=case.case_type.code,
        rule_set=rule_set.key,
        route=RuleOutcome.Route.CASEWORKER,
        outcome="",
        amount=0,
        explanation={"rule_set": rule_set.key, "gaps": [reasons], "error": type(error).__name__},
        computed_at=clock.now(),
    )
    case_to_caseworker(case=case, reason=reason)
    return recorded
