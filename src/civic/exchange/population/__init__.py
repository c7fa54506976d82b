"""Population-wide reads for rules as code: the registers column-wise, a chunk of addresses at
a time, into NumPy arrays, with one access-log entry per resident checked.

A proactive run asks for everyone living at the addresses with ids in ``[first, last]``: who
lives there today, their birth date, their family ties (living parents, wherever they live, and
the current partner: the rules form benefit units and offer a child's benefit to its parents
from them), last year's income and the vehicles they own, each only when a rule set reads it. The same
purpose, grant and log-before-release rules hold as for a lookup; only the shape differs (one
set-based statement for the residents of a chunk, then their income and vehicles by person id,
500 at a time, instead of one lookup per person), so that a million residents cost minutes,
not hours. Every released resident gets its entry in the same transaction as the read, written
in one statement.
"""

from civic.exchange.population.columns import Population
from civic.exchange.population.fields import ALL_REGISTERS, POPULATION_FIELDS, read_register
from civic.exchange.population.read import population_of, population_read
from civic.exchange.population.statements import address_ranges, neighbourhoods_of

__all__ = [
    "ALL_REGISTERS",
    "POPULATION_FIELDS",
    "Population",
    "address_ranges",
    "neighbourhoods_of",
    "population_of",
    "population_read",
    "read_register",
]
