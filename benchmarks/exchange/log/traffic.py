"""The access log's traffic as the demo makes it: who reads what, for which purpose and how
often, and the subjects read (the pool, and the tracked residents among them)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks.exchange.common import partner_credentials_here
from benchmarks.exchange.log import SUBJECT_POOL, TRACKED, TRACKED_ENTRIES


@dataclass(frozen=True)
class Profile:
    """One kind of entry: who reads what, for which purpose, and how often."""

    weight: float
    actor_kind: str
    actor: str  # "" for a resident: the subject itself
    agency: str
    purpose: str
    legal_ground: str
    legal_basis: str
    register: str
    fields: str
    case_prefix: str
    kind: str
    embargo_days: int


def profiles() -> list[Profile]:
    from civic.exchange.models import Purpose
    from civic.identity.models import User
    from civic.registers.catalogue import REGISTERS

    client_id, _secret = partner_credentials_here()
    purposes = {p.code: p for p in Purpose.objects.select_related("controller")}
    caseworker = str(User.objects.get(username="caseworker").pk)
    always = set(REGISTERS["persons"].always_delivered)

    def fields(*names: str) -> str:
        return ",".join(sorted(set(names) | always))

    def made(
        weight: float,
        kind: str,
        actor: str,
        agency: str,
        purpose: str,
        register: str,
        names: str,
        case: str,
        entry_kind: str = "lookup",
    ) -> Profile:
        p = purposes[purpose]
        return Profile(
            weight,
            kind,
            actor,
            agency or p.controller.code,
            purpose,
            p.legal_ground,
            p.legal_basis,
            register,
            names,
            case,
            entry_kind,
            p.embargo_days if p.confidential else 0,
        )

    partner = ("api_client", client_id, "social-insurance-bank")
    benefit = "child-benefit-assessment"
    return [
        made(
            0.45,
            *partner,
            benefit,
            "persons",
            fields("identity.given_names", "identity.birth_date", "residence.address"),
            "KB-",
        ),
        made(
            0.15,
            *partner,
            benefit,
            "persons",
            fields("identity.given_names", "identity.family_name", "parentage.child"),
            "KB-",
        ),
        made(
            0.05,
            *partner,
            benefit,
            "persons",
            fields("identity.given_names", "identity.birth_date", "residence.address"),
            "KB-",
            "search",
        ),
        made(
            0.08,
            *partner,
            "benefit-fraud-investigation",
            "income",
            "income.amount,income.source,income.year",
            "FR-",
        ),
        made(
            0.17,
            "staff",
            caseworker,
            "havenstad",
            "parking-permit",
            "persons",
            fields("identity.given_names", "identity.family_name", "residence.address"),
            "PP-",
        ),
        made(
            0.10,
            "resident",
            "",
            "",
            "show-own-data",
            "persons",
            fields(
                "identity.given_names",
                "identity.family_name",
                "identity.birth_date",
                "residence.address",
                "parentage.child",
            ),
            "",
        ),
    ]


def subjects(
    rng: np.random.Generator, entries: int
) -> tuple[list[str], np.ndarray, list[dict[str, Any]]]:
    """The pool of subject pseudonyms, each entry's index into it, and the tracked residents."""
    from benchmarks.exchange.load import living_residents
    from civic.exchange.pseudonyms import person_pseudonym
    from civic.registers.models import Person

    tracked_numbers = living_residents(TRACKED, seed=int(rng.integers(1 << 30)))
    everyone = set(Person.objects.values_list("personal_number", flat=True)) - set(tracked_numbers)
    pool = [person_pseudonym(n) for n in sorted(everyone)]
    pool += [
        hashlib.sha256(f"elsewhere:{i}".encode()).hexdigest()[:32]
        for i in range(max(0, SUBJECT_POOL - len(pool)))
    ]
    index = rng.integers(0, len(pool), size=entries, dtype=np.int64)
    counts = rng.integers(TRACKED_ENTRIES[0], TRACKED_ENTRIES[1] + 1, size=len(tracked_numbers))
    spots = rng.choice(entries, size=int(counts.sum()), replace=False)
    tracked: list[dict[str, Any]] = []
    start = 0
    for number, count in zip(tracked_numbers, counts.tolist(), strict=True):
        index[spots[start : start + count]] = len(pool)
        pool.append(person_pseudonym(number))
        tracked.append({"personal_number": number, "entries": count})
        start += count
    return pool, index, tracked
