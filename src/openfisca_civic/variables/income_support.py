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
    At least one adult, a month of the year in which nobody has reached state pension age
    (from the month after the birthday the AIO supplement takes over), and the household
    income below the norm for one adult or for two or more adults.
    """

    def formula(household, period, parameters):
        has_adult = household("adults_count", period) > 0
        no_pensioner = household("months_at_pension_age", period) < 12
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
    documentation = """
    A negative income (a business loss) counts as nothing. For the months before a member
    reaches state pension age only: a twelfth of the year's gap for each.
    """

    def formula(household, period, parameters):
        income = max_(household("household_income", period), 0)
        gap = household("social_minimum_norm", period) - income
        share = (12 - household("months_at_pension_age", period)) / 12
        return where(household("income_support_eligible", period), gap * share, 0)
