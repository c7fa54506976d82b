"""The two entities of Havenstad's law: the person and the household.

A household is everyone living at one address. Civic gives the role ``adult`` to the members aged
18 or over and ``child`` to the others. The formulas count adults and children by age at the
start of the period (``is_adult``), so a member who turns 18 during the year counts as a child
for that year whichever role was given.
"""

from openfisca_core.entities import build_entity

Household = build_entity(
    key="household",
    plural="households",
    label="Household: the persons living at one address",
    doc="""
    Everyone registered at the same address in the persons register. Household benefits
    (child benefit, housing allowance, income support, …) and the municipal taxes on the home
    (property tax, dog tax, parking permits) are computed per household.
    """,
    roles=[
        {
            "key": "adult",
            "plural": "adults",
            "label": "Adult",
            "doc": "A member aged 18 or over.",
        },
        {
            "key": "child",
            "plural": "children",
            "label": "Child",
            "doc": "A member under 18.",
        },
    ],
)

Person = build_entity(
    key="person",
    plural="persons",
    label="Person: a resident in the persons register",
    doc="""
    A natural person registered at an address in Havenstad. Every person belongs to exactly one
    household.
    """,
    is_person=True,
)

entities = [Household, Person]
