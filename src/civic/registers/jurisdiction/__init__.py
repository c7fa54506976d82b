"""The synthetic jurisdiction generator: a fictional municipality with ten years of history.

``jurisdiction_build`` streams the population in chunks of about 20,000 residents, so memory
stays bounded at any size; each chunk has its own random stream derived from the seed, so the
same seed and date give the same data. Distributions are documented in docs/jurisdiction.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable

import numpy as np

from civic.core.numbers import business_numbers_from_prefixes, personal_numbers_from_prefixes
from civic.registers import models as m
from civic.registers.jurisdiction import names
from civic.registers.jurisdiction.economy import (
    businesses_generate,
    incomes_generate,
    vehicles_generate,
)
from civic.registers.jurisdiction.facts import DAY, bitemporal_rows, known_after_persons
from civic.registers.jurisdiction.geography import map_build
from civic.registers.jurisdiction.people import Frame
from civic.registers.jurisdiction.population import population_generate
from civic.registers.jurisdiction.writer import NA, BulkWriter

CHUNK_RESIDENTS = 20_000
ADDRESS_SLICE = 50_000
PERSON_BLOCK = 4 * CHUNK_RESIDENTS  # personal-number prefixes reserved per chunk
BUSINESS_BLOCK = CHUNK_RESIDENTS // 2
PERSONAL_PREFIX_SPACE = 90_000_000  # 8-digit prefixes 10000000..99999999
BUSINESS_PREFIX_SPACE = 9_000_000  # 7-digit prefixes 1000000..9999999

REGISTER_MODELS = [
    m.Neighbourhood,
    m.Address,
    m.Person,
    m.PersonRecord,
    m.Residence,
    m.Partnership,
    m.Parentage,
    m.Business,
    m.BusinessRecord,
    m.BusinessRole,
    m.Income,
    m.Vehicle,
    m.VehicleOwnership,
]


def _multiplier(seed: int, space: int) -> int:
    """An affine permutation's multiplier, coprime with ``space`` so that it is a bijection."""
    a = 1_000_003 + 2 * (seed % 500_000)
    while math.gcd(a, space) != 1:
        a += 2
    return a


def identifiers(
    seed: int, chunk: int, count: int, *, block: int, space: int, base: int, complete: Callable
) -> np.ndarray:
    """``count`` unique valid numbers for ``chunk``: distinct chunks use disjoint prefix blocks."""
    j = np.arange(chunk * block, (chunk + 1) * block, dtype=np.int64)
    if j[-1] >= space:
        raise ValueError("the jurisdiction is too large for this number space")
    prefixes = base + (_multiplier(seed, space) * j + seed * 7919) % space
    numbers, usable = complete(prefixes)
    numbers = numbers[usable]
    if len(numbers) < count:
        raise ValueError("a chunk ran out of identifiers")
    return numbers[:count]


def _personal(prefixes):
    return personal_numbers_from_prefixes(prefixes)


def _business(prefixes):
    return business_numbers_from_prefixes(prefixes), np.ones(len(prefixes), dtype=bool)


def history_start(until: dt.date) -> dt.date:
    """Ten years before ``until``; from 29 February, the 28th."""
    return until.replace(
        year=until.year - 10, day=min(until.day, 28) if until.month == 2 else until.day
    )


def _day(date: dt.date) -> int:
    return (date - dt.date(1970, 1, 1)).days


