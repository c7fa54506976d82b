"""From register columns to offers: one OpenFisca simulation over a chunk of households,
every proactive rule set computed for the whole chunk at once, the eligible residents picked
out with NumPy. No database work here; proactive.py reads and writes around it."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from civic.decisions.engine import ADULT_AGE, Household, ages, simulation_build
from civic.decisions.rule_sets import RuleSet, proactive_rule_sets


@dataclass(frozen=True)
class OfferRow:
    personal_number: str
    rule_set: str
    household: str
    amount: int
    facts: dict


def columns_of(population) -> Household:
    return Household(
        person_ids=population.personal_numbers,
        household=population.household,
        birth_date=population.birth_date,
        income=population.income,
        vehicles=population.vehicles,
    )


def offers_compute(
    population, year: int, rule_sets: list[RuleSet] | None = None
) -> tuple[list[OfferRow], float]:
    """Offers for everyone in ``population`` in ``year``, and the seconds OpenFisca spent."""
    if len(population) == 0:
        return [], 0.0
    rule_sets = proactive_rule_sets() if rule_sets is None else rule_sets
    started = time.perf_counter()
    simulation = simulation_build(columns_of(population), year)
    period = str(year)
    computed = {}
    for rule_set in rule_sets:
        computed[rule_set.key] = (
            simulation.calculate(rule_set.eligible_variable, period),
            simulation.calculate(rule_set.amount_variable, period),
        )
    household_income = simulation.calculate("household_income", period)
    children = simulation.calculate("children_under_18", period)
    compute_seconds = time.perf_counter() - started

    households = population.household
    adult = ages(population.birth_date, year) >= ADULT_AGE
    # A household whose adults lack last year's income is not judged on income at all.
    unknown = np.bincount(
        households, weights=(adult & ~population.income_known), minlength=len(population.addresses)
    )
    income_known_household = unknown == 0
    rows: list[OfferRow] = []
    numbers = population.personal_numbers
    for rule_set in rule_sets:
        eligible, amount = computed[rule_set.key]
        if rule_set.entity == "household":
            wanted = eligible[households] & adult
            if rule_set.needs_income:
                wanted &= income_known_household[households]
            per_person_amount = amount[households]
        else:
            wanted = eligible & adult
            if rule_set.needs_income:
                wanted &= population.income_known
            per_person_amount = amount
        for i in np.flatnonzero(wanted):
            h = households[i]
            facts = {
                "children_under_18": int(children[h]),
                "household_income": round(float(household_income[h])),
                "income_last_year": round(float(population.income[i])),
            }
            rows.append(
                OfferRow(
                    personal_number=str(numbers[i]),
                    rule_set=rule_set.key,
                    household=population.addresses[h],
                    amount=round(float(per_person_amount[i])),
                    facts={k: facts[k] for k in rule_set.facts},
                )
            )
    return rows, compute_seconds
