"""Dated law: every value of a parameter has its own dates and its own reference (with a link
to the article for national law), and a computation for a year no law is in force for is
refused, never carried over from the last year written."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from civic.core import clock
from civic.decisions.engine import (
    Household,
    RulesNotInForce,
    rule_system,
    simulation_build,
    value_in_force,
)
from civic.decisions.explanation import household_explain
from civic.decisions.rule_sets import rule_sets

OPEN_ENDED = {
    "general.adult_age",
    "general.state_pension_age",
    "child_benefit.age_limit",
    "child_benefit.middle_bracket_age",
    "child_benefit.top_bracket_age",
}


def _parameters():
    return [p for p in rule_system().parameters.get_descendants() if hasattr(p, "values_list")]


def _family() -> Household:
    return Household(
        person_ids=np.array(["100000001", "100000002", "100000003"]),
        household=np.zeros(3, dtype=np.int64),
        birth_date=np.array(["1985-05-01", "1987-02-01", "2015-03-01"], dtype="datetime64[D]"),
        income=np.array([18_000.0, 0.0, 0.0]),
        vehicles=np.zeros(3, dtype=np.int64),
    )


@pytest.mark.parametrize("year", [2027, 2023])
def test_a_year_with_no_law_in_force_is_refused_naming_the_rule_and_the_day(year):
    with pytest.raises(RulesNotInForce) as refused:
        simulation_build(_family(), year)
    message = str(refused.value)
    assert f"{year}-01-01" in message and refused.value.parameter in message
    assert "No law is in force" in message


def test_the_years_written_compute():
    simulation = simulation_build(_family(), 2026)
    assert simulation.calculate("child_benefit_amount", "2026")[0] == 1336  # aged 10 on 1 January


def test_every_amount_ends_after_the_last_year_written_and_cites_its_own_year():
    for parameter in _parameters():
        name = parameter.name
        if name in OPEN_ENDED:
            assert value_in_force(parameter, "2040-01-01") is not None, name
            continue
        assert value_in_force(parameter, "2027-01-01") is None, name
        for year in (2024, 2025, 2026):
            at = value_in_force(parameter, f"{year}-06-30")
            assert at is not None and at.instant_str == f"{year}-01-01", (name, year)
            reference = at.metadata["reference"]
            if "Havenstad" in reference:
                # A municipal ordinance: that year's, with a local identifier.
                assert f"Havenstad {year}" in reference, (name, year, reference)
                assert at.metadata["identifier"].startswith("civic:havenstad:"), name
            else:
                # National law: a Juriconnect identifier pinned to the day, and its link.
                assert at.metadata["identifier"].startswith("jci1.3:c:BWBR"), name
                assert f"g={year}-01-01" in at.metadata["identifier"]
                assert (
                    at.metadata["href"]
                    == "https://wetten.overheid.nl/" + (at.metadata["identifier"])
                )


def test_an_explanation_cites_the_law_of_the_year_computed():
    school = rule_sets()["school_clothing_grant"]
    for year in (2025, 2026):
        explanation = household_explain(_family(), school, year, applicant_index=0).explanation
        cited = {r for p in explanation["parameters"] for r in p["references"]}
        assert any(f"Havenstad {year}" in r for r in cited), (year, cited)
        assert not any(f"Havenstad {2051 - year}" in r for r in cited)
        norms = [p for p in explanation["parameters"] if p["name"].startswith("social_minimum")]
        assert norms and all(
            link["href"].startswith("https://wetten.overheid.nl/jci1.3:c:BWBR0015703")
            and f"g={year}-01-01" in link["href"]
            for p in norms
            for link in p["links"]
        )


@pytest.mark.django_db
def test_a_proactive_run_in_a_year_without_law_is_refused_before_reading_anyone(
    jurisdiction, monkeypatch
):
    from civic.decisions.models import ProactiveRun
    from civic.exchange.models import AccessLogEntry

    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 1, 4))
    logged = AccessLogEntry.objects.count()
    runs = ProactiveRun.objects.count()
    with pytest.raises(CommandError, match="No law is in force on 2027-01-01"):
        call_command("proactive", "run", "--fresh")
    assert AccessLogEntry.objects.count() == logged
    assert ProactiveRun.objects.count() == runs


@pytest.mark.django_db
def test_an_application_in_a_year_without_law_goes_to_a_caseworker_told_why(
    jurisdiction, monkeypatch
):
    from civic.cases.models import Decision, Task
    from civic.decisions.models import RuleOutcome
    from tests.decisions.builders import (
        a_school_clothing_application,
        households_with_school_children,
    )

    applicant = households_with_school_children()[0][0]
    monkeypatch.setattr(clock, "today", lambda: dt.date(2027, 1, 4))
    case = a_school_clothing_application(applicant)
    assert not Decision.objects.filter(case=case).exists()
    task = Task.objects.get(case=case)
    assert "No law is in force on 2027-01-01" in task.title
    assert RuleOutcome.objects.get(case_reference=case.reference).route == "caseworker"


@pytest.mark.django_db
def test_a_page_meeting_a_year_without_law_says_so_and_is_no_server_error(rf):
    """Any page that computes (a calculator, a what-if) and meets a year without law answers
    with the 400 page naming the refusal, in the reader's language."""
    from django.core.handlers.exception import response_for_exception
    from django.utils import translation

    request = rf.get("/")
    with translation.override("nl"):
        response = response_for_exception(request, _refusal())
    assert response.status_code == 400
    assert "Op 2027-01-01 geldt geen wet" in response.content.decode()


