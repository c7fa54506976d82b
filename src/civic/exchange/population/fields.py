"""What a population read releases, part by part."""

from __future__ import annotations

#: What a population read releases, per part read; grants must cover each. ``family`` (the
#: family ties) is part of the persons register.
POPULATION_FIELDS: dict[str, list[str]] = {
    "persons": ["identity.birth_date", "residence.address"],
    "family": ["parentage.parent", "partnership.partner"],
    "income": ["income.amount", "income.year"],
    "vehicles": ["ownership.owner"],
}
ALL_REGISTERS = tuple(POPULATION_FIELDS)


def read_register(part: str) -> str:
    """The register a part of a population read is in (``family``: the persons register)."""
    return "persons" if part == "family" else part
