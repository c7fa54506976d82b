"""What-if for policy makers: a reform (parameters of the country package with new values)
computed over the population with the same engine as the offers, against the law as it is.

A reform is data (YAML or JSON)::

    name: Limit 130 % instead of 120 %
    parameters:
      school_clothing_grant.income_limit_percentage: 1.3
      school_clothing_grant.amount_per_child: {add: 50}
      child_benefit.amount_0_to_5: {multiply: 1.1}

Each change applies from 1 January of the year computed onward (``modify_parameters`` of an
OpenFisca ``Reform``); the law itself is not touched. The support a household gets is the sum
of the proactive entitlements (those computed from the registers alone) of everyone at its
address; a household gains or loses when that sum changes by a euro or more. Totals, bands and
neighbourhoods only: a result holds no personal number and no address, neighbourhoods with
fewer than ``SMALL_CELL`` households changed are folded into "other", example households
are described by their make-up and rounded figures.

Pure computation on a chunk's population; reform_runs.py reads, stores and combines.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import yaml
from django.utils.translation import gettext as _
from openfisca_core.parameters import Parameter
from openfisca_core.periods import instant
from openfisca_core.reforms import Reform

from civic.core.errors import CivicError
from civic.decisions.eligibility import columns_of, groupings_of
from civic.decisions.engine import ADULT_AGE, ages, rule_system, simulation_build
from civic.decisions.rule_sets import RuleSet, proactive_rule_sets

#: Bands of the change in a household's yearly support, in euros: (label, low, high), low
#: inclusive, high exclusive. "no change" is |change| < 1.
BANDS: tuple[tuple[str, float, float], ...] = (
    ("loses 500 or more", -math.inf, -500),
    ("loses 100 to 500", -500, -100),
    ("loses 10 to 100", -100, -10),
    ("loses 1 to 10", -10, -1),
    ("no change", -1, 1),
    ("gains 1 to 10", 1, 10),
    ("gains 10 to 100", 10, 100),
    ("gains 100 to 500", 100, 500),
    ("gains 500 or more", 500, math.inf),
)
#: Neighbourhoods with fewer changed households than this are reported together as "other".
SMALL_CELL = 10
#: Example households kept per direction (gaining, losing).
EXAMPLES = 5
#: An example household's support is shown rounded to this many euros: an exact amount,
#: with the household's make-up, could point at one family.
EXAMPLE_ROUNDING = 10
MODES = ("set", "add", "multiply")


class ReformInvalid(CivicError):
    code = "reform-invalid"

    def __init__(self, message: str, *, items: list[str] | None = None) -> None:
        super().__init__(message)
        self.items = items or []


@dataclass(frozen=True)
class Change:
    parameter: str
    mode: str  # set | add | multiply
    value: float

    def applied(self, old: float) -> float:
        if self.mode == "add":
            return old + self.value
        if self.mode == "multiply":
            return old * self.value
        return self.value

    def as_data(self):
        return self.value if self.mode == "set" else {self.mode: self.value}


@dataclass(frozen=True)
class ReformSpec:
    name: str
    changes: tuple[Change, ...] = field(default_factory=tuple)
    description: str = ""

    def as_data(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "parameters": {c.parameter: c.as_data() for c in self.changes},
        }


def reform_parse(text_or_data, *, default_name: str = "") -> ReformSpec:
    """A reform from its YAML text (or the parsed mapping); refused, naming what is wrong,
    when a parameter does not exist, is not a single value, or gets no number."""
    if isinstance(text_or_data, str):
        try:
            data = yaml.safe_load(text_or_data) or {}
        except yaml.YAMLError as error:
            raise ReformInvalid(
                _("The reform is not valid YAML: %(error)s") % {"error": error}
            ) from None
    else:
        data = text_or_data or {}
    if not isinstance(data, dict):
        raise ReformInvalid(_("A reform is a mapping with a name and its parameters."))
    raw = data.get("parameters") or {}
    if not isinstance(raw, dict):
        raise ReformInvalid(_("A reform's parameters map each parameter to its new value."))
    known = parameter_values(year=None)
    changes = []
    for name, given in raw.items():
        name = str(name).replace("/", ".")
        if name not in known:
            raise ReformInvalid(
                _("There is no parameter “%(name)s” in the rules.") % {"name": name}, items=[name]
            )
        mode, value = ("set", given)
        if isinstance(given, dict):
            if len(given) != 1 or next(iter(given)) not in MODES:
                raise ReformInvalid(
                    _("Give “%(name)s” a number, or one of set, add or multiply with a number.")
                    % {"name": name},
                    items=[name],
                )
            mode, value = next(iter(given.items()))
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ReformInvalid(
                _("The new value of “%(name)s” must be a number.") % {"name": name}, items=[name]
            )
        changes.append(Change(parameter=name, mode=mode, value=float(value)))
    name = str(data.get("name") or default_name or _("Reform")).strip()[:200]
    return ReformSpec(
        name=name, changes=tuple(changes), description=str(data.get("description") or "")[:2000]
    )


def _leaves(node, prefix: str = ""):
    for key, child in node.children.items():
        path = f"{prefix}{key}"
        if isinstance(child, Parameter):
            yield path, child
        elif hasattr(child, "children"):
            yield from _leaves(child, f"{path}.")


def parameter_values(*, year: int | None) -> dict[str, float | None]:
    """Every single-valued parameter of the package, with its value on 1 January of ``year``
    (None without a year or where no value is in force)."""
    found: dict[str, float | None] = {}
    for path, parameter in _leaves(rule_system().parameters):
        value = None
        if year is not None:
            try:
                value = parameter(f"{year}-01-01")
            except Exception:  # no value in force that day
                value = None
        found[path] = value if isinstance(value, int | float) or value is None else None
    return found


def reformed_system(spec: ReformSpec, year: int):
    """The package's system with the reform's changes in force from 1 January of ``year``."""
    baseline = rule_system()
    if not spec.changes:
        return baseline

    def modify(parameters):
        start = instant(f"{year}-01-01")
        for change in spec.changes:
            parameter = parameters
            for part in change.parameter.split("."):
                parameter = parameter.children[part]
            old = parameter(start)
            if old is None or isinstance(old, bool):
                raise ReformInvalid(
                    _("“%(name)s” has no number in force in %(year)s.")
                    % {"name": change.parameter, "year": year},
                    items=[change.parameter],
                )
            parameter.update(start=start, value=change.applied(float(old)))
        return parameters

    class _Reform(Reform):
        name = spec.name

        def apply(self):
            self.modify_parameters(modifier_function=modify)

    return _Reform(baseline)


def entitlements() -> list[RuleSet]:
    """What a reform is measured on: the proactive entitlements (computed from the registers
    alone, as the offers are)."""
    return [r for r in proactive_rule_sets() if r.kind == "entitlement"]


def support_per_household(
    population, year: int, system, groupings: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    """Each household's (address's) yearly support under ``system``, in euros: the sum of the
    entitlements of everyone living there, each computed in its own legal unit (``groupings``
    when already formed for this population)."""
    rule_sets = entitlements()
    households = len(population.addresses)
    total = np.zeros(households)
    if len(population) == 0:
        return total
    if groupings is None:
        groupings = groupings_of(population, year, {r.grouping for r in rule_sets})
    period = str(year)
    for grouping in sorted({r.grouping for r in rule_sets}):
        simulation = simulation_build(columns_of(population, groupings[grouping]), year)
        # The same simulation, its formulas reading the reform's parameters: OpenFisca looks
        # the law up on the simulation's system at each calculation.
        simulation.tax_benefit_system = system
        units = groupings[grouping]
        address_of_unit = np.zeros(int(units.max()) + 1, dtype=np.int64)
        address_of_unit[units] = population.household
        for rule_set in (r for r in rule_sets if r.grouping == grouping):
            eligible = np.asarray(simulation.calculate(rule_set.eligible_variable, period))
            amount = np.asarray(simulation.calculate(rule_set.amount_variable, period))
            paid = np.where(eligible.astype(bool), np.maximum(amount, 0), 0.0)
            if system.variables[rule_set.amount_variable].entity.key == "person":
                total += np.bincount(population.household, weights=paid, minlength=households)
            else:
                total += np.bincount(address_of_unit, weights=paid, minlength=households)
    return total


def band_of(change: float) -> str:
    return next(label for label, low, high in BANDS if low <= change < high)


def _example_amount(euros: float) -> int:
    return int(round(float(euros) / EXAMPLE_ROUNDING) * EXAMPLE_ROUNDING)


def chunk_compare(population, year: int, system, neighbourhoods: dict[str, str]) -> dict:
    """The reform against the law as it is for one chunk: totals, counts by band and by
    neighbourhood, and a few example households (no personal numbers, no addresses)."""
    # The legal units are the same under both: formed once from the family ties.
    groupings = (
        groupings_of(population, year, {r.grouping for r in entitlements()})
        if len(population)
        else None
    )
    before = support_per_household(population, year, rule_system(), groupings)
    after = (
        before
        if system is rule_system()
        else support_per_household(population, year, system, groupings)
    )
    change = after - before
    age = ages(population.birth_date, year) if len(population) else np.zeros(0)
    adults = np.bincount(population.household, weights=age >= ADULT_AGE, minlength=len(before))
    children = np.bincount(population.household, weights=age < ADULT_AGE, minlength=len(before))
    income = np.bincount(population.household, weights=population.income, minlength=len(before))
    bands = Counter(band_of(float(c)) for c in change)
    by_neighbourhood: dict[str, dict[str, float]] = {}
    examples: dict[str, list[dict]] = {"gaining": [], "losing": []}
    for h in np.flatnonzero(np.abs(change) >= 1):
        code = neighbourhoods.get(population.addresses[h], "")
        cell = by_neighbourhood.setdefault(code, {"gaining": 0, "losing": 0, "cost_change": 0.0})
        direction = "gaining" if change[h] > 0 else "losing"
        cell[direction] += 1
        cell["cost_change"] += float(change[h])
        if len(examples[direction]) < EXAMPLES:
            examples[direction].append(
                {
                    "adults": int(adults[h]),
                    "children": int(children[h]),
                    "income_band": f"{int(income[h] // 5000 * 5000)}-{int(income[h] // 5000 * 5000 + 5000)}",
                    "neighbourhood": code,
                    "support_before": _example_amount(before[h]),
                    "support_after": _example_amount(after[h]),
                    "change": _example_amount(after[h]) - _example_amount(before[h]),
                }
            )
    return {
        "households": len(before),
        "residents": len(population),
        "cost_before": float(before.sum()),
        "cost_after": float(after.sum()),
        "households_gaining": int((change >= 1).sum()),
        "households_losing": int((change <= -1).sum()),
        "bands": dict(bands),
        "neighbourhoods": by_neighbourhood,
        "examples": examples,
    }


def results_combine(parts: list[dict]) -> dict:
    """The chunks' results as one report: the figures a reform is judged on, rounded to the
    euro, small neighbourhoods folded into "other", no personal data."""
    total = {
        "households": 0,
        "residents": 0,
        "cost_before": 0.0,
        "cost_after": 0.0,
        "households_gaining": 0,
        "households_losing": 0,
    }
    bands: Counter = Counter()
    cells: dict[str, dict[str, float]] = {}
    examples: dict[str, list[dict]] = {"gaining": [], "losing": []}
    for part in parts:
        for key in total:
            total[key] += part.get(key, 0)
        bands.update(part.get("bands", {}))
        for code, cell in part.get("neighbourhoods", {}).items():
            into = cells.setdefault(code, {"gaining": 0, "losing": 0, "cost_change": 0.0})
            for key in into:
                into[key] += cell[key]
        for direction in examples:
            room = EXAMPLES - len(examples[direction])
            examples[direction].extend(part.get("examples", {}).get(direction, [])[:room])
    neighbourhoods: dict[str, dict] = {}
    for code, cell in sorted(cells.items()):
        name = code if code and cell["gaining"] + cell["losing"] >= SMALL_CELL else "other"
        into = neighbourhoods.setdefault(name, {"gaining": 0, "losing": 0, "cost_change": 0.0})
        for key in into:
            into[key] += cell[key]
    for cell in neighbourhoods.values():
        cell["cost_change"] = round(cell["cost_change"])
    # An example keeps its neighbourhood only when that neighbourhood is shown on its own: in a
    # small cell, the make-up and the amounts could single out a household.
    for direction in examples:
        examples[direction] = [
            {
                **e,
                "neighbourhood": e["neighbourhood"]
                if e["neighbourhood"] in neighbourhoods
                else "other",
            }
            for e in examples[direction]
        ]
    return {
        "households": total["households"],
        "residents": total["residents"],
        "cost_before": round(total["cost_before"]),
        "cost_after": round(total["cost_after"]),
        "cost_change": round(total["cost_after"] - total["cost_before"]),
        "households_gaining": total["households_gaining"],
        "households_losing": total["households_losing"],
        "bands": {label: int(bands.get(label, 0)) for label, _low, _high in BANDS},
        "neighbourhoods": neighbourhoods,
        "examples": examples,
    }
