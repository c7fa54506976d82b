"""The demo jurisdiction's law as an OpenFisca country package (src/openfisca_civic).

Three things are checked: the package's own YAML tests pass under OpenFisca's test runner; every
formula and parameter cites its legal source; and the rules run vectorised over 10,000
households with totals that agree with an independent NumPy computation.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import yaml
from openfisca_core.parameters import Parameter
from openfisca_core.periods import ETERNITY, MONTH, YEAR
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.tools.test_runner import run_tests

import openfisca_civic
from openfisca_civic import CountryTaxBenefitSystem

#: The input contract with Civic: name → (entity, value type, period).
INPUTS = {
    "birth_date": ("person", dt.date, ETERNITY),
    "income": ("person", float, YEAR),
    "vehicles_owned": ("person", int, YEAR),
    "dogs_kept": ("person", int, YEAR),
    "assistance_dog": ("person", bool, YEAR),
    "property_value": ("household", float, YEAR),
    "rent": ("household", float, YEAR),
}

#: The ten rule sets: the variables Civic reads, with their entity.
RULE_SETS = {
    "child_benefit": ("household", ["child_benefit_eligible", "child_benefit_amount"]),
    "housing_allowance": ("household", ["housing_allowance_eligible", "housing_allowance_amount"]),
    "health_care_allowance": (
        "person",
        ["health_care_allowance_eligible", "health_care_allowance_amount"],
    ),
    "income_support": ("household", ["income_support_eligible", "income_support_amount"]),
    "aio_supplement": ("household", ["aio_supplement_eligible", "aio_supplement_amount"]),
    "school_clothing_grant": (
        "household",
        ["school_clothing_grant_eligible", "school_clothing_grant_amount"],
    ),
    "municipal_tax_remission": (
        "household",
        ["municipal_tax_remission_eligible", "municipal_tax_remission_amount"],
    ),
    "parking_permit": (
        "household",
        ["parking_permit_eligible", "parking_permit_count", "parking_permit_amount"],
    ),
    "dog_tax": ("household", ["dog_tax_due", "dog_tax_amount"]),
    "property_tax": ("household", ["property_tax_due", "property_tax_amount"]),
}

HOUSEHOLDS = 10_000


@pytest.fixture(scope="module")
def tbs():
    return CountryTaxBenefitSystem()


# (a) The YAML tests, with OpenFisca's own runner.


def test_yaml_tests_pass_under_openfiscas_runner(tbs, monkeypatch):
    """`openfisca test` in-process: run_tests starts a nested pytest session on the YAML files.
    The nested session must not load pytest-django a second time (the outer session already set
    up Django's test environment) nor write a cache."""
    files = sorted(openfisca_civic.TESTS_DIR.glob("*.yaml"))
    assert len(files) >= 10
    monkeypatch.setenv(
        "PYTEST_ADDOPTS",
        "-p no:django -p no:cacheprovider -q -W ignore::pytest.PytestConfigWarning",
    )
    exit_code = run_tests(tbs, [str(openfisca_civic.TESTS_DIR)], {})
    assert exit_code == 0, "a YAML test of openfisca_civic failed (the output above says which)"


def test_every_rule_set_has_a_yaml_file_with_three_cases():
    for rule_set in RULE_SETS:
        path = openfisca_civic.TESTS_DIR / f"{rule_set}.yaml"
        cases = yaml.safe_load(path.read_text())
        assert len(cases) >= 3, path
        periods = {str(case.get("period")) for case in cases}
        periods |= {
            str(year)
            for case in cases
            for value in case["output"].values()
            if isinstance(value, dict)
            for year in value
            if str(year).isdigit()
        }
        assert {"2025", "2026"} <= periods, f"{path} should test both parameter years"


# (b) Every formula and every parameter cites its legal source.


def test_the_input_contract(tbs):
    for name, (entity, value_type, period) in INPUTS.items():
        variable = tbs.get_variable(name)
        assert variable is not None, name
        assert variable.entity.key == entity, name
        assert variable.value_type is value_type, name
        assert variable.definition_period == period, name
    assert tbs.get_variable("birth_date").default_value == dt.date(1970, 1, 1)
    assert tbs.get_variable("rent").formulas, "rent falls back to the standard rent"
    assert [role.key for role in tbs.entities_by_singular()["household"].roles] == [
        "adult",
        "child",
    ]


def test_the_rule_set_names(tbs):
    for rule_set, (entity, names) in RULE_SETS.items():
        for name in names:
            variable = tbs.get_variable(name)
            assert variable is not None, f"{rule_set}: {name} is missing"
            assert variable.entity.key == entity, name
            assert variable.definition_period == YEAR, name
        assert tbs.get_variable(f"{rule_set}_amount").value_type is float


def test_every_formula_has_a_label_and_a_reference(tbs):
    computed = [v for v in tbs.variables.values() if v.formulas]
    assert len(computed) >= 30
    for variable in computed:
        assert variable.label, f"{variable.name} has no label"
        assert variable.reference, f"{variable.name} has no reference"
        assert all(ref.strip() for ref in variable.reference), variable.name
        # Yearly, except where the law is monthly (age-dependent rules, month by month).
        if variable.definition_period != YEAR:
            assert variable.definition_period == MONTH and "month" in variable.name, variable.name


def test_every_parameter_cites_its_source_and_has_values_for_2025_and_2026(tbs):
    parameters = [p for p in tbs.parameters.get_descendants() if isinstance(p, Parameter)]
    assert len(parameters) >= 30
    for parameter in parameters:
        assert parameter.description, parameter.name
        assert parameter.metadata.get("reference"), f"{parameter.name} has no reference"
        assert parameter.metadata.get("unit"), f"{parameter.name} has no unit"
        assert parameter("2024-01-01") is not None, parameter.name
        assert parameter("2025-01-01") is not None, parameter.name
        assert parameter("2026-01-01") is not None, parameter.name
    changed = [p for p in parameters if p("2025-01-01") != p("2026-01-01")]
    assert len(changed) >= 10, "dated parameters should matter between 2025 and 2026"


def test_every_parameter_file_is_one_documented_parameter():
    files = sorted(openfisca_civic.PARAMETERS_DIR.rglob("*.yaml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text())
        assert set(data) == {"description", "metadata", "values"}, path
        assert {"reference", "unit"} <= set(data["metadata"]), path


# (c) Vectorised: 10,000 households at once.


def _population(rng: np.random.Generator):
    """Households of 1–3 adults and 0–4 children, persons listed household by household."""
    adults = rng.choice([1, 2, 3], size=HOUSEHOLDS, p=[0.4, 0.55, 0.05])
    children = rng.choice([0, 1, 2, 3, 4], size=HOUSEHOLDS, p=[0.5, 0.2, 0.2, 0.07, 0.03])
    sizes = adults + children
    household_of = np.repeat(np.arange(HOUSEHOLDS), sizes)
    position = np.arange(len(household_of)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    is_adult = position < adults[household_of]
    persons = len(household_of)
    start = np.datetime64("2026-01-01")
    # Adults born 18–95 years before 2026, children 0–17 years before (in days).
    age_days = np.where(
        is_adult,
        rng.integers(18 * 366, 95 * 365, size=persons),
        rng.integers(0, 18 * 365, size=persons),
    )
    birth = start - age_days.astype("timedelta64[D]")
    income = np.where(
        is_adult, rng.lognormal(mean=10.0, sigma=0.8, size=persons), rng.choice([0, 2_000], persons)
    )
    income = np.where(rng.random(persons) < 0.1, 0, income)  # some without income
    return {
        "household_of": household_of,
        "is_adult": is_adult,
        "birth": birth,
        "income": income.astype(np.float32),
        "vehicles": np.where(is_adult, rng.choice([0, 0, 1, 1, 2], persons), 0),
        "dogs": np.where(is_adult, rng.choice([0, 0, 0, 1, 2], persons), 0),
        "assistance_dog": rng.random(persons) < 0.01,
        "property_value": np.where(
            rng.random(HOUSEHOLDS) < 0.5, rng.integers(100_000, 800_000, HOUSEHOLDS), 0
        ).astype(np.float32),
        "rent": rng.integers(0, 14_000, HOUSEHOLDS).astype(np.float32),
    }


def _simulation(tbs, data):
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    persons = len(data["household_of"])
    builder.declare_person_entity("person", [f"p{i}" for i in range(persons)])
    household_ids = np.array([f"h{i}" for i in range(HOUSEHOLDS)])
    households = builder.declare_entity("household", household_ids)
    roles = np.where(data["is_adult"], "adult", "child")
    # Each person's household is named by its id, as declared (not by its position).
    builder.join_with_persons(households, household_ids[data["household_of"]], roles)
    simulation = builder.build(tbs)
    simulation.set_input("birth_date", "ETERNITY", data["birth"])
    simulation.set_input("income", "2025", data["income"])
    simulation.set_input("vehicles_owned", "2026", data["vehicles"])
    simulation.set_input("dogs_kept", "2026", data["dogs"])
    simulation.set_input("assistance_dog", "2026", data["assistance_dog"])
    simulation.set_input("property_value", "2026", data["property_value"])
    simulation.set_input("rent", "2026", data["rent"])
    return simulation


def test_ten_thousand_households_at_once(tbs):
    data = _population(np.random.default_rng(2026))
    simulation = _simulation(tbs, data)
    p = tbs.parameters("2026-01-01")
    household_of = data["household_of"]

    amounts = sorted(name for name in tbs.variables if name.endswith("_amount"))
    assert amounts == sorted(f"{rule_set}_amount" for rule_set in RULE_SETS)
    results = {name: simulation.calculate(name, "2026") for name in amounts}
    for rule_set, (entity, (flag, *_)) in RULE_SETS.items():
        values = results[f"{rule_set}_amount"]
        assert len(values) == (len(household_of) if entity == "person" else HOUSEHOLDS)
        assert np.isfinite(values).all(), rule_set
        assert (values >= 0).all(), rule_set
        applies = simulation.calculate(flag, "2026")
        assert (values[~applies] == 0).all(), f"{rule_set}: an amount where {flag} is false"
        assert applies.any() and (~applies).any(), f"{flag} should vary over 10,000 households"

    # Child benefit, independently: month by month, the brackets as birth-date cut-offs on
    # the first of each month of 2026 (a child born in the month counts in it).
    birth = data["birth"]
    cb = p.child_benefit
    per_child = np.zeros(len(birth))
    for month in range(12):
        first = np.datetime64("2026-01-01", "M") + month
        day = first.astype("datetime64[D]")
        end = (first + 1).astype("datetime64[D]") - 1

        def before(years, day=day):
            """Born after this day ``years`` years ago: not yet that age on ``day``."""
            return birth > (day.astype("datetime64[M]") - 12 * years).astype("datetime64[D]")

        per_child += np.select(
            [birth > end, before(6), before(12), before(18)],
            [0, cb.amount_0_to_5 / 12, cb.amount_6_to_11 / 12, cb.amount_12_to_17 / 12],
            0,
        )
    expected = np.bincount(household_of, weights=per_child, minlength=HOUSEHOLDS)
    np.testing.assert_allclose(results["child_benefit_amount"], expected, atol=0.02)
    assert results["child_benefit_amount"].sum() == pytest.approx(per_child.sum())

    # Dog tax: first dog plus further dogs, nothing with an assistance dog.
    dogs = np.bincount(household_of, weights=data["dogs"], minlength=HOUSEHOLDS)
    exempt = np.bincount(household_of, weights=data["assistance_dog"], minlength=HOUSEHOLDS) > 0
    dog_tax = np.where(
        (dogs > 0) & ~exempt,
        p.dog_tax.first_dog_rate + np.maximum(dogs - 1, 0) * p.dog_tax.further_dog_rate,
        0,
    )
    np.testing.assert_allclose(results["dog_tax_amount"], dog_tax)

    # Parking permits: at most the maximum per household; the first one cheaper.
    vehicles = np.bincount(household_of, weights=data["vehicles"], minlength=HOUSEHOLDS)
    permits = np.minimum(vehicles, p.parking_permit.max_permits_per_household)
    fee = np.where(
        permits > 0,
        p.parking_permit.first_permit_fee + (permits - 1) * p.parking_permit.further_permit_fee,
        0,
    )
    np.testing.assert_allclose(results["parking_permit_amount"], fee)

    # Property tax: value times rate.
    np.testing.assert_allclose(
        results["property_tax_amount"], data["property_value"] * p.property_tax.rate, rtol=1e-6
    )

    # Remission is exactly the two taxes where granted.
    remission = results["municipal_tax_remission_amount"]
    granted = remission > 0
    np.testing.assert_allclose(
        remission[granted],
        (results["dog_tax_amount"] + results["property_tax_amount"])[granted],
        rtol=1e-6,
    )

    # Income support fills the gap to the norm for the months below pension age: income plus
    # support is the norm in a year without a 67th birthday in it.
    income = np.bincount(household_of, weights=data["income"], minlength=HOUSEHOLDS)
    support = results["income_support_amount"]
    norm = simulation.calculate("social_minimum_norm", "2026")
    share = (12 - simulation.calculate("months_at_pension_age", "2026")) / 12
    paid = support > 0
    assert paid.any() and (share[paid] < 1).any()
    np.testing.assert_allclose(
        (np.maximum(income, 0) * share + support)[paid], (norm * share)[paid], rtol=1e-5
    )

    # The amounts never exceed their caps.
    assert results["health_care_allowance_amount"].max() <= p.health_care_allowance.maximum_amount
    ha = p.housing_allowance
    most = ha.share * (ha.maximum_rent - ha.minimum_rent)
    assert results["housing_allowance_amount"].max() <= most
