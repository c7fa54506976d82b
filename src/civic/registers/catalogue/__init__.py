"""The register catalogue: what each base register holds, who is its authority, on what legal
basis, and for every attribute its meaning, type, classification and retention.

Kept as code so that it changes with the models in one commit; a test checks that every column
of every register table is described here. The exchange will decide grants and always-delivered
attributes from it; the portal shows residents which authority each of their values comes from.
"""

from __future__ import annotations

from civic.registers.catalogue.addresses import ADDRESSES
from civic.registers.catalogue.economy import BUSINESSES, INCOME, VEHICLES
from civic.registers.catalogue.persons import PERSONS
from civic.registers.catalogue.schema import Attribute, Classification, RecordType, Register

REGISTERS: dict[str, Register] = {
    r.key: r for r in (PERSONS, ADDRESSES, BUSINESSES, INCOME, VEHICLES)
}


def register_get(key: str) -> Register | None:
    return REGISTERS.get(key)


__all__ = ["REGISTERS", "Attribute", "Classification", "RecordType", "Register", "register_get"]
