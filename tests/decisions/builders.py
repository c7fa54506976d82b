"""Builders for the rules' tests: households found in the generated registers, and
applications for the school clothing grant."""

from __future__ import annotations

import numpy as np

from civic.core import clock
from civic.decisions.engine import ages
from civic.decisions.proactive import PURPOSE, job_actor
from civic.exchange.selectors import address_ranges, population_read


def households_with_school_children() -> list[tuple[str, float, bool]]:
    """(an adult, household income last year, every adult's income known) for each household
    with a child aged 4 to 17."""
    first, last = address_ranges(10**9)[0]
    population = population_read(
        actor=job_actor(), purpose=PURPOSE, first_address=first, last_address=last
    )
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
    """Apply for the school clothing grant as ``applicant``; returns the case."""
    from civic.cases.models import Case
    from civic.forms.models import FormDefinition
    from civic.forms.services import draft_start, draft_step_save, draft_submit

    definition = FormDefinition.objects.get(code="school-clothing-grant")
    draft = draft_start(form=definition, applicant=applicant, subject=applicant)
    draft = draft_step_save(draft=draft, step="about_you", answers={}, confirm_prefill=True)
    draft = draft_step_save(draft=draft, step="school", answers={"children_at_school": "yes"})
    return Case.objects.get(submission=draft_submit(draft=draft))
