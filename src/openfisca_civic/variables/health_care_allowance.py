"""3. Health care allowance (zorgtoeslag), per adult, paid by the Tax Administration."""

import numpy as np
from openfisca_core.model_api import MONTH, YEAR, Variable, max_, min_, where

from openfisca_civic.entities import Person

ACT = "Wet op de zorgtoeslag (demo)"


class health_care_allowance_months(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "Months of the year in which the person is of age on the first day"
    reference = f"{ACT}, art. 2 lid 1"
    documentation = "Someone who turns 18 in June is entitled from July: six months."

    def formula(person, period, parameters):
        months = [person("is_adult_in_month", month) for month in period.get_subperiods(MONTH)]
        return np.sum(months, axis=0)


class health_care_allowance_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "Health care allowance: an adult whose income is below the ceiling"
    reference = [f"{ACT}, art. 2 lid 1", f"{ACT}, art. 2 lid 3"]

    def formula(person, period, parameters):
        p = parameters(period).health_care_allowance
        income_below_ceiling = person("income", period.last_year) < p.income_ceiling
        return (person("health_care_allowance_months", period) > 0) & income_below_ceiling


class health_care_allowance_amount(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    label = "Health care allowance for the person in the year, for the months of age"
    reference = f"{ACT}, art. 2 lid 2"
    documentation = """
    The maximum amount up to the taper start; above it the amount falls linearly with income,
    to nothing at the ceiling; a twelfth of it for each month of the year the person is of age.
    """

    def formula(person, period, parameters):
        p = parameters(period).health_care_allowance
        income = person("income", period.last_year)
        kept = min_(max_((p.income_ceiling - income) / (p.income_ceiling - p.taper_start), 0), 1)
        share = person("health_care_allowance_months", period) / 12
        amount = p.maximum_amount * kept * share
        return where(person("health_care_allowance_eligible", period), amount, 0)
