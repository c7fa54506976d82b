"""One household through the rules with OpenFisca's tracer on: the outcome, the inputs with
their source register, every rule and parameter applied with its legal reference, and what
would change the outcome (the threshold crossed, found by recomputing the household with
other incomes in one vectorised simulation).

This is what GDPR art. 22 and the CJEU's C-203/22 ask a controller to give: the procedure
and principles actually applied, the personal data used, and how a change would alter the
result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from civic.decisions.engine import ADULT_AGE, Household, ages, rule_system, simulation_build
from civic.decisions.rule_sets import RuleSet

_TRACE_KEY = re.compile(r"^(?P<name>[^<]+)<(?P<period>[^>]*)>$")

#: Where each input of the rules comes from (register, record.attribute), or the form.
SOURCES = {
    "birth_date": ("persons", "identity.birth_date"),
    "income": ("income", "income.amount"),
    "vehicles_owned": ("vehicles", "ownership.owner"),
    "dogs_kept": ("application", ""),
    "assistance_dog": ("application", ""),
}


@dataclass
class Evaluation:
    eligible: bool
    amount: int
    explanation: dict
    household_income: float
    gaps: list[str] = field(default_factory=list)
    threshold: float | None = None


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
            parameters[parameter_name] = {
                "name": parameter_name,
                "description": getattr(parameter, "description", "") or parameter_name,
                "value": _value(value),
                "unit": (getattr(parameter, "metadata", {}) or {}).get("unit", ""),
                "references": _references(parameter) if parameter is not None else [],
            }
        if variable.formulas:
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
    if rule_set.needs_income:
        threshold = _income_threshold(columns, rule_set, year, applicant_index)
    if threshold is not None:
        explanation["counterfactual"] = {
            "variable": "household_income",
            "current": round(household_income),
            "threshold": round(threshold),
            # Which side of the threshold gives the other outcome.
            "other_outcome_when": "below" if household_income >= threshold else "above",
            "other_outcome": "refused" if eligible else "granted",
        }
    return Evaluation(
        eligible=eligible,
        amount=amount,
        explanation=explanation,
        household_income=household_income,
        threshold=threshold,
    )


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


def _income_threshold(
    columns: Household, rule_set: RuleSet, year: int, applicant_index: int
) -> float | None:
    """The household income at which the outcome flips, nearest the current one: the
    household recomputed with its incomes scaled to each total on a grid (one simulation of
    many copies of the household), then again between the two totals that straddle the flip."""
    current = float(columns.income.sum())
    high = max(150_000.0, 3 * current)
    grid = np.linspace(0.0, high, 301)
    outcomes = _outcomes(columns, rule_set, year, applicant_index, grid)
    changes = np.flatnonzero(outcomes[1:] != outcomes[:-1])
    if not len(changes):
        return None
    nearest = changes[np.argmin(np.abs(grid[changes] - current))]
    fine = np.linspace(grid[nearest], grid[nearest + 1], 201)
    fine_outcomes = _outcomes(columns, rule_set, year, applicant_index, fine)
    step = np.flatnonzero(fine_outcomes[1:] != fine_outcomes[:-1])
    return float(round(fine[step[0] + 1] if len(step) else grid[nearest + 1]))


def _outcomes(columns, rule_set, year, applicant_index, totals: np.ndarray) -> np.ndarray:
    copies = len(totals)
    size = len(columns.person_ids)
    current = float(columns.income.sum())
    if current > 0:
        income = np.outer(totals / current, columns.income.astype(np.float64)).ravel()
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
