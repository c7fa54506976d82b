"""Statistical disclosure control for published counts: the threshold rule (no published count
under 10 except 0), secondary suppression so that no withheld count can be solved for from
the published margins, and the check a dataset must pass before it is published.

Imports nothing of Civic but itself: the rules are proved on plain tables (tests/opendata).
"""

from civic.opendata.disclosure.checks import DisclosureRefused, disclosure_check
from civic.opendata.disclosure.linked import (
    Link,
    household_links,
    households_protect,
    linked_pinned,
    linked_recoverable,
)
from civic.opendata.disclosure.suppression import THRESHOLD, primary, recoverable, suppress
from civic.opendata.disclosure.tables import TOTAL, CountTable

__all__ = [
    "THRESHOLD",
    "TOTAL",
    "CountTable",
    "DisclosureRefused",
    "Link",
    "disclosure_check",
    "household_links",
    "households_protect",
    "linked_pinned",
    "linked_recoverable",
    "primary",
    "recoverable",
    "suppress",
]
