"""The public calculator, "what may I be entitled to": a household entered by hand (or
prefilled from the resident's own registers) through the same engine, the same rule sets and
the same explanations as the automated decisions, and the marginal picture (how the
household's total support changes as its income rises).

Nothing here writes: the household lives in the request's own fields, the computation is an
OpenFisca simulation in memory. Only the prefill reads (through the exchange, logged).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from civic.core.errors import CivicError
from civic.decisions.eligibility import groupings_of
from civic.decisions.engine import ADULT_AGE, Household, ages, rule_system, simulation_build
from civic.decisions.explanation import household_explain
from civic.decisions.rule_sets import RuleSet, rule_sets
from civic.exchange.selectors import Actor, population_of, purpose_get

#: The job and purpose of a logged-in resident's "fill in from my data" (set up per
#: jurisdiction with its grants; the demo's are in setup/data/havenstad/setup.yaml).
CALCULATOR_JOB = "entitlement-calculator"
CALCULATOR_PURPOSE = "calculate-entitlements"
#: What the prefill reads: the household's make-up, incomes and vehicles.
CALCULATOR_READS = ("persons", "family", "income", "vehicles")

#: Points of the marginal picture (total support across an income range).
CURVE_POINTS = 61


@dataclass(frozen=True)
class Entered:
    """A household as the resident entered it. Ages are completed years on 1 January of
    ``year``; incomes are last year's, a loss negative; rent is per month."""

    year: int
    age: int
    partner_age: int | None = None
    children: tuple[int, ...] = ()
    income: int = 0
    partner_income: int = 0
    rent_per_month: int = 0
    property_value: int = 0
    dogs: int = 0
    assistance_dog: bool = False
    vehicles: int = 0

    @property
    def size(self) -> int:
        return 1 + (self.partner_age is not None) + len(self.children)


@dataclass
class Outcome:
    rule_set: RuleSet
    eligible: bool
    amount: int
    #: Explanations as the automated decisions give them: (whom it is about, Evaluation).
    explanations: list = field(default_factory=list)


def household_columns(entered: Entered, *, copies: int = 1) -> Household:
    """The household as the engine's columns: you first, then your partner, then the
    children; everyone born on 1 January so that their age is the one entered all year."""
    years = [entered.age]
    incomes = [float(entered.income)]
    if entered.partner_age is not None:
        years.append(entered.partner_age)
        incomes.append(float(entered.partner_income))
    years.extend(entered.children)
    incomes.extend(0.0 for _ in entered.children)
    size = len(years)
    birth = np.array([f"{entered.year - a:04d}-01-01" for a in years], dtype="datetime64[D]")
    vehicles = np.zeros(size, dtype=np.int32)
    vehicles[0] = entered.vehicles
    dogs = np.zeros(size, dtype=np.int32)
    dogs[0] = entered.dogs
    assistance = np.zeros(size, dtype=bool)
    assistance[0] = entered.assistance_dog
    extra = {
        "dogs_kept": ("year", np.tile(dogs, copies)),
        "assistance_dog": ("year", np.tile(assistance, copies)),
        "rent": ("year", np.full(copies, float(entered.rent_per_month * 12), dtype=np.float32)),
        "property_value": ("year", np.full(copies, float(entered.property_value), np.float32)),
    }
    return Household(
        person_ids=np.array([f"{c}-{i}" for c in range(copies) for i in range(size)]),
        household=np.repeat(np.arange(copies), size),
        birth_date=np.tile(birth, copies),
        income=np.tile(np.array(incomes), copies),
        vehicles=np.tile(vehicles, copies),
        extra=extra,
    )


def _person_only(columns: Household) -> Household:
    """The columns with only the per-person answers (an explanation of a per-person rule
    lists its inputs per person)."""
    extra = {k: v for k, v in (columns.extra or {}).items() if k in {"dogs_kept", "assistance_dog"}}
    return dataclasses.replace(columns, extra=extra)


def household_amounts(simulation, size: int, year: int) -> dict[str, np.ndarray]:
    """Each rule set's total for every household of ``size`` persons in ``simulation``: the
    household's amount, or the sum over its persons for a per-person rule."""
    totals = {}
    for key, rule_set in rule_sets().items():
        values = np.asarray(simulation.calculate(rule_set.amount_variable, str(year)))
        if rule_set.entity == "person":
            values = values.reshape(-1, size).sum(axis=1)
        totals[key] = values.astype(np.float64)
    return totals