def jurisdiction_build(
    *,
    residents: int,
    seed: int,
    until: dt.date,
    writer: BulkWriter,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Generate and write the whole jurisdiction; returns its summary. Caller holds the transaction."""
    start = history_start(until)
    frame = Frame(start_day=_day(start), until_day=_day(until))
    master = np.random.default_rng([seed, 0])
    homes = int(residents / 2.08 * 1.18) + 200
    city = map_build(homes=homes, rng=master, history_start_day=frame.start_day)
    writer.write(
        m.Neighbourhood,
        {
            "id": np.arange(1, len(city.neighbourhood_code) + 1),
            "code": city.neighbourhood_code,
            "name": city.neighbourhood_name,
            "municipality": [names.MUNICIPALITY_NAME] * len(city.neighbourhood_code),
            "latitude": city.neighbourhood_lat,
            "longitude": city.neighbourhood_lon,
        },
    )
    # Addresses go in first: SQLite's deferred foreign keys stay cheap only while every row
    # written so far has its parent row already. In slices, so that turning columns into
    # Python values never holds all of them at once.
    for lo in range(0, homes, ADDRESS_SLICE):
        ids = np.arange(lo + 1, min(lo + ADDRESS_SLICE, homes) + 1)
        at = ids - 1
        writer.write(
            m.Address,
            {
                "id": ids,
                "identifier": [f"{names.MUNICIPALITY_CODE}01{i:010d}" for i in ids.tolist()],
                "street": city.street[at],
                "house_number": city.house_number[at],
                "house_letter": city.house_letter[at],
                "postcode": city.postcode[at],
                "neighbourhood": city.neighbourhood[at] + 1,
                "municipality": [names.MUNICIPALITY_NAME] * len(ids),
                "latitude": city.latitude[at],
                "longitude": city.longitude[at],
                "valid_from": city.built_day[at],
                "valid_to": np.full(len(ids), NA),
                "recorded_from": city.built_day[at] * DAY + 9 * 3600,
            },
        )
    address_order = master.permutation(homes) + 1  # address ids, in the order chunks take them
    first_use = np.full(homes, np.iinfo(np.int64).max)
    cursor = 0
    next_person, next_business, next_vehicle = 1, 1, 1
    totals: Counter = Counter()
    ages: Counter = Counter()
    chunks = math.ceil(residents / CHUNK_RESIDENTS)
    for chunk in range(chunks):
        rng = np.random.default_rng([seed, chunk + 1])
        size = min(CHUNK_RESIDENTS, residents - chunk * CHUNK_RESIDENTS)
        pop, hh, stats = population_generate(
            rng=rng,
            frame=frame,
            residents=size,
            addresses=address_order[cursor:],
            first_person_id=next_person,
        )
        cursor += len(hh.kind) + len(hh.spare)
        totals.update(stats)
        persons = pop.persons.concat()
        numbers = identifiers(
            seed,
            chunk,
            pop.count,
            block=PERSON_BLOCK,
            space=PERSONAL_PREFIX_SPACE,
            base=10_000_000,
            complete=_personal,
        )
        residences = pop.residences.concat()
        np.minimum.at(first_use, residences["address"] - 1, residences["valid_from"])
        span_start = np.full(pop.count, np.iinfo(np.int64).max)
        np.minimum.at(span_start, residences["person"] - pop.first_id, residences["valid_from"])
        span_end = np.zeros(pop.count, dtype=np.int64)
        open_end = np.where(
            residences["valid_to"] == NA, np.iinfo(np.int64).max, residences["valid_to"]
        )
        np.maximum.at(span_end, residences["person"] - pop.first_id, open_end)
        spans = (span_start, np.where(span_end == np.iinfo(np.int64).max, NA, span_end))

        registrations, roles, self_employed = businesses_generate(
            pop, hh, persons, residents=size, first_business_id=next_business, address_count=homes
        )
        vehicles, ownerships = vehicles_generate(pop, hh, persons, first_vehicle_id=next_vehicle)
        incomes = incomes_generate(pop, persons, spans, self_employed)

        _write_people(writer, pop, persons, numbers, rng)
        business_facts = registrations.concat()
        np.minimum.at(first_use, business_facts["address"] - 1, business_facts["valid_from"])
        business_count = len(business_facts["business"])
        writer.write(
            m.Business,
            {
                "id": business_facts["business"],
                "registration_number": [
                    f"{x:08d}"
                    for x in identifiers(
                        seed,
                        chunk,
                        business_count,
                        block=BUSINESS_BLOCK,
                        space=BUSINESS_PREFIX_SPACE,
                        base=1_000_000,
                        complete=_business,
                    ).tolist()
                ],
            },
        )
        writer.write(m.BusinessRecord, bitemporal_rows(business_facts))
        known = persons["registered_sec"], pop.first_id
        writer.write(
            m.BusinessRole, bitemporal_rows(known_after_persons(roles.concat(), *known, "person"))
        )
        writer.write(m.Income, incomes)
        writer.write(m.Vehicle, vehicles)
        writer.write(
            m.VehicleOwnership,
            bitemporal_rows(known_after_persons(ownerships.concat(), *known, "owner")),
        )

        living_here = np.unique(residences["person"][residences["valid_to"] == NA]) - pop.first_id
        age_band = (frame.until_day - persons["birth_day"][living_here]) // int(5 * 365.25) * 5
        ages.update(np.minimum(age_band, 100).tolist())
        next_person += pop.count
        next_business += business_count
        next_vehicle += len(vehicles["id"])
        totals["residents_now"] += size
        if progress:
            progress(size)

    # Homes someone lived in before the recorded construction date were evidently older.
    older = np.flatnonzero(first_use < city.built_day)
    writer.update(
        m.Address,
        ids=older + 1,
        columns={
            "valid_from": first_use[older],
            "recorded_from": first_use[older] * DAY + 9 * 3600,
        },
    )
    summary = dict(totals)
    summary.update(
        {
            "persons": next_person - 1,
            "businesses": next_business - 1,
            "vehicles": next_vehicle - 1,
            "addresses": homes,
            "neighbourhoods": len(city.neighbourhood_code),
            "rows": dict(writer.rows_written),
            "age_pyramid": {str(band): ages[band] for band in sorted(ages)},
        }
    )
    return summary


def _write_people(writer: BulkWriter, pop, persons: dict, numbers: np.ndarray, rng) -> None:
    count = pop.count
    writer.write(
        m.Person, {"id": persons["id"], "personal_number": [f"{x:09d}" for x in numbers.tolist()]}
    )
    female = persons["sex"] == "F"
    first = np.where(
        female,
        rng.integers(0, len(names.FIRST_NAMES_FEMALE), count),
        rng.integers(0, len(names.FIRST_NAMES_MALE), count),
    )
    second = np.where(
        female,
        rng.integers(0, len(names.FIRST_NAMES_FEMALE), count),
        rng.integers(0, len(names.FIRST_NAMES_MALE), count),
    )
    has_second = rng.random(count) < 0.55
    fem, mal = (
        np.array(names.FIRST_NAMES_FEMALE, dtype=object),
        np.array(names.FIRST_NAMES_MALE, dtype=object),
    )
    given = np.where(female, fem[first], mal[first])
    given = np.where(
        has_second & (first != second),
        given + " " + np.where(female, fem[second], mal[second]),
        given,
    )
    prefix = np.where(
        persons["prefix"] >= 0,
        np.array(names.FAMILY_NAME_PREFIXES, dtype=object)[np.maximum(persons["prefix"], 0)],
        "",
    )
    family = np.array(names.FAMILY_NAMES, dtype=object)[persons["family_name"]]
    died = persons["death_day"] != NA
    facts = {
        "person": persons["id"],
        "given_names": given,
        "family_name_prefix": prefix.astype(object),
        "family_name": family,
        "birth_day_": persons["birth_day"],
        "sex": persons["sex"].astype(object),
        "nationality": np.array(names.NATIONALITIES, dtype=object)[persons["nationality"]],
        "date_of_death": persons["death_day"],
        "confidential": rng.random(count) < 0.005,
        # Death is a new version of the record from its registration on; valid time is the life.
        "valid_from": persons["birth_day"],
        "valid_to": np.where(died, persons["death_day"], NA),
        "rec_open": persons["registered_sec"],
        "rec_close": persons["death_sec"],
    }
    rows = bitemporal_rows(facts, open_only={"date_of_death": np.full(count, NA)})
    rows["birth_date"] = rows.pop("birth_day_")
    # A person's record stays valid after death (the death date is an attribute of it).
    rows["valid_to"] = np.full(len(rows["valid_to"]), NA)
    writer.write(m.PersonRecord, rows)
    known = persons["registered_sec"], pop.first_id
    for model, facts, people in (
        (m.Residence, pop.residences, ("person",)),
        (m.Partnership, pop.partnerships, ("person", "partner")),
        (m.Parentage, pop.parentages, ("parent", "child")),
    ):
        writer.write(model, bitemporal_rows(known_after_persons(facts.concat(), *known, *people)))
