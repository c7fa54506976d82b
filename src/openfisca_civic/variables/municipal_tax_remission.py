"""7. Remission of municipal taxes (kwijtschelding) for households at the social minimum."""

from openfisca_core.model_api import YEAR, Variable, round_, where

from openfisca_civic.entities import Household

ACT = "Verordening kwijtschelding gemeentelijke belastingen Havenstad 2026"


class municipal_tax_remission_income_limit(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Remission of municipal taxes: the income limit (a percentage of the social minimum)"
    reference = [f"{ACT}, art. 2 lid 1", "Invorderingswet 1990 (demo), art. 26 lid 1"]
    documentation = "Rounded to whole euros."

    def formula(household, period, parameters):
        percentage = parameters(period).municipal_tax_remission.income_limit_percentage
        return round_(household("household_social_minimum", period) * percentage)


class municipal_tax_remission_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "Remission of municipal taxes: dog or property tax due and income below the limit"
    reference = [f"{ACT}, art. 2 lid 1", f"{ACT}, art. 3"]

    def formula(household, period, parameters):
        tax_due = household("dog_tax_due", period) | household("property_tax_due", period)
        below_limit = household("household_income", period) < household(
            "municipal_tax_remission_income_limit", period
        )
        return tax_due & below_limit


class municipal_tax_remission_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Remission of municipal taxes in the year: the dog tax and property tax due"
    reference = f"{ACT}, art. 3"

    def formula(household, period, parameters):
        taxes = household("dog_tax_amount", period) + household("property_tax_amount", period)
        return where(household("municipal_tax_remission_eligible", period), taxes, 0)
