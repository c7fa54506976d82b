#!/usr/bin/env python3
"""An independent recomputation of a proactive run's offers (docs/rules.md, "Checking the
offers independently").

It reads the registers and the offers straight from the database the run wrote (plain SQL,
one table at a time), reads the law's values straight from the country package's parameter
YAML files, recomputes who should be offered what with its own plain-Python reading of the law
(no OpenFisca, no NumPy, nothing of Civic: not its rules engine, its legal units, its rule-set
file or its population read), and compares:

* every offer the run made is one the law gives, for the same amount (whole euros; a euro
  of difference is allowed for OpenFisca's 32-bit floats and reported apart);
* no offer the law gives is missing;
* no child is offered twice to the same parent in a year, and no child's benefit is offered to
  someone who is not a living parent of the child in the register.

Usage (from the repository's root)::

    python scripts/verify_offers.py                      # DATABASE_URL, else var/civic.sqlite3
    python scripts/verify_offers.py --database postgres://postgres@127.0.0.1:5432/civic
    python scripts/verify_offers.py --json               # the report as JSON

It exits 0 when everything agrees and 1 when anything does not, listing the first differences.
It needs only the standard library, PyYAML and, for PostgreSQL, psycopg.

What it judges (its own reading of the demo law in src/openfisca_civic, written again):

* residents: everyone with an open residence on the run's day and a living person record;
* adults: 18 or over (``general.adult_age``) on 1 January; income: last year's, summed over
  sources, a loss counting as nothing in a unit's income (the person's own income test for
  the health care allowance takes it as recorded);
* household: everyone at an address; benefit unit: adult partners at one address, adults at
  one address who are parents of the same living child, and the minors living with a parent;
  every other resident is a unit of their own;
* a unit with an adult whose last-year income is unknown is not offered an income-tested
  benefit; the person's own income must be known for the health care allowance;
* child benefit: each resident child's months under the age limit (age on the first of the
  month, brackets by ``child_benefit.*``), offered to each of its living parents wherever they
  live.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PARAMETERS = ROOT / "src" / "openfisca_civic" / "parameters"
#: The proactive schemes this checker knows the law of, and the unit each is offered to.
SCHEMES = (
    "child_benefit",
    "housing_allowance",
    "health_care_allowance",
    "income_support",
    "aio_supplement",
    "school_clothing_grant",
)
#: A euro of difference is OpenFisca's 32-bit float arithmetic, not a different reading.
TOLERANCE = 1


# The law's values -------------------------------------------------------------------------


class Law:
    """Parameter values from the YAML files: ``law("child_benefit.age_limit", day)``."""

    def __init__(self, folder: Path = PARAMETERS) -> None:
        self.values: dict[str, list[tuple[str, object]]] = {}
        for path in sorted(folder.rglob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if "values" not in data:
                continue
            name = ".".join(path.relative_to(folder).with_suffix("").parts)
            dated = [
                (str(day), (entry or {}).get("value")) for day, entry in data["values"].items()
            ]
            self.values[name] = sorted(dated, reverse=True)

    def __call__(self, name: str, day: dt.date) -> float:
        for start, value in self.values[name]:
            if start <= day.isoformat():
                if value is None:
                    break
                return value
        raise LookupError(f"no law in force for {name} on {day}")


# The registers -------------------------------------------------------------------------------


def _connect(url: str):
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        return psycopg.connect(url.replace("postgres://", "postgresql://", 1))
    import sqlite3

    return sqlite3.connect(url.removeprefix("sqlite:///"))


def _day(value) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class Registers:
    """The tables read one by one, as they are: no joins that could share a mistake with the
    run's own read."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.mark = "?" if type(connection).__module__.startswith("sqlite3") else "%s"

    def rows(self, statement: str, params=()) -> list[tuple]:
        cursor = self.connection.cursor()
        cursor.execute(statement.replace("%s", self.mark), list(params))
        return cursor.fetchall()

    def valid(self, table: str, columns: str, day: dt.date) -> list[tuple]:
        """Current rows (recorded_to null) of a bitemporal table valid on ``day``."""
        found = []
        for *values, start, end in self.rows(
            f"SELECT {columns}, valid_from, valid_to FROM {table} "  # noqa: S608
            "WHERE recorded_to IS NULL"
        ):
            if _day(start) <= day and (end is None or _day(end) > day):
                found.append(tuple(values))
        return found


@dataclass
class Person:
    number: str
    birth: dt.date
    address: str = ""  # address identifier; "" when not a resident
    income: float = 0.0
    income_known: bool = False
    parents: set[str] = field(default_factory=set)  # living parents' numbers
    partner: str = ""


