"""The input contract: the variables Civic fills from the base registers and from forms.

The names, entities, types and periods here are a contract with Civic. Another jurisdiction's
package must declare the same ones (see docs/rules.md).
"""

from openfisca_core.model_api import ETERNITY, YEAR, Variable, date

from openfisca_civic.entities import Household, Person


class birth_date(Variable):
    value_type = date
    default_value = date(1970, 1, 1)
    entity = Person
    definition_period = ETERNITY
    label = "Date of birth"
    documentation = "From the persons register."


class income(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR
    label = "Gross income in the year, from all sources"
    documentation = """
    Employment, benefits, pension and business income together, from the income register.
    The rules use last year's income: person("income", period.last_year).
    """


class vehicles_owned(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "Number of vehicles registered to the person"
    documentation = "From the vehicle register."


class dogs_kept(Variable):
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "Number of dogs the person keeps"
    documentation = "From the dog tax form; 0 when not given."


class assistance_dog(Variable):
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "One of the person's dogs is a guide or assistance dog"
    documentation = "From the dog tax form."


class property_value(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Assessed value of the home (WOZ value)"
    documentation = "From the property tax form; 0 when not given."


class rent(Variable):
    value_type = float
    entity = Household
    definition_period = YEAR
    label = "Rent paid for the home in the year"
    reference = "Wet op de huurtoeslag (demo), art. 5 lid 2"
    documentation = """
    From the housing allowance form. When the form does not give it, the law's standard rent
    is assumed (parameter housing.standard_rent).
    """

    def formula(household, period, parameters):
        return household.empty_array() + parameters(period).housing.standard_rent
