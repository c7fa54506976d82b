"""9. Dog tax (hondenbelasting), an obligation levied by the municipality."""

from openfisca_core.model_api import YEAR, Variable, max_, where

from openfisca_civic.entities import Household

ACT = "Verordening hondenbelasting Havenstad 2026"


class household_dogs(Variable):
    value_type = int
    entity = Household
    definition_period = YEAR
    label = "Dogs kept by the household's members"
    reference = f"{ACT}, art. 2 lid 1"

    def formula(household, period, parameters):
        return household.sum(household.members("dogs_kept", period))


class dog_tax_exempt(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "Dog tax exemption: a member keeps a guide or assistance dog"
    reference = f"{ACT}, art. 6 lid 1"

    def formula(household, period, parameters):
        return household.any(household.members("assistance_dog", period))


class dog_tax_due(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "Dog tax is due: the household keeps a dog and is not exempt"
    reference = [f"{ACT}, art. 2 lid 1", f"{ACT}, art. 6 lid 1"]

    def formula(household, period, parameters):
        keeps_dog = household("household_dogs", period) > 0
        return keeps_dog & ~household("dog_tax_exempt", period)


class dog_tax_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Dog tax for the household in the year"
    reference = f"{ACT}, art. 4 lid 1"
    documentation = "The rate for the first dog plus the rate for each further dog."

    def formula(household, period, parameters):
        p = parameters(period).dog_tax
        further_dogs = max_(household("household_dogs", period) - 1, 0)
        tax = p.first_dog_rate + further_dogs * p.further_dog_rate
        return where(household("dog_tax_due", period), tax, 0)
