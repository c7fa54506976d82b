"""Builders for the rules' tests: households found in the generated registers, and
applications for the school clothing grant."""

from __future__ import annotations

import numpy as np
import yaml

from civic.core import clock
from civic.decisions.engine import ages
from civic.decisions.proactive import job_actor, proactive_setup
from civic.decisions.rule_sets import proactive_reads
from civic.exchange.selectors import address_ranges, population_read


def life_events_follow() -> None:
    """The proactive job follows the life events the demo's set-up names (the test
    jurisdiction is set up without that subscription; see tests/conftest.py)."""
    from civic.decisions.selectors import proactive_setup_get
    from civic.decisions.services import proactive_setup_set
    from civic.setup.services import DEMO_SETUP

    rules = yaml.safe_load(DEMO_SETUP.read_text())["rules"]["proactive"]
    proactive = proactive_setup_get()
    proactive_setup_set(
        agency=proactive["agency"], purpose=proactive["purpose"], life_events=rules["life_events"]
    )


def everyone_read(registers: tuple[str, ...] | None = None):
    """Every resident of the registers in one population read, as the proactive job reads a
    chunk (``registers``: the parts read, by default what the proactive rules need)."""
    first, last = address_ranges(10**9)[0]
    return population_read(
        actor=job_actor(),
        purpose=proactive_setup().purpose,
        first_address=first,
        last_address=last,
        registers=registers or proactive_reads(),
    )


def households_with_school_children() -> list[tuple[str, float, bool]]:
    """(an adult, household income last year, every adult's income known) for each household
    with a child aged 4 to 17."""
    population = everyone_read()
    age = ages(population.birth_date, clock.today().year)
    found = []
    for h in range(len(population.addresses)):
        members = np.flatnonzero(population.household == h)
        adults = members[age[members] >= 18]
        if not len(adults) or not ((age[members] >= 4) & (age[members] <= 17)).any():
            continue
        found.append(
            (
                str(population.personal_numbers[adults[0]]),
                float(population.income[members].sum()),
                bool(population.income_known[adults].all()),
            )
        )
    return found


def a_school_clothing_application(applicant: str):
    """Apply for the school clothing grant as ``applicant``; returns the case, once what runs
    after the submission commits (the rules deciding it) has run."""
    from django.test import TestCase

    from civic.cases.models import Case
    from civic.cases.services import application_submit
    from civic.forms.models import FormDefinition
    from civic.forms.services import draft_start, draft_step_save

    definition = FormDefinition.objects.get(code="school-clothing-grant")
    draft = draft_start(form=definition, applicant=applicant, subject=applicant)
    draft = draft_step_save(draft=draft, step="about_you", answers={}, confirm_prefill=True)
    draft = draft_step_save(draft=draft, step="school", answers={"children_at_school": "yes"})
    with TestCase.captureOnCommitCallbacks(execute=True):
        submission = application_submit(draft=draft)
    return Case.objects.get(submission=submission)
