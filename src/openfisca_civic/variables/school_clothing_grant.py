"""6. School clothing grant (kindpakket), a municipal scheme for children aged 4 to 17."""

from openfisca_core.model_api import YEAR, Variable, round_, where

from openfisca_civic.entities import Household

ACT = "Verordening kindregeling Havenstad 2026"


class school_clothing_grant_children(Variable):
    value_type = int
    entity = Household
    definition_period = YEAR
    label = "School clothing grant: children aged 4 to 17 in the household"
    reference = f"{ACT}, art. 3 lid 1"

    def formula(household, period, parameters):
        p = parameters(period).school_clothing_grant
        age = household.members("age", period)
        return household.sum((age >= p.minimum_age) & (age <= p.maximum_age))


class school_clothing_grant_income_limit(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "School clothing grant: the income limit (a percentage of the social minimum)"
    reference = f"{ACT}, art. 4 lid 1"
    documentation = "Rounded to whole euros."

    def formula(household, period, parameters):
        percentage = parameters(period).school_clothing_grant.income_limit_percentage
        return round_(household("household_social_minimum", period) * percentage)


class school_clothing_grant_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "School clothing grant: a child aged 4 to 17 and income below the limit"
    reference = [f"{ACT}, art. 3 lid 1", f"{ACT}, art. 4 lid 1"]

    def formula(household, period, parameters):
        has_child = household("school_clothing_grant_children", period) > 0
        below_limit = household("household_income", period) < household(
            "school_clothing_grant_income_limit", period
        )
        return has_child & below_limit


class school_clothing_grant_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "School clothing grant for the household in the year: a fixed amount per child"
    reference = f"{ACT}, art. 5 lid 1"

    def formula(household, period, parameters):
        per_child = parameters(period).school_clothing_grant.amount_per_child
        total = household("school_clothing_grant_children", period) * per_child
        return where(household("school_clothing_grant_eligible", period), total, 0)
