"""10. Property tax (onroerendezaakbelasting), an obligation levied by the municipality."""

from openfisca_core.model_api import YEAR, Variable, where

from openfisca_civic.entities import Household

ACT = "Verordening onroerendezaakbelastingen Havenstad 2026"


class property_tax_due(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "Property tax is due: the home has an assessed value"
    reference = [f"{ACT}, art. 2 lid 1", "Wet waardering onroerende zaken (demo), art. 17 lid 1"]

    def formula(household, period, parameters):
        return household("property_value", period) > 0


class property_tax_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Property tax for the household in the year: the assessed value times the rate"
    reference = f"{ACT}, art. 5 lid 1"

    def formula(household, period, parameters):
        rate = parameters(period).property_tax.rate
        tax = household("property_value", period) * rate
        return where(household("property_tax_due", period), tax, 0)
