"""The public calculator at /calculator/: an anonymous household gets what the engine computes
for the same data directly, nothing is written, bad answers get the error summary, and a
logged-in resident's prefill reads through the exchange, logged."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.apps import apps
from django.test import override_settings
from django.utils.html import escape

from civic.core import clock
from civic.decisions.calculator import Entered, household_columns
from civic.decisions.engine import simulation_build
from civic.decisions.rule_sets import rule_sets
from civic.exchange.models import AccessLogEntry
from civic.exchange.pseudonyms import person_pseudonym
from civic.identity import services as identity

pytestmark = pytest.mark.django_db

YEAR = clock.today().year


def _answers(**changes) -> dict:
    answers = {
        "year": str(YEAR),
        "age": "35",
        "partner": "yes",
        "partner_age": "33",
        "children": "2",
        "child_age_0": "3",
        "child_age_1": "8",
        "income": "18000",
        "partner_income": "-2000",
        "rent": "800",
        "property_value": "0",
        "dogs": "1",
        "assistance_dog": "no",
        "vehicles": "1",
    }
    answers.update(changes)
    return answers


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def _euros(amount: float) -> str:
    return f"€{round(amount):,}"


def test_an_anonymous_household_gets_the_engines_amounts_and_nothing_is_written(client):
    entered = Entered(
        year=YEAR,
        age=35,
        partner_age=33,
        children=(3, 8),
        income=18000,
        partner_income=-2000,
        rent_per_month=800,
        dogs=1,
        vehicles=1,
    )
    simulation = simulation_build(household_columns(entered), YEAR)
    expected = {}
    for key, rule_set in rule_sets().items():
        values = np.asarray(simulation.calculate(rule_set.amount_variable, str(YEAR)))
        expected[key] = round(float(values.sum()))
    # The engine's own figures for this household (a loss counts as 0: 18,000 below 26,000).
    assert expected["income_support"] == 8000
    assert expected["child_benefit"] > 0 and expected["dog_tax"] > 0

    before = _counts()
    page = client.post("/calculator/results/", _answers())
    assert page.status_code == 200
    text = page.content.decode()
    assert _counts() == before  # nothing stored, not even a session
    for key, rule_set in rule_sets().items():
        card = text.split(f">{escape(rule_set.label())}<", 1)[1].split(
            "govuk-summary-card__title", 1
        )[0]
        if expected[key]:
            assert _euros(expected[key]) in card, key
        else:
            assert "Probably not entitled" in card or "Nothing to pay" in card, key
    total = sum(v for k, v in expected.items() if rule_sets()[k].kind == "entitlement")
    assert f"{_euros(total)} a year" in text
    # The same explanations as the decisions: what would change it, with the law.
    assert "What would change it:" in text
    assert "If your household&#x27;s income had been" in text or "household's income" in text
    assert "Participatiewet" in text
    # The marginal picture with its table alternative.
    assert "<svg" in text and "<polyline" in text
    assert "Support a year by household income" in text
    assert "style=" not in text.split("<main", 1)[1]
    # Answers are posted, never in a URL; no answer in the page's links.
    assert "18000" not in " ".join(re.findall(r'href="([^"]*)"', text))


def test_the_results_in_dutch(client):
    client.cookies["django_language"] = "nl"
    page = client.post("/calculator/results/", _answers(), HTTP_ACCEPT_LANGUAGE="nl")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Kinderbijslag" in text and "per jaar" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"age": ""}, "Enter your age"),
        ({"age": "12"}, "You must be 18 or older"),
        ({"age": "forty"}, "Enter your age as a whole number"),
        ({"partner_age": ""}, "Enter your partner&#x27;s age"),
        ({"partner": ""}, "Select yes if you have a partner who lives with you"),
    ],
)
def test_bad_household_answers_get_the_error_summary(client, changes, message):
    before = _counts()
    page = client.post("/calculator/results/", _answers(**changes))
    text = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in text and message in text
    assert "govuk-error-message" in text and "Step 1 of 2" in text
    assert _counts() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"income": "twenty"}, "Enter your income in whole euros"),
        ({"income": "24000.50"}, "Enter your income in whole euros"),
        ({"child_age_1": "19"}, "Enter an age between 0 and 17 for child 2"),
        ({"rent": "-5"}, "Enter a rent between 0 and 100,000 euros a month"),
        ({"dogs": ""}, "Enter how many dogs you keep"),
    ],
)
def test_bad_money_answers_get_the_error_summary_and_keep_the_rest(client, changes, message):
    page = client.post("/calculator/results/", _answers(**changes))
    text = page.content.decode()
    assert "There is a problem" in text and message in text and "Step 2 of 2" in text
    # The first step's answers are kept in the form.
    assert 'name="age" value="35"' in text


def test_thousands_separators_and_a_loss_are_understood(client):
    text = client.post(
        "/calculator/results/", _answers(income="€ 18.000", partner_income="-2,000")
    ).content.decode()
    assert "There is a problem" not in text
    assert "€8,000" in text  # income support: 26,000 - 18,000, the loss counted as 0


def test_the_steps_carry_the_answers_without_storing_them(client):
    step_one = client.get("/calculator/household/")
    assert step_one.status_code == 200 and "Your household" in step_one.content.decode()
    step_two = client.post("/calculator/details/", _answers()).content.decode()
    assert "Step 2 of 2" in step_two and 'name="partner_age" value="33"' in step_two
    assert "How old is child 2 on 1 January?" in step_two
    assert client.get("/calculator/results/").status_code == 405


def test_a_refused_computation_is_said_politely(client):
    with override_settings(RULES_PACKAGE="no_such_rules_package"):
        page = client.post("/calculator/results/", _answers())
    text = page.content.decode()
    assert page.status_code == 200
    assert "The calculator cannot compute this" in text and "no_such_rules_package" in text


def test_next_year_is_computed_or_refused_politely(client):
    page = client.post("/calculator/results/", _answers(year=str(YEAR + 1)))
    text = page.content.decode()
    assert page.status_code == 200
    assert "What you may be entitled to in" in text
    assert "The calculator cannot compute this" in text or "a year" in text


def test_the_start_page_is_linked_from_home(client):
    assert 'href="/calculator/"' in client.get("/").content.decode()
    start = client.get("/calculator/").content.decode()
    assert "What may I be entitled to?" in start and "Fill in from my data" not in start


def test_a_residents_prefill_reads_through_the_exchange_and_is_logged(client, jurisdiction):
    from tests.decisions.builders import households_with_school_children

    number = next(a for a, _income, known in households_with_school_children() if known)
    client.force_login(identity.resident_account_ensure(personal_number=number))
    assert "Fill in from my data" in client.get("/calculator/").content.decode()
    before = AccessLogEntry.objects.filter(purpose="calculate-entitlements").count()
    page = client.post("/calculator/my-data/")
    text = page.content.decode()
    assert page.status_code == 200 and "We filled this in from the registers" in text
    children = re.search(r'name="children"[^>]*value="(\d+)"', text)
    assert children and int(children[1]) >= 1  # a household with a school child
    logged = AccessLogEntry.objects.filter(purpose="calculate-entitlements")
    assert logged.count() > before
    mine = logged.filter(subject=person_pseudonym(number))
    assert mine.exists()
    # The resident sees the read in their data tracker.
    tracker = client.get("/my/data-use/").content.decode()
    assert "Fill in the entitlements calculator from your data" in tracker


def test_the_prefill_needs_a_logged_in_resident(client):
    response = client.post("/calculator/my-data/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_without_the_grants_the_prefill_reads_nothing_and_says_so(client, jurisdiction):
    from civic.exchange.models import Grant
    from tests.decisions.builders import households_with_school_children

    number = next(a for a, _income, _known in households_with_school_children())
    Grant.objects.filter(purpose__code="calculate-entitlements").delete()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    page = client.post("/calculator/my-data/")
    text = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in text
    assert "Fill in from my data" in text  # still on the start page, the form still there
    assert not AccessLogEntry.objects.filter(purpose="calculate-entitlements").exists()
