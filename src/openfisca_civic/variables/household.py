"""Who is in the household: ages, adults and children, the household's income and its norm."""

import numpy as np
from openfisca_core.model_api import MONTH, YEAR, Variable, where

from openfisca_civic.entities import Household, Person


class age(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "Age in completed years on 1 January of the year"
    reference = "Wet basisregistratie personen (demo), art. 2.7 lid 1 onder a"
    documentation = """
    Completed years at the start of the period, from the date of birth. A person born during
    the year counts as 0; a person not yet born by the end of the period as -1 (``is_born``
    is false), so that no rule counts them as a child.
    """

    def formula(person, period, parameters):
        birth = person("birth_date", period).astype("datetime64[D]")
        years = _completed_years(birth, period.start.date)
        born = person("is_born", period)
        return np.where(born, np.maximum(years, 0), -1)


def _completed_years(birth, day) -> np.ndarray:
    """Completed years on ``day`` (a date) for birth dates ``birth`` (datetime64[D])."""
    birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
    birth_month = birth.astype("datetime64[M]").astype(int) % 12 + 1
    birth_day = (birth - birth.astype("datetime64[M]")).astype(int) + 1
    before_birthday = (birth_month > day.month) | (
        (birth_month == day.month) & (birth_day > day.day)
    )
    return day.year - birth_year - before_birthday.astype(int)


class age_in_month(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "Age in completed years on the first day of the month"
    reference = "Wet basisregistratie personen (demo), art. 2.7 lid 1 onder a"
    documentation = """
    What monthly law reads: a birthday changes the outcome from the month after it (or from
    its own month when it falls on the 1st). A child born during the month counts as 0 in it;
    one not yet born by the end of the month as -1.
    """

    def formula(person, period, parameters):
        birth = person("birth_date", period).astype("datetime64[D]")
        years = _completed_years(birth, period.start.date)
        born = birth <= np.datetime64(period.stop.date, "D")
        return np.where(born, np.maximum(years, 0), -1)


class is_adult_in_month(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "The person is of age (18 or over) on the first day of the month"
    reference = "Burgerlijk Wetboek Boek 1 (demo), art. 233"

    def formula(person, period, parameters):
        return person("age_in_month", period) >= parameters(period).general.adult_age


class has_state_pension_age_in_month(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "The person has reached state pension age on the first day of the month"
    reference = "Algemene Ouderdomswet (demo), art. 7a lid 1"

    def formula(person, period, parameters):
        return person("age_in_month", period) >= parameters(period).general.state_pension_age


class months_at_pension_age(Variable):
    value_type = int
    entity = Household
    definition_period = YEAR
    label = "Months of the year in which a member has reached state pension age"
    reference = "Algemene Ouderdomswet (demo), art. 7a lid 1"
    documentation = """
    Counted month by month: someone who turns 67 in June counts from July. Income support
    covers the months before, the AIO supplement the months from then on.
    """

    def formula(household, period, parameters):
        months = [
            household.sum(household.members("has_state_pension_age_in_month", month)) > 0
            for month in period.get_subperiods(MONTH)
        ]
        return np.sum(months, axis=0)


class is_born(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "The person is born by the end of the period"
    reference = "Wet basisregistratie personen (demo), art. 2.7 lid 1 onder a"
    documentation = "A child registered with a birth date after the period does not count in it."

    def formula(person, period, parameters):
        birth = person("birth_date", period).astype("datetime64[D]")
        return birth <= np.datetime64(period.stop.date, "D")


class counted_income(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    label = "Income that counts for the income tests: last year's, a loss counting as nothing"
    reference = "Algemene wet inkomensafhankelijke regelingen (demo), art. 8 lid 2"
    documentation = """
    The income register records a loss as a negative income. For the income tests a loss
    counts as 0 for the person who made it: it does not cancel another member's income.
    """

    def formula(person, period, parameters):
        return np.maximum(person("income", period.last_year), 0)


class is_adult(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "The person is of age (18 or over) on 1 January"
    reference = "Burgerlijk Wetboek Boek 1 (demo), art. 233"

    def formula(person, period, parameters):
        return person("age", period) >= parameters(period).general.adult_age


class has_state_pension_age(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "The person has reached state pension age on 1 January"
    reference = "Algemene Ouderdomswet (demo), art. 7a lid 1"

    def formula(person, period, parameters):
        return person("age", period) >= parameters(period).general.state_pension_age


class adults_count(Variable):
    value_type = int
    entity = Household
    definition_period = YEAR
    label = "Number of adults (18 or over) in the household"
    reference = "Participatiewet (demo), art. 4 lid 1 onder c"

    def formula(household, period, parameters):
        return household.sum(household.members("is_adult", period))


class children_count(Variable):
    value_type = int
    entity = Household
    definition_period = YEAR
    label = "Number of members under 18 in the household"
    reference = "Participatiewet (demo), art. 4 lid 1 onder c"

    def formula(household, period, parameters):
        minor = ~household.members("is_adult", period)
        return household.sum(minor & household.members("is_born", period))


class children_under_18(Variable):
    value_type = int
    entity = Household
    definition_period = YEAR
    label = "Number of children under the child benefit age limit (18)"
    reference = "Algemene Kinderbijslagwet (demo), art. 7 lid 1"

    def formula(household, period, parameters):
        limit = parameters(period).child_benefit.age_limit
        age = household.members("age", period)
        return household.sum((age >= 0) & (age < limit))


class pensioners_count(Variable):
    value_type = int
    entity = Household
    definition_period = YEAR
    label = "Number of members who have reached state pension age"
    reference = "Algemene Ouderdomswet (demo), art. 7a lid 1"

    def formula(household, period, parameters):
        return household.sum(household.members("has_state_pension_age", period))


class household_income(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Household income: every member's gross income of last year"
    reference = [
        "Algemene wet inkomensafhankelijke regelingen (demo), art. 8 lid 1",
        "Algemene wet inkomensafhankelijke regelingen (demo), art. 8 lid 2",
    ]
    documentation = """
    The sum of adults' and children's counted income in the previous year: a member's loss
    counts as 0 and does not cancel another member's income.
    """

    def formula(household, period, parameters):
        return household.sum(household.members("counted_income", period))


class social_minimum_norm(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Social-minimum norm for the household's composition (below pension age)"
    reference = [
        "Participatiewet (demo), art. 21 onder a",
        "Participatiewet (demo), art. 21 onder b",
    ]
    documentation = "The norm for a single adult, or for two or more adults living together."

    def formula(household, period, parameters):
        norms = parameters(period).social_minimum
        single = household("adults_count", period) <= 1
        return where(single, norms.norm_single, norms.norm_couple)


class pensioner_social_minimum_norm(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Social-minimum norm for the household's composition at state pension age"
    reference = [
        "Participatiewet (demo), art. 22 onder a",
        "Participatiewet (demo), art. 22 onder b",
    ]

    def formula(household, period, parameters):
        norms = parameters(period).social_minimum
        single = household("adults_count", period) <= 1
        return where(single, norms.pensioner_norm_single, norms.pensioner_norm_couple)


class household_social_minimum(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "The social minimum that applies to the household"
    reference = "Participatiewet (demo), art. 20 lid 1"
    documentation = """
    The pensioners' norm when a member has reached state pension age, otherwise the norm below
    pension age. Municipal schemes set their income limits as a percentage of it.
    """

    def formula(household, period, parameters):
        has_pensioner = household("pensioners_count", period) > 0
        return where(
            has_pensioner,
            household("pensioner_social_minimum_norm", period),
            household("social_minimum_norm", period),
        )
