"""The OpenFisca engine behind Civic's rules: load the jurisdiction's country package (refused
when one of its YAML tests fails), build simulations from register columns, and trace one
household's computation for an explanation.

The country package is named by CIVIC_RULES_PACKAGE; it must export ``CountryTaxBenefitSystem``
and keep its YAML tests in a ``tests`` folder beside its modules, with the input contract of
docs/rules.md (``birth_date``, ``income``, ``vehicles_owned``...).
"""

from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _
from openfisca_core.simulations import Simulation, SimulationBuilder
from openfisca_core.tools import assert_near
from openfisca_core.tools.test_runner import build_test

from civic.core.errors import CivicError

ADULT_AGE = 18


class RulePackageRefused(CivicError):
    """The country package cannot be used: it does not load, or one of its tests fails."""


class RulesNotInForce(CivicError, BadRequest):
    """No law is in force for the period asked: a parameter has no value on a day of it (the
    law for that year is not written, or has ended). Never carried over from another year.
    A page that meets it answers with the 400 page naming it (Django's ``BadRequest``), the
    API with a problem+json 400, never a server error."""

    code = "rules-not-in-force"

    def __init__(self, parameter: str, day: str) -> None:
        self.parameter = parameter
        self.day = day
        super().__init__(
            _(
                "No law is in force on %(day)s: the rule %(parameter)s has no value that day. "
                "The rules cannot be computed for that period until its law is written."
            )
            % {"day": day, "parameter": parameter}
        )


@dataclass(frozen=True)
class Household:
    """Columns for a simulation: persons with their household index."""

    person_ids: np.ndarray
    household: np.ndarray
    birth_date: np.ndarray
    income: np.ndarray
    vehicles: np.ndarray
    extra: dict[str, tuple[str, np.ndarray]] | None = None  # variable -> (period kind, values)


_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def rule_system(package: str | None = None):
    """The tax-benefit system of ``package`` (default CIVIC_RULES_PACKAGE), loaded and tested
    once per process."""
    name = package or settings.RULES_PACKAGE
    system = _loaded.get(name)
    if system is not None:
        return system
    with _lock:
        if name not in _loaded:
            _loaded[name] = package_load(name)
        return _loaded[name]


def package_labels(language: str) -> dict[str, dict[str, str]]:
    """Labels of the package's variables and parameters in ``language``, when the package
    ships them (``<package>.translations.labels``); empty mappings otherwise (English labels
    are the package's own)."""
    try:
        module = importlib.import_module(f"{settings.RULES_PACKAGE}.translations")
        found = module.labels(language)
    except (ImportError, AttributeError):
        return {"variables": {}, "parameters": {}}
    return {"variables": found.get("variables", {}), "parameters": found.get("parameters", {})}


def package_load(name: str):
    """Import the package, build its system and run every YAML test; refuse it, naming the
    first failing test, when any fails."""
    try:
        module = importlib.import_module(name)
        system = module.CountryTaxBenefitSystem()
    except Exception as error:
        raise RulePackageRefused(
            _("The rule package %(package)s does not load: %(error)s")
            % {"package": name, "error": error}
        ) from error
    folder = Path(module.__file__).resolve().parent / "tests"
    failures = yaml_tests_run(system, folder)
    if failures:
        first = failures[0]
        raise RulePackageRefused(
            _(
                "The rule package %(package)s fails %(count)s of its tests, first “%(test)s” in %(file)s: %(error)s"
            )
            % {
                "package": name,
                "count": len(failures),
                "test": first["test"],
                "file": first["file"],
                "error": first["error"],
            }
        )
    return system


def yaml_tests_run(system, folder: Path) -> list[dict[str, str]]:
    """Run OpenFisca YAML tests the way ``openfisca test`` does (inputs, period, outputs with
    error margins), without pytest; return the failures."""
    failures: list[dict[str, str]] = []
    files = sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml"))
    if not files:
        return [{"test": "", "file": str(folder), "error": _("the package has no YAML tests")}]
    for path in files:
        tests = yaml.safe_load(path.read_text()) or []
        for raw in tests if isinstance(tests, list) else [tests]:
            name = raw.get("name", "")
            try:
                _yaml_test_check(system, build_test(dict(raw)))
            except Exception as error:  # an assertion or a broken test alike
                failures.append(
                    {"test": name, "file": path.name, "error": " ".join(str(error).split())}
                )
    return failures


