"""4. Income support (bijstand), granted by the municipality."""

from openfisca_core.model_api import YEAR, Variable, max_, where

from openfisca_civic.entities import Household

ACT = "Participatiewet (demo)"


class income_support_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "Income support: adults under pension age with income below the social minimum"
    reference = [f"{ACT}, art. 11 lid 1", f"{ACT}, art. 21"]
    documentation = """
    At least one adult, nobody at state pension age (they go to the AIO supplement), and the
    household income below the norm for one adult or for two or more adults.
    """

    def formula(household, period, parameters):
        has_adult = household("adults_count", period) > 0
        no_pensioner = household("pensioners_count", period) == 0
        below_norm = household("household_income", period) < household(
            "social_minimum_norm", period
        )
        return has_adult & no_pensioner & below_norm


class income_support_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Income support for the household in the year: the norm minus the income"
    reference = [f"{ACT}, art. 19 lid 1", f"{ACT}, art. 21"]
    documentation = "A negative income (a business loss) counts as nothing."

    def formula(household, period, parameters):
        income = max_(household("household_income", period), 0)
        gap = household("social_minimum_norm", period) - income
        return where(household("income_support_eligible", period), gap, 0)
