"""From register columns to offers: one OpenFisca simulation per legal unit a chunk's rule sets
judge (the household at an address, the benefit unit), every proactive rule set computed for
the whole chunk at once, the residents offered picked out with NumPy. A child's benefit is
offered to each of its living parents, wherever they live. No database work here; proactive.py
reads and writes around it."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from civic.decisions.engine import ADULT_AGE, Household, ages, ages_on, simulation_build
from civic.decisions.rule_sets import RuleSet, proactive_rule_sets
from civic.decisions.units import benefit_units


@dataclass(frozen=True)
class OfferRow:
    personal_number: str
    rule_set: str
    household: str
    amount: int
    facts: dict
    #: The child a child's benefit is for ("" when the offer is for the resident's own unit).
    beneficiary: str = ""


def groupings_of(population, year: int, units: set[str]) -> dict[str, np.ndarray]:
    """The group index of each resident for each grouping asked for (household: the address;
    benefit_unit: from the family ties)."""
    found = {"household": population.household}
    if "benefit_unit" in units:
        found["benefit_unit"] = benefit_units(
            household=population.household,
            personal_numbers=population.personal_numbers,
            adult=ages(population.birth_date, year) >= ADULT_AGE,
            parents=population.parents,
            partner=population.partner,
            co_parents=population.co_parents,
        )
    return found


def columns_of(population, grouping: np.ndarray | None = None) -> Household:
    return Household(
        person_ids=population.personal_numbers,
        household=population.household if grouping is None else grouping,
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
    groupings = groupings_of(population, year, {r.grouping for r in rule_sets})
    wanted_groupings = {r.grouping for r in rule_sets} or {"household"}
    simulations = {
        g: simulation_build(columns_of(population, groupings[g]), year) for g in wanted_groupings
    }
    period = str(year)
    computed, incomes = {}, {}
    for rule_set in rule_sets:
        simulation = simulations[rule_set.grouping]
        computed[rule_set.key] = (
            simulation.calculate(rule_set.eligible_variable, period),
            simulation.calculate(rule_set.amount_variable, period),
        )
    for g, simulation in simulations.items():
        incomes[g] = simulation.calculate("household_income", period)
    compute_seconds = time.perf_counter() - started

    adult = ages(population.birth_date, year) >= ADULT_AGE
    # A person-unit rule (health care allowance) counts the months of age itself: someone who
    # turns 18 during the year is offered it for the months from then on.
    of_age_in_the_year = ages_on(population.birth_date, np.datetime64(f"{year}-12-01")) >= ADULT_AGE
    rows: list[OfferRow] = []
    numbers = population.personal_numbers
    for rule_set in rule_sets:
        eligible, amount = computed[rule_set.key]
        if rule_set.unit == "child":
            rows.extend(_child_offers(population, rule_set, eligible, amount))
            continue
        units = groupings[rule_set.grouping]
        # A unit whose adults lack last year's income is not judged on income at all.
        unknown = np.bincount(units, weights=(adult & ~population.income_known))
        if rule_set.unit == "person":
            wanted = eligible & of_age_in_the_year
            if rule_set.needs_income:
                wanted &= population.income_known
            per_person_amount = amount
        else:
            wanted = eligible[units] & adult
            if rule_set.needs_income:
                wanted &= (unknown == 0)[units]
            per_person_amount = amount[units]
        unit_income = incomes[rule_set.grouping]
        for i in np.flatnonzero(wanted):
            facts = {
                "household_income": round(float(unit_income[units[i]])),
                "income_last_year": round(float(population.income[i])),
            }
            rows.append(
                OfferRow(
                    personal_number=str(numbers[i]),
                    rule_set=rule_set.key,
                    household=population.addresses[population.household[i]],
                    amount=round(float(per_person_amount[i])),
                    facts={k: facts[k] for k in rule_set.facts if k in facts},
                )
            )
    return rows, compute_seconds


def _child_offers(population, rule_set: RuleSet, eligible, amount) -> list[OfferRow]:
    """A child's benefit, offered to each of its living parents (wherever they live), one offer
    per parent and child. Without family ties read nobody is offered it: a guess at who the
    parents are is what sent child benefit to adult siblings."""
    if population.parents is None:
        return []
    rows = []
    for i in np.flatnonzero(np.asarray(eligible, dtype=bool) & (np.asarray(amount) > 0)):
        child = str(population.personal_numbers[i])
        for parent in population.parents[i]:
            if not parent or parent == child:
                continue
            rows.append(
                OfferRow(
                    personal_number=str(parent),
                    rule_set=rule_set.key,
                    household=population.addresses[population.household[i]],
                    amount=round(float(amount[i])),
                    facts={"child_born": str(population.birth_date[i])},
                    beneficiary=child,
                )
            )
    return rows