def _ages(birth: dt.date, day: dt.date) -> int:
    """Completed years on ``day``."""
    return day.year - birth.year - ((birth.month, birth.day) > (day.month, day.day))


def _age_in_month(birth: dt.date, year: int, month: int) -> int:
    """Age on the first of the month; 0 when born during it, -1 when not born by its end."""
    first = dt.date(year, month, 1)
    last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    if birth > last:
        return -1
    return max(_ages(birth, first), 0)


def people_read(registers: Registers, day: dt.date, year: int) -> dict[str, Person]:
    """Everyone living on ``day`` (resident or not: a parent may live elsewhere), residents
    with their address, family ties and last year's income."""
    numbers = dict(registers.rows("SELECT id, personal_number FROM registers_person"))
    people: dict[str, Person] = {}
    for person_id, birth, death in registers.valid(
        "registers_personrecord", "person_id, birth_date, date_of_death", day
    ):
        if death is None or _day(death) > day:
            people[numbers[person_id]] = Person(numbers[person_id], _day(birth))
    identifiers = dict(registers.rows("SELECT id, identifier FROM registers_address"))
    for person_id, address_id in registers.valid(
        "registers_residence", "person_id, address_id", day
    ):
        person = people.get(numbers[person_id])
        if person is not None:
            person.address = identifiers[address_id]
    for parent_id, child_id in registers.valid("registers_parentage", "parent_id, child_id", day):
        child, parent = numbers[child_id], numbers[parent_id]
        if child in people and parent in people and parent != child:
            people[child].parents.add(parent)
    for person_id, partner_id in registers.valid(
        "registers_partnership", "person_id, partner_id", day
    ):
        if numbers[person_id] in people:
            people[numbers[person_id]].partner = numbers[partner_id]
    for person_id, amount in registers.rows(
        "SELECT person_id, amount FROM registers_income WHERE year = %s AND recorded_to IS NULL",
        [year - 1],
    ):
        person = people.get(numbers[person_id])
        if person is not None:
            person.income += _amount(amount)
            person.income_known = True
    return people


def _amount(stored: object) -> int:
    """An income amount as the register stores it: a number as text (the column can hold a
    ciphertext). A sealed amount cannot be checked without the installation's field key, and
    this script reads no key: it says so instead of guessing."""
    if isinstance(stored, str) and stored.startswith("enc1:"):
        raise SystemExit(
            "income amounts are encrypted in this database (CIVIC_FIELD_KEYS); the independent "
            "check reads the registers without Civic or its keys, so run it on a database "
            "whose amounts are clear (a test or demo database, or a copy made before sealing)"
        )
    return int(stored)  # type: ignore[call-overload]


# The law, read again -----------------------------------------------------------------------


def benefit_units(residents: dict[str, Person], adult) -> list[list[Person]]:
    """Adult partners at one address, and minors with a parent at their address (co-parents
    are joined after, by ``co_parents_join``)."""
    root = {n: n for n in residents}

    def find(n: str) -> str:
        while root[n] != n:
            root[n] = root[root[n]]
            n = root[n]
        return n

    def join(a: str, b: str) -> None:
        root[find(a)] = find(b)

    def together(a: str, b: str) -> bool:
        return a in residents and b in residents and residents[a].address == residents[b].address

    for person in residents.values():
        partner = person.partner
        if adult(person) and together(person.number, partner) and adult(residents[partner]):
            join(person.number, person.partner)
        if not adult(person):
            for parent in person.parents:
                if together(person.number, parent) and adult(residents[parent]):
                    join(person.number, parent)
    groups: dict[str, list[Person]] = defaultdict(list)
    for n, person in residents.items():
        groups[find(n)].append(person)
    return list(groups.values())


def co_parents_join(people: dict[str, Person], residents: dict[str, Person], adult, units):
    """Adults at one address who are parents of the same living child (anywhere) are partners:
    merge their units."""
    index = {p.number: i for i, unit in enumerate(units) for p in unit}
    root = list(range(len(units)))

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for child in people.values():
        parents = sorted(p for p in child.parents if p in residents and adult(residents[p]))
        for a, first in enumerate(parents):
            for second in parents[a + 1 :]:
                if residents[first].address == residents[second].address:
                    root[find(index[first])] = find(index[second])
    merged: dict[int, list[Person]] = defaultdict(list)
    for i, unit in enumerate(units):
        merged[find(i)].extend(unit)
    return list(merged.values())


