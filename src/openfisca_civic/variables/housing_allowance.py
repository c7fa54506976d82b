"""2. Housing allowance (huurtoeslag), paid by the Tax Administration."""

from openfisca_core.model_api import YEAR, Variable, max_, min_, where

from openfisca_civic.entities import Household

ACT = "Wet op de huurtoeslag (demo)"


class housing_allowance_income_ceiling(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Housing allowance: the income ceiling for the household (one adult or more)"
    reference = f"{ACT}, art. 14 lid 1"

    def formula(household, period, parameters):
        p = parameters(period).housing_allowance
        single = household("adults_count", period) <= 1
        return where(single, p.income_ceiling_single, p.income_ceiling_multi)


class housing_allowance_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "Housing allowance: rent above the minimum rent and income below the ceiling"
    reference = [f"{ACT}, art. 13 lid 1", f"{ACT}, art. 14 lid 1"]

    def formula(household, period, parameters):
        p = parameters(period).housing_allowance
        rent_above_minimum = household("rent", period) > p.minimum_rent
        income_below_ceiling = household("household_income", period) < household(
            "housing_allowance_income_ceiling", period
        )
        return rent_above_minimum & income_below_ceiling


class housing_allowance_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Housing allowance for the household in the year"
    reference = [f"{ACT}, art. 16 lid 1", f"{ACT}, art. 17 lid 2"]
    documentation = """
    The share of the rent above the minimum (basic) rent, counting rent only up to the maximum
    rent; from the taper start it falls linearly with income, to nothing at the ceiling.
    """

    def formula(household, period, parameters):
        p = parameters(period).housing_allowance
        counted_rent = min_(household("rent", period), p.maximum_rent)
        full = p.share * max_(counted_rent - p.minimum_rent, 0)
        ceiling = household("housing_allowance_income_ceiling", period)
        income = household("household_income", period)
        kept = min_(max_((ceiling - income) / (ceiling - p.taper_start), 0), 1)
        return where(household("housing_allowance_eligible", period), full * kept, 0)
