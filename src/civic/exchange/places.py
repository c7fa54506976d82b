"""Places for the city's sensors and advisories: the neighbourhoods (public register data, no
person in them) and which neighbourhood each of a set of residents lives in, read like any
other personal data: purpose and grant checked, each person's read logged before it is used,
so a resident who asked for warnings about their home area sees every such look-up in "who
used my data"."""

from __future__ import annotations

from typing import Any

from civic.exchange.actors import Actor
from civic.exchange.errors import QueryRefused
from civic.exchange.query import MAX_SUBJECTS, register_query
from civic.registers.models import Address, Neighbourhood

#: Residents read in one exchange query (the most one query may name); addresses looked up
#: in one statement (few enough for SQLite's parameter limit).
BATCH, ADDRESS_BATCH = MAX_SUBJECTS, 500


def neighbourhoods_list() -> list[dict[str, Any]]:
    """Every neighbourhood, with its centre, by name."""
    return list(
        Neighbourhood.objects.order_by("name").values("code", "name", "latitude", "longitude")
    )


def _addresses(actor: Actor, purpose: str, numbers: list[str]) -> dict[str, str]:
    """Personal number -> the address identifier they live at, for those who live somewhere.
    A batch the exchange refuses (one person in it may not be read for this purpose) is read
    again one by one, so one refusal costs only that person their warning."""
    try:
        answer = register_query(
            actor=actor,
            register="persons",
            subjects=numbers,
            fields=["residence.address"],
            purpose=purpose,
        )
    except QueryRefused:
        if len(numbers) == 1:
            return {}
        out: dict[str, str] = {}
        for number in numbers:
            out.update(_addresses(actor, purpose, [number]))
        return out
    return {
        row["subject"]: row["records"]["residence"]["address"]
        for row in answer["results"]
        if (row["records"].get("residence") or {}).get("address")
    }


def home_neighbourhoods(
    *, actor: Actor, purpose: str, personal_numbers: list[str]
) -> dict[str, str]:
    """Personal number -> the code of the neighbourhood they live in today, for those the
    register has an address for. Each person's residence is released (and logged) under
    ``purpose``; the address's neighbourhood is public."""
    addresses: dict[str, str] = {}
    for start in range(0, len(personal_numbers), BATCH):
        addresses.update(_addresses(actor, purpose, personal_numbers[start : start + BATCH]))
    codes: dict[str, str] = {}
    identifiers = sorted(set(addresses.values()))
    for start in range(0, len(identifiers), ADDRESS_BATCH):
        batch = identifiers[start : start + ADDRESS_BATCH]
        codes.update(
            Address.objects.filter(identifier__in=batch).values_list(
                "identifier", "neighbourhood__code"
            )
        )
    return {number: codes[a] for number, a in addresses.items() if a in codes}