def expected_offers(people: dict[str, Person], law: Law, year: int) -> dict[tuple, tuple]:
    """(resident, scheme, beneficiary) -> (amount in euros, address) the law gives."""
    jan1 = dt.date(year, 1, 1)
    adult_age = law("general.adult_age", jan1)
    pension_age = law("general.state_pension_age", jan1)
    residents = {n: p for n, p in people.items() if p.address}

    def adult(p: Person) -> bool:
        return _ages(p.birth, jan1) >= adult_age

    def age(p: Person) -> int:
        if p.birth > dt.date(year, 12, 31):
            return -1
        return max(_ages(p.birth, jan1), 0)

    offers: dict[tuple, tuple] = {}

    def offer(unit, scheme, amount):
        for p in unit:
            if adult(p):
                offers[(p.number, scheme, "")] = (amount, p.address)

    def income_of(unit) -> float:
        return sum(max(p.income, 0) for p in unit)

    def income_unknown(unit) -> bool:
        return any(adult(p) and not p.income_known for p in unit)

    def months(test) -> int:
        return sum(1 for m in range(1, 13) if test(m))

    # 1. Child benefit: per resident child, to each living parent.
    for child in residents.values():
        total = 0.0
        for m in range(1, 13):
            on = dt.date(year, m, 1)
            a = _age_in_month(child.birth, year, m)
            brackets = (
                (0, 0.0),
                (
                    law("child_benefit.middle_bracket_age", on),
                    law("child_benefit.amount_0_to_5", on),
                ),
                (law("child_benefit.top_bracket_age", on), law("child_benefit.amount_6_to_11", on)),
                (law("child_benefit.age_limit", on), law("child_benefit.amount_12_to_17", on)),
            )
            total += next((amount / 12 for limit, amount in brackets if a < limit), 0.0)
        if round(total, 2) > 0:
            for parent in child.parents:
                offers[(parent, "child_benefit", child.number)] = (round(total), child.address)

    # 2. Housing allowance: the household at an address, at the standard rent.
    by_address: dict[str, list[Person]] = defaultdict(list)
    for p in residents.values():
        by_address[p.address].append(p)
    rent = law("housing.standard_rent", jan1)
    for unit in by_address.values():
        if income_unknown(unit):
            continue
        adults = sum(1 for p in unit if adult(p))
        name = "single" if adults <= 1 else "multi"
        ceiling = law(f"housing_allowance.income_ceiling_{name}", jan1)
        minimum = law("housing_allowance.minimum_rent", jan1)
        income = income_of(unit)
        if rent > minimum and income < ceiling:
            counted = min(rent, law("housing_allowance.maximum_rent", jan1))
            full = law("housing_allowance.share", jan1) * max(counted - minimum, 0)
            taper = law("housing_allowance.taper_start", jan1)
            kept = min(max((ceiling - income) / (ceiling - taper), 0), 1)
            offer(unit, "housing_allowance", round(full * kept))

    # 3. Health care allowance: the person, for the months of age.
    for p in residents.values():
        of_age = months(lambda m, p=p: _age_in_month(p.birth, year, m) >= adult_age)
        ceiling = law("health_care_allowance.income_ceiling", jan1)
        if of_age and p.income_known and p.income < ceiling:
            taper = law("health_care_allowance.taper_start", jan1)
            kept = min(max((ceiling - p.income) / (ceiling - taper), 0), 1)
            amount = law("health_care_allowance.maximum_amount", jan1) * kept * of_age / 12
            offers[(p.number, "health_care_allowance", "")] = (round(amount), p.address)

    # 4-6. The benefit unit's schemes.
    units = co_parents_join(people, residents, adult, benefit_units(residents, adult))
    for unit in units:
        adults = sum(1 for p in unit if adult(p))
        if adults == 0 or income_unknown(unit):
            continue
        income = income_of(unit)
        couple = "single" if adults <= 1 else "couple"
        norm = law(f"social_minimum.norm_{couple}", jan1)
        pensioner_norm = law(f"social_minimum.pensioner_norm_{couple}", jan1)
        at_pension = months(
            lambda m, unit=unit: any(_age_in_month(p.birth, year, m) >= pension_age for p in unit)
        )
        if at_pension < 12 and income < norm:
            offer(unit, "income_support", round((norm - income) * (12 - at_pension) / 12))
        if at_pension > 0 and income < pensioner_norm:
            offer(unit, "aio_supplement", round((pensioner_norm - income) * at_pension / 12))
        low, high = (
            law("school_clothing_grant.minimum_age", jan1),
            law("school_clothing_grant.maximum_age", jan1),
        )
        children = sum(1 for p in unit if low <= age(p) <= high)
        minimum = pensioner_norm if any(age(p) >= pension_age for p in unit) else norm
        limit = round(minimum * law("school_clothing_grant.income_limit_percentage", jan1))
        if children and income < limit:
            per_child = law("school_clothing_grant.amount_per_child", jan1)
            offer(unit, "school_clothing_grant", children * per_child)
    return offers