def outcomes(entered: Entered) -> list[Outcome]:
    """Every rule set for the household, with the explanations the automated decisions give.
    Raises the engine's CivicError (no law in force, a package refused) unchanged."""
    columns = household_columns(entered)
    simulation = simulation_build(columns, entered.year)
    amounts = household_amounts(simulation, entered.size, entered.year)
    system = rule_system()
    adults = 1 + (entered.partner_age is not None)
    found = []
    for key, rule_set in rule_sets().items():
        amount = round(float(amounts[key][0]))
        explanations = []
        if rule_set.unit == "child":
            # One explanation for the household's children together, where the package says it.
            total = f"{key}_amount"
            if f"{key}_eligible" in system.variables and total in system.variables:
                whole = dataclasses.replace(
                    rule_set, entity="household", unit="household", eligible="", amount=""
                )
                explanations.append(
                    (
                        "household",
                        household_explain(columns, whole, entered.year, applicant_index=0),
                    )
                )
        elif rule_set.entity == "person":
            for index in range(adults):
                who = "you" if index == 0 else "partner"
                explanations.append(
                    (
                        who,
                        household_explain(
                            _person_only(columns), rule_set, entered.year, applicant_index=index
                        ),
                    )
                )
        else:
            explanations.append(
                ("household", household_explain(columns, rule_set, entered.year, applicant_index=0))
            )
        eligible = amount > 0 or any(e.eligible for _who, e in explanations)
        found.append(
            Outcome(rule_set=rule_set, eligible=eligible, amount=amount, explanations=explanations)
        )
    return found


def support_curve(entered: Entered, *, top: float | None = None) -> dict:
    """Total support (every entitlement's amount, taxes and fees left out) for copies of the
    household whose counted income runs from 0 to ``top``, shared between the adults as now
    (all on you when neither has any). One vectorised simulation."""
    current = max(entered.income, 0) + max(entered.partner_income, 0)
    top = top or max(60_000.0, round(2 * current, -3))
    incomes = np.linspace(0.0, top, CURVE_POINTS)
    columns = household_columns(entered, copies=CURVE_POINTS)
    size = entered.size
    share = np.zeros(size)
    if current > 0:
        share[0] = max(entered.income, 0) / current
        if entered.partner_age is not None:
            share[1] = max(entered.partner_income, 0) / current
    else:
        share[0] = 1.0
    columns = dataclasses.replace(columns, income=np.outer(incomes, share).ravel())
    simulation = simulation_build(columns, entered.year)
    amounts = household_amounts(simulation, size, entered.year)
    entitlements = [k for k, r in rule_sets().items() if r.kind == "entitlement"]
    total = sum(amounts[k] for k in entitlements)
    return {
        "incomes": incomes,
        "total": total,
        "by_rule_set": {k: amounts[k] for k in entitlements},
        "current": float(current),
    }


def entered_from_population(population, personal_number: str, year: int) -> Entered | None:
    """The resident's benefit unit from a population read: their age, their partner's, their
    minor children's, last year's incomes and their vehicles. None when the read found them at
    no address."""
    found = np.flatnonzero(population.personal_numbers == personal_number)
    if not len(found):
        return None
    me = int(found[0])
    units = groupings_of(population, year, {"benefit_unit"})["benefit_unit"]
    members = np.flatnonzero(units == units[me])
    years = ages(population.birth_date, year)
    partner = next((int(i) for i in members if i != me and years[i] >= ADULT_AGE), None)
    children = tuple(sorted(int(years[i]) for i in members if 0 <= years[i] < ADULT_AGE))
    return Entered(
        year=year,
        age=int(years[me]),
        partner_age=int(years[partner]) if partner is not None else None,
        children=children,
        income=round(float(population.income[me])),
        partner_income=round(float(population.income[partner])) if partner is not None else 0,
        vehicles=int(population.vehicles[me]),
    )


class CalculatorNotSetUp(CivicError):
    """The jurisdiction has not set up the calculator's purpose: nothing is read."""


def own_household_read(*, personal_number: str, year: int) -> Entered | None:
    """A logged-in resident's household (their benefit unit) read through the exchange under
    the calculator's purpose, by the calculator's job of the purpose's controller; every
    person read gets an access-log entry, shown in their data tracker."""
    purpose = purpose_get(code=CALCULATOR_PURPOSE)
    if purpose is None:
        raise CalculatorNotSetUp(_("Filling in from your data is not set up here."))
    population = population_of(
        actor=Actor.job(CALCULATOR_JOB, agency=purpose.controller.code),
        purpose=CALCULATOR_PURPOSE,
        personal_numbers=[personal_number],
        kind="lookup",
        registers=CALCULATOR_READS,
    )
    return entered_from_population(population, personal_number, year)