def _yaml_test_check(system, test) -> None:
    builder = SimulationBuilder()
    builder.set_default_period(test.period)
    simulation = builder.build_from_dict(system, test.input)
    for key, expected in (test.output or {}).items():
        if key in system.variables:
            _near(simulation, test, key, expected, test.period, None)
            continue
        population = simulation.get_population(plural=key)
        if population is None:
            raise AssertionError(f"{key} is neither a variable nor an entity")
        for instance, values in expected.items():
            for variable, value in values.items():
                _near(
                    simulation, test, variable, value, test.period, population.get_index(instance)
                )


def _near(simulation, test, variable, expected, period, index) -> None:
    if isinstance(expected, dict):
        for at, value in expected.items():
            _near(simulation, test, variable, value, at, index)
        return
    actual = simulation.calculate(variable, period)
    if index is not None:
        actual = actual[index]
    assert_near(
        actual,
        expected,
        test.absolute_error_margin[variable],
        f"{variable}@{period}: ",
        test.relative_error_margin[variable],
    )


def ages(birth_date: np.ndarray, year: int) -> np.ndarray:
    """Completed years on 1 January of ``year`` (how the rules' ``age`` counts)."""
    born_year = birth_date.astype("datetime64[Y]")
    years = year - 1970 - born_year.astype(np.int64)
    born_on_new_year = birth_date.astype("datetime64[D]") == born_year.astype("datetime64[D]")
    return np.where(born_on_new_year, years, years - 1)


def value_in_force(parameter, day: str):
    """The ``ParameterAtInstant`` of ``parameter`` in force on ``day`` (``YYYY-MM-DD``), or
    None when none is (before its first value, or from a value of null on)."""
    for at in parameter.values_list:  # newest first
        if at.instant_str <= day:
            return at if at.value is not None else None
    return None


def law_in_force_check(year: int, system=None) -> None:
    """Refuse (``RulesNotInForce``) a computation for ``year`` when any parameter of the
    package (or of a reform of it) has no value on its first or its last day. A walk over
    the parameters, a few microseconds: no cache, so a reform is checked as it is."""
    system = system or rule_system()
    for day in (f"{year}-01-01", f"{year}-12-31"):
        for parameter in system.parameters.get_descendants():
            if hasattr(parameter, "values_list") and value_in_force(parameter, day) is None:
                raise RulesNotInForce(parameter.name, day)


def ages_on(birth_date: np.ndarray, day: np.datetime64) -> np.ndarray:
    """Completed years on ``day`` (as the monthly rules count age on the first of a month)."""
    birth = birth_date.astype("datetime64[D]")
    day = np.datetime64(day, "D")

    def month_and_day(values):
        months = values.astype("datetime64[M]")
        return (
            months.astype(np.int64) % 12,
            (values - months.astype("datetime64[D]")).astype(np.int64),
        )

    years = day.astype("datetime64[Y]").astype(np.int64) - birth.astype("datetime64[Y]").astype(
        np.int64
    )
    birth_month, birth_day = month_and_day(birth)
    month, day_of_month = month_and_day(day)
    before_birthday = (birth_month > month) | ((birth_month == month) & (birth_day > day_of_month))
    return years - before_birthday.astype(np.int64)


def simulation_build(columns: Household, year: int, *, trace: bool = False) -> Simulation:
    """One simulation over every person and household in ``columns``, inputs set for ``year``
    (income for the year before, as the rules read it). Refused with ``RulesNotInForce`` when
    the law for ``year`` is not (wholly) in force."""
    system = rule_system()
    law_in_force_check(year, system)
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", columns.person_ids)
    count = int(columns.household.max()) + 1 if len(columns.household) else 0
    households = builder.declare_entity("household", np.arange(count))
    roles = np.where(ages(columns.birth_date, year) >= ADULT_AGE, "adult", "child")
    builder.join_with_persons(households, columns.household, roles)
    simulation = builder.build(system)
    simulation.trace = trace
    simulation.set_input("birth_date", "ETERNITY", columns.birth_date)
    simulation.set_input("income", str(year - 1), columns.income.astype(np.float32))
    simulation.set_input("vehicles_owned", str(year), columns.vehicles.astype(np.int32))
    for variable, (period, values) in (columns.extra or {}).items():
        simulation.set_input(variable, str(year) if period == "year" else period, values)
    return simulation
