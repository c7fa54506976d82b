"""1. Child benefit (kinderbijslag), paid by the Social Insurance Bank; income-independent."""

import numpy as np
from openfisca_core.model_api import MONTH, YEAR, Variable, select, where

from openfisca_civic.entities import Household, Person

ACT = "Algemene Kinderbijslagwet (demo)"


class child_benefit_per_child_in_month(Variable):
    value_type = float
    entity = Person
    definition_period = MONTH
    label = "Child benefit for this child in the month, by age bracket (0–5, 6–11, 12–17)"
    reference = [f"{ACT}, art. 7 lid 1", f"{ACT}, art. 12 lid 1"]
    documentation = """
    A twelfth of the year's amount for the child's age on the first day of the month: a
    birthday moves the child to the next bracket, or past the age limit, from the month
    after it; a child counts from the month of its birth.
    """

    def formula(person, period, parameters):
        p = parameters(period).child_benefit
        age = person("age_in_month", period)
        return select(
            [age < 0, age < p.middle_bracket_age, age < p.top_bracket_age, age < p.age_limit],
            [0, p.amount_0_to_5 / 12, p.amount_6_to_11 / 12, p.amount_12_to_17 / 12],
            default=0,
        )


class child_benefit_per_child(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    label = "Child benefit for this child in the year: the sum of its months"
    reference = [f"{ACT}, art. 7 lid 1", f"{ACT}, art. 12 lid 1"]

    def formula(person, period, parameters):
        months = [
            person("child_benefit_per_child_in_month", month)
            for month in period.get_subperiods(MONTH)
        ]
        return np.round(np.sum(months, axis=0, dtype=np.float64), 2)


class child_benefit_child_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "Child benefit: a child under 18 on the first day of a month of the year"
    reference = f"{ACT}, art. 7 lid 1"
    documentation = "Paid to the child's parents, one grant per child and year."

    def formula(person, period, parameters):
        return person("child_benefit_per_child", period) > 0


class child_benefit_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "Child benefit: a child entitled in a month of the year lives in the household"
    reference = f"{ACT}, art. 7 lid 1"

    def formula(household, period, parameters):
        return household.sum(household.members("child_benefit_child_eligible", period)) > 0


class child_benefit_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Child benefit for the household in the year"
    reference = [f"{ACT}, art. 7 lid 1", f"{ACT}, art. 12 lid 1"]

    def formula(household, period, parameters):
        total = household.sum(household.members("child_benefit_per_child", period))
        return where(household("child_benefit_eligible", period), total, 0)
