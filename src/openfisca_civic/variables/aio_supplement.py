"""5. AIO supplement (aanvullende inkomensvoorziening ouderen), paid by the Social Insurance Bank."""

from openfisca_core.model_api import YEAR, Variable, max_, where

from openfisca_civic.entities import Household

ACT = "Participatiewet (demo)"


class aio_supplement_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "AIO supplement: someone at pension age, income below the pensioners' minimum"
    reference = [f"{ACT}, art. 47a lid 1", f"{ACT}, art. 22"]

    def formula(household, period, parameters):
        has_pensioner = household("months_at_pension_age", period) > 0
        below_norm = household("household_income", period) < household(
            "pensioner_social_minimum_norm", period
        )
        return has_pensioner & below_norm


class aio_supplement_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "AIO supplement for the household in the year: the norm minus the income"
    reference = [f"{ACT}, art. 47b lid 1", f"{ACT}, art. 22"]
    documentation = """
    A negative income (a business loss) counts as nothing. From the month after a member
    reaches state pension age: a twelfth of the year's gap for each month.
    """

    def formula(household, period, parameters):
        norm = household("pensioner_social_minimum_norm", period)
        gap = norm - max_(household("household_income", period), 0)
        share = household("months_at_pension_age", period) / 12
        return where(household("aio_supplement_eligible", period), gap * share, 0)