# Comparing -------------------------------------------------------------------------------------


@dataclass
class Report:
    run: int
    day: str
    year: int
    residents: int = 0
    offers: int = 0
    agreed: int = 0
    within_a_euro: int = 0
    expected: int = 0
    differences: list[dict] = field(default_factory=list)

    @property
    def disagreements(self) -> int:
        return len(self.differences)

    def as_dict(self) -> dict:
        kinds: dict[str, int] = defaultdict(int)
        for d in self.differences:
            kinds[d["kind"]] += 1
        return {
            "run": self.run,
            "day": self.day,
            "year": self.year,
            "residents": self.residents,
            "offers_checked": self.offers,
            "offers_expected": self.expected,
            "agreed": self.agreed,
            "agreed_within_a_euro": self.within_a_euro,
            "disagreements": self.disagreements,
            "by_kind": dict(kinds),
            "first": self.differences[:20],
        }


def verify(connection, *, parameters: Path = PARAMETERS, run: int | None = None) -> Report:
    """Recompute the offers of the last finished population run (or ``run``) and compare."""
    registers = Registers(connection)
    runs = registers.rows(
        'SELECT id, year, "on" FROM decisions_proactiverun '
        "WHERE trigger <> 'life_event' AND status = 'done' ORDER BY id DESC"
    )
    if run is not None:
        runs = [r for r in runs if r[0] == run]
    if not runs:
        raise LookupError("no finished population run to check")
    run_id, year, day = runs[0][0], int(runs[0][1]), _day(runs[0][2])
    # Offers of the year made by population runs: a later run does not repeat an earlier one's.
    population_runs = {r[0] for r in runs if int(r[1]) == year}
    made = [
        row
        for row in registers.rows(
            "SELECT personal_number, rule_set, beneficiary, amount, household, run_id "
            "FROM decisions_offer WHERE year = %s",
            [year],
        )
        if row[5] in population_runs and row[1] in SCHEMES
    ]
    people = people_read(registers, day, year)
    expected = expected_offers(people, Law(parameters), year)
    report = Report(run=run_id, day=day.isoformat(), year=year)
    report.residents = sum(1 for p in people.values() if p.address)
    report.offers, report.expected = len(made), len(expected)
    seen: dict[tuple, int] = defaultdict(int)
    for number, scheme, beneficiary, amount, household, _run in made:
        key = (number, scheme, beneficiary or "")
        seen[key] += 1
        if seen[key] > 1:
            report.differences.append(_difference("offered twice", key, amount))
            continue
        child = people.get(beneficiary)
        if scheme == "child_benefit" and (child is None or number not in child.parents):
            report.differences.append(_difference("child benefit to a non-parent", key, amount))
            continue
        if key not in expected:
            report.differences.append(_difference("not due", key, amount))
            continue
        due, address = expected[key]
        if address != household:
            report.differences.append(_difference("other household", key, household, address))
        elif amount == due:
            report.agreed += 1
        elif abs(amount - due) <= TOLERANCE:
            report.agreed += 1
            report.within_a_euro += 1
        else:
            report.differences.append(_difference("amount", key, amount, due))
    for key, (due, _address) in expected.items():
        if key not in seen:
            report.differences.append(_difference("missing", key, None, due))
    return report


def _difference(kind: str, key: tuple, offered, expected=None) -> dict:
    number, scheme, beneficiary = key
    return {
        "kind": kind,
        "resident": number,
        "scheme": scheme,
        "child": beneficiary,
        "offered": offered,
        "expected": expected,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("DATABASE_URL") or str(
        Path(os.environ.get("CIVIC_VAR_DIR", ROOT / "var")) / "civic.sqlite3"
    )
    parser.add_argument("--database", default=default, help="database URL or SQLite file")
    parser.add_argument("--parameters", type=Path, default=PARAMETERS)
    parser.add_argument("--run", type=int, help="the run to check (default: the last one)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = verify(_connect(args.database), parameters=args.parameters, run=args.run)
    result = report.as_dict()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"Run {report.run} ({report.day}, law of {report.year}): {report.residents:,} "
            f"residents, {report.offers:,} offers checked, {report.expected:,} due by the law; "
            f"{report.agreed:,} agree ({report.within_a_euro:,} within a euro), "
            f"{report.disagreements:,} disagreements."
        )
        for difference in result["first"]:
            print("  ", difference)
    return 0 if report.disagreements == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
