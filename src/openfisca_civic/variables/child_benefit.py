"""1. Child benefit (kinderbijslag), paid by the Social Insurance Bank; income-independent."""

from openfisca_core.model_api import YEAR, Variable, select, where

from openfisca_civic.entities import Household, Person

ACT = "Algemene Kinderbijslagwet (demo)"


class child_benefit_per_child(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    label = "Child benefit for this child in the year, by age bracket (0–5, 6–11, 12–17)"
    reference = [f"{ACT}, art. 7 lid 1", f"{ACT}, art. 12 lid 1"]

    def formula(person, period, parameters):
        p = parameters(period).child_benefit
        age = person("age", period)
        return select(
            [age < 0, age < p.middle_bracket_age, age < p.top_bracket_age, age < p.age_limit],
            [0, p.amount_0_to_5, p.amount_6_to_11, p.amount_12_to_17],
            default=0,
        )


class child_benefit_child_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "Child benefit: a child born by the end of the year and under 18 on 1 January"
    reference = f"{ACT}, art. 7 lid 1"
    documentation = "Paid to the child's parents, one grant per child and year."

    def formula(person, period, parameters):
        age = person("age", period)
        return (age >= 0) & (age < parameters(period).child_benefit.age_limit)


class child_benefit_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = YEAR
    label = "Child benefit: a child under 18 lives in the household"
    reference = f"{ACT}, art. 7 lid 1"

    def formula(household, period, parameters):
        return household("children_under_18", period) > 0


class child_benefit_amount(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Child benefit for the household in the year"
    reference = [f"{ACT}, art. 7 lid 1", f"{ACT}, art. 12 lid 1"]

    def formula(household, period, parameters):
        total = household.sum(household.members("child_benefit_per_child", period))
        return where(household("child_benefit_eligible", period), total, 0)
