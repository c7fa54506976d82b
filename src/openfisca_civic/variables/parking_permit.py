"""8. Residents' parking permits (an obligation: the annual fee), issued by the municipality."""

from openfisca_core.model_api import YEAR, Variable, min_, where

from openfisca_civic.entities import Household

ACT = "Verordening parkeerbelastingen Havenstad 2026"


class household_vehicles(Variable):
    value_type = int
    entity = Household
    definition_period = YEAR
    label = "Vehicles registered to the household's members"
    reference = f"{ACT}, art. 5 lid 1"

    def formula(household, period, parameters):
        return household.sum(household.members("vehicles_owned", period))


class parking_permit_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "Parking permit: a member of the household owns a vehicle"
    reference = f"{ACT}, art. 5 lid 1"

    def formula(household, period, parameters):
        return household("household_vehicles", period) > 0


class parking_permit_count(Variable):
    value_type = int
    entity = Household
    definition_period = YEAR
    label = "Parking permits the household can get: its vehicles, up to the maximum per household"
    reference = f"{ACT}, art. 5 lid 2"

    def formula(household, period, parameters):
        maximum = parameters(period).parking_permit.max_permits_per_household
        return min_(household("household_vehicles", period), maximum)


class parking_permit_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Annual fee for the household's parking permits"
    reference = f"{ACT}, art. 6 lid 1"
    documentation = "The first permit at the first-permit fee; every further permit costs more."

    def formula(household, period, parameters):
        p = parameters(period).parking_permit
        count = household("parking_permit_count", period)
        fee = p.first_permit_fee + (count - 1) * p.further_permit_fee
        return where(household("parking_permit_eligible", period), fee, 0)
