"""3. Health care allowance (zorgtoeslag), per adult, paid by the Tax Administration."""

from openfisca_core.model_api import YEAR, Variable, max_, min_, where

from openfisca_civic.entities import Person

ACT = "Wet op de zorgtoeslag (demo)"


class health_care_allowance_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "Health care allowance: an adult whose income is below the ceiling"
    reference = [f"{ACT}, art. 2 lid 1", f"{ACT}, art. 2 lid 3"]

    def formula(person, period, parameters):
        p = parameters(period).health_care_allowance
        income_below_ceiling = person("income", period.last_year) < p.income_ceiling
        return person("is_adult", period) & income_below_ceiling


class health_care_allowance_amount(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    label = "Health care allowance for the person in the year"
    reference = f"{ACT}, art. 2 lid 2"
    documentation = """
    The maximum amount up to the taper start; above it the amount falls linearly with income,
    to nothing at the ceiling.
    """

    def formula(person, period, parameters):
        p = parameters(period).health_care_allowance
        income = person("income", period.last_year)
        kept = min_(max_((p.income_ceiling - income) / (p.income_ceiling - p.taper_start), 0), 1)
        return where(person("health_care_allowance_eligible", period), p.maximum_amount * kept, 0)
