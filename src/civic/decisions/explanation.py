"""One household through the rules with OpenFisca's tracer on: the outcome, the inputs with
their source register, every rule and parameter applied with its legal reference, and what
would change the outcome (the threshold crossed, found by recomputing the household with
other incomes in one vectorised simulation).

The threshold is exact to the cent, in the rule's own unit (the benefit unit's or household's
income, or the person's own for a per-person rule): read from the rule set's income limit where
the rule is a plain limit (and checked to flip the outcome a cent below it), found by
bisection otherwise. Just below and just above the reported figure the outcome differs.

This is what GDPR art. 22 and the CJEU's C-203/22 ask a controller to give: the procedure
and principles actually applied, the personal data used, and how a change would alter the
result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from civic.decisions.engine import (
    ADULT_AGE,
    Household,
    ages,
    rule_system,
    simulation_build,
    value_in_force,
)
from civic.decisions.rule_sets import RuleSet

_TRACE_KEY = re.compile(r"^(?P<name>[^<]+)<(?P<period>[^>]*)>$")

#: Where each register input of the rules comes from (register, record.attribute); what a
#: rule set takes from the form's answers is shown as from the application.
SOURCES = {
    "birth_date": ("persons", "identity.birth_date"),
    "income": ("income", "income.amount"),
    "vehicles_owned": ("vehicles", "ownership.owner"),
}


@dataclass
class Evaluation:
    eligible: bool
    amount: int
    explanation: dict
    household_income: float
    gaps: list[str] = field(default_factory=list)
    threshold: float | None = None
    #: The income the threshold is about: the unit's counted income, or the person's own.
    tested_income: float = 0.0


def _value(value):
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, (np.generic,)):
        return value.item()
    return value


def _references(item) -> list[str]:
    reference = getattr(item, "reference", None)
    if reference is None and hasattr(item, "metadata"):
        reference = item.metadata.get("reference")
    if not reference:
        return []
    if isinstance(reference, dict):
        reference = reference.get("title") or reference.get("href") or str(reference)
    return [str(r) for r in reference] if isinstance(reference, (list, tuple)) else [str(reference)]


def _parameter_references(parameter, day: str) -> tuple[list[str], list[dict[str, str]]]:
    """The legal references of the value of ``parameter`` in force on ``day`` (each value
    cites its own year's law), with the article's link or identifier where the package gives
    one; the parameter's own reference when the value names none."""
    at = value_in_force(parameter, day) if hasattr(parameter, "values_list") else None
    metadata = (at.metadata if at is not None else None) or {}
    if not metadata.get("reference"):
        return _references(parameter), []
    link = {"reference": str(metadata["reference"])}
    for key in ("href", "identifier"):
        if metadata.get(key):
            link[key] = str(metadata[key])
    return [link["reference"]], [link]


def _parameter(system, path: str):
    try:
        node = system.parameters
        for part in path.split("."):
            node = node.children[part] if hasattr(node, "children") else getattr(node, part)
        return node
    except (KeyError, AttributeError):
        return None


def household_explain(
    columns: Household, rule_set: RuleSet, year: int, *, applicant_index: int
) -> Evaluation:
    """The applicant's household (every person in ``columns``) through ``rule_set``."""
    system = rule_system()
    simulation = simulation_build(columns, year, trace=True)
    period = str(year)
    eligible_values = simulation.calculate(rule_set.eligible_variable, period)
    amount_values = simulation.calculate(rule_set.amount_variable, period)
    pick = 0 if rule_set.entity == "household" else applicant_index
    eligible = bool(eligible_values[pick])
    amount = round(float(amount_values[pick]))
    household_income = float(simulation.calculate("household_income", period)[0])
    rules, parameters, unmet = [], {}, []
    for key, node in simulation.tracer.flat_trace.get_trace().items():
        match = _TRACE_KEY.match(key)
        if not match:
            continue
        name = match["name"]
        variable = system.variables.get(name)
        if variable is None:
            continue
        for path, value in (node.get("parameters") or {}).items():
            parameter_path = _TRACE_KEY.match(path)
            parameter_name = parameter_path["name"] if parameter_path else path
            if parameter_name in parameters:
                continue
            parameter = _parameter(system, parameter_name)
            references, links = (
                _parameter_references(parameter, f"{year}-01-01")
                if parameter is not None
                else ([], [])
            )
            parameters[parameter_name] = {
                "name": parameter_name,
                "description": getattr(parameter, "description", "") or parameter_name,
                "value": _value(value),
                "unit": (getattr(parameter, "metadata", {}) or {}).get("unit", ""),
                "references": references,
                "links": links,
            }
        # Monthly law is shown by its yearly sum (its parameters above are kept): twelve rows
        # per month-by-month helper would bury the rules that decided.
        if variable.formulas and len(match["period"]) != len("2026-01"):
            value = _value(node.get("value"))
            rules.append(
                {
                    "variable": name,
                    "label": variable.label or name,
                    "period": match["period"],
                    "value": value,
                    "references": _references(variable),
                }
            )
            if variable.value_type is bool and value is False and name.endswith("_eligible"):
                unmet.append(name)
    explanation = {
        "rule_set": rule_set.key,
        "year": year,
        "eligible": eligible,
        "amount": amount,
        "inputs": _inputs(columns, year, applicant_index),
        "rules": rules,
        "parameters": list(parameters.values()),
        "unmet": unmet,
        "household_income": round(household_income),
    }
    threshold = None
    tested = _tested_income(columns, rule_set, applicant_index)
    if rule_set.needs_income:
        threshold = income_threshold(
            columns, rule_set, year, applicant_index, limit=_limit(simulation, rule_set, year)
        )
    if threshold is not None:
        explanation["counterfactual"] = {
            "variable": "income" if rule_set.unit == "person" else "household_income",
            "current": round(tested, 2),
            "threshold": round(threshold, 2),
            # Which side of the threshold gives the other outcome.
            "other_outcome_when": "below" if tested >= threshold else "above",
            "other_outcome": "refused" if eligible else "granted",
        }
    return Evaluation(
        eligible=eligible,
        amount=amount,
        explanation=explanation,
        household_income=household_income,
        threshold=threshold,
        tested_income=tested,
    )


def _tested_income(columns: Household, rule_set: RuleSet, applicant_index: int) -> float:
    """The income the rule tests: the person's own, or the unit's with each loss as 0."""
    if rule_set.unit == "person":
        return float(columns.income[applicant_index])
    return float(np.maximum(columns.income.astype(np.float64), 0).sum())


def _limit(simulation, rule_set: RuleSet, year: int) -> float | None:
    """The rule set's plain income limit for this unit: a variable of the unit (computed in
    the household's own simulation) or a parameter path."""
    name = rule_set.income_limit
    if not name:
        return None
    if "." in name:
        node = _parameter(rule_system(), name)
        try:
            return float(node(f"{year}-01-01")) if node is not None else None
        except (TypeError, ValueError):
            return None
    return float(simulation.calculate(name, str(year))[0])


#: Points per round of the search: each round narrows the bracket 128 times, so a bracket of
#: EUR 500 (one step of the coarse grid) is a single cent after three rounds.
_POINTS = 129


def income_threshold(
    columns: Household,
    rule_set: RuleSet,
    year: int,
    applicant_index: int,
    *,
    limit: float | None = None,
) -> float | None:
    """The income (in the rule's unit) from which the outcome is the other one, to the cent:
    ``outcome(threshold - 0.01) != outcome(threshold)``. A plain limit is read and checked; else
    the flip nearest the current income is found on a coarse grid and narrowed by bisection in
    whole cents (one vectorised simulation of many copies per round)."""
    if limit is not None:
        cents = round(limit * 100)
        pair = _outcomes(columns, rule_set, year, applicant_index, np.array([cents - 1, cents]))
        if pair[0] != pair[1]:
            return cents / 100
    current = _tested_income(columns, rule_set, applicant_index)
    high = max(150_000.0, 3 * abs(current))
    grid = np.unique(np.round(np.linspace(0.0, high, 301) * 100).astype(np.int64))
    outcomes = _outcomes(columns, rule_set, year, applicant_index, grid)
    changes = np.flatnonzero(outcomes[1:] != outcomes[:-1])
    if not len(changes):
        return None
    nearest = changes[np.argmin(np.abs(grid[changes] / 100 - current))]
    low, high_cents, low_outcome = int(grid[nearest]), int(grid[nearest + 1]), outcomes[nearest]
    while high_cents - low > 1:
        points = np.unique(np.linspace(low, high_cents, _POINTS).round().astype(np.int64))
        found = _outcomes(columns, rule_set, year, applicant_index, points)
        first = int(np.argmax(found != low_outcome))
        if first == 0:  # no flip inside (cannot happen for a deterministic rule)
            break
        low, high_cents = int(points[first - 1]), int(points[first])
    return high_cents / 100


def _inputs(columns: Household, year: int, applicant_index: int) -> list[dict]:
    adult = ages(columns.birth_date, year) >= ADULT_AGE
    rows = []
    for i in range(len(columns.person_ids)):
        who = "you" if i == applicant_index else ("adult" if adult[i] else "child")
        rows.append(
            {
                "who": who,
                "variable": "birth_date",
                "value": str(columns.birth_date[i]),
                "register": "persons",
            }
        )
        if adult[i]:
            rows.append(
                {
                    "who": who,
                    "variable": "income",
                    "period": str(year - 1),
                    "value": round(float(columns.income[i])),
                    "register": "income",
                }
            )
        if columns.vehicles[i]:
            rows.append(
                {
                    "who": who,
                    "variable": "vehicles_owned",
                    "value": int(columns.vehicles[i]),
                    "register": "vehicles",
                }
            )
    for variable, (_period, values) in (columns.extra or {}).items():
        rows.append(
            {
                "who": "you",
                "variable": variable,
                "value": _value(values[applicant_index]),
                "register": "application",
            }
        )
    return rows


def _outcomes(columns, rule_set, year, applicant_index, cents: np.ndarray) -> np.ndarray:
    """The rule set's outcome for copies of the household, the tested income set to each of
    ``cents``: the person's own income (a per-person rule), or the unit's counted income
    shared in the proportions of today's (all on the applicant when nobody has any)."""
    totals = np.asarray(cents, dtype=np.float64) / 100
    copies = len(totals)
    size = len(columns.person_ids)
    base = columns.income.astype(np.float64)
    if rule_set.unit == "person":
        income = np.tile(base, copies)
        income[applicant_index::size] = totals
    else:
        counted = np.maximum(base, 0)
        if counted.sum() > 0:
            income = np.outer(totals / counted.sum(), counted).ravel()
        else:
            income = np.zeros(copies * size)
            income[applicant_index::size] = totals
    extra = {
        variable: (period, np.tile(values, copies))
        for variable, (period, values) in (columns.extra or {}).items()
    }
    many = Household(
        person_ids=np.array([f"{c}-{i}" for c in range(copies) for i in range(size)]),
        household=np.repeat(np.arange(copies), size),
        birth_date=np.tile(columns.birth_date, copies),
        income=income,
        vehicles=np.tile(columns.vehicles, copies),
        extra=extra or None,
    )
    simulation = simulation_build(many, year)
    eligible = simulation.calculate(rule_set.eligible_variable, str(year))
    if rule_set.entity == "person":
        eligible = eligible[applicant_index::size]
    return np.asarray(eligible, dtype=bool)