def _refusal() -> RulesNotInForce:
    try:
        simulation_build(_family(), 2027)
    except RulesNotInForce as refused:
        return refused
    raise AssertionError("2027 should be refused")


def test_an_explanation_of_monthly_law_shows_the_year_not_twelve_months():
    income_support = rule_sets()["income_support"]
    explanation = household_explain(_family(), income_support, 2026, applicant_index=0).explanation
    periods = {rule["period"] for rule in explanation["rules"]}
    assert periods <= {"2025", "2026"}, periods
    assert "months_at_pension_age" in {rule["variable"] for rule in explanation["rules"]}
    assert "general.state_pension_age" in {p["name"] for p in explanation["parameters"]}


def _residents(births: list[str], incomes: list[float]):
    from civic.exchange.population import Population

    count = len(births)
    numbers = np.array([f"1000000{i:02d}" for i in range(count)], dtype="U9")
    return Population(
        personal_numbers=numbers,
        household=np.arange(count, dtype=np.int64),
        addresses=[f"09990100000000{i:02d}" for i in range(count)],
        birth_date=np.array(births, dtype="datetime64[D]"),
        income=np.array(incomes),
        income_known=np.ones(count, dtype=bool),
        vehicles=np.zeros(count, dtype=np.int64),
        parents=np.full((count, 2), "", dtype="U9"),
        partner=np.full(count, "", dtype="U9"),
    )


def test_the_run_picks_up_a_birthday_during_the_year_from_the_next_month():
    """Turning 67 in July: income support for January to July and the AIO supplement from
    August; turning 18 in July: health care allowance from August. Someone turning either
    next year gets neither for this year."""
    from civic.decisions.eligibility import offers_compute

    population = _residents(
        ["1959-07-15", "1960-03-01", "2008-07-15", "2009-03-01"],
        [10_000.0, 10_000.0, 0.0, 0.0],
    )
    rows, _seconds = offers_compute(population, 2026)
    offers = {(r.personal_number, r.rule_set): r.amount for r in rows}
    turning_67, under_67, turning_18, under_18 = population.personal_numbers
    assert offers[(turning_67, "aio_supplement")] == 4000  # 5 × (19,600 − 10,000) / 12
    assert offers[(turning_67, "income_support")] == 4783  # 7 × (18,200 − 10,000) / 12
    assert (under_67, "aio_supplement") not in offers
    assert offers[(turning_18, "health_care_allowance")] == 625  # 5 × 1,500 / 12
    assert (under_18, "health_care_allowance") not in offers
