"""Reads of the base registers. Other apps reach personal data through the exchange, which
wraps these; the catalogue reads are public."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civic.core import clock
from civic.identity.selectors import agency_list
from civic.registers.catalogue import REGISTERS, Register
from civic.registers.models import Address, Jurisdiction, Person, PersonRecord, Residence


def bitemporal_at(
    queryset: QuerySet, *, valid_at: dt.date, known_at: dt.datetime | None = None
) -> QuerySet:
    """Rows true on ``valid_at`` as the register knew them at ``known_at`` (default: now)."""
    known_at = known_at or clock.now()
    return queryset.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=valid_at),
        Q(recorded_to__isnull=True) | Q(recorded_to__gt=known_at),
        valid_from__lte=valid_at,
        recorded_from__lte=known_at,
    )


def person_record_at(
    *, personal_number: str, valid_at: dt.date | None = None, known_at: dt.datetime | None = None
) -> PersonRecord | None:
    rows = PersonRecord.objects.filter(person__personal_number=personal_number)
    return bitemporal_at(rows, valid_at=valid_at or clock.today(), known_at=known_at).first()


ADDRESS_AT_SQL = f"""
    SELECT a.* FROM {Address._meta.db_table} a
    JOIN {Residence._meta.db_table} r ON r.address_id = a.id
    JOIN {Person._meta.db_table} p ON p.id = r.person_id
    WHERE p.personal_number = %s
      AND r.valid_from <= %s AND (r.valid_to IS NULL OR r.valid_to > %s)
      AND r.recorded_from <= %s AND (r.recorded_to IS NULL OR r.recorded_to > %s)
    LIMIT 1
"""  # noqa: S608 (table names from our models; values are parameters)


def address_at(
    *, personal_number: str, valid_at: dt.date, known_at: dt.datetime | None = None
) -> Address | None:
    """Where the person lived on ``valid_at``, as the register knew it at ``known_at``.

    One fixed statement rather than a composed queryset: building the query costs Django about
    ten times what the database spends answering it (docs/benchmarks.md).
    """
    ops = connection.ops
    params = [
        personal_number,
        ops.adapt_datefield_value(valid_at),
        ops.adapt_datefield_value(valid_at),
        ops.adapt_datetimefield_value(known_at or clock.now()),
        ops.adapt_datetimefield_value(known_at or clock.now()),
    ]
    found = list(Address.objects.raw(ADDRESS_AT_SQL, params))
    return found[0] if found else None


def person_is_registered(*, personal_number: str) -> bool:
    """True for a living person in the persons register (whether or not still resident)."""
    record = person_record_at(personal_number=personal_number)
    return record is not None and record.date_of_death is None


def jurisdiction_get() -> Jurisdiction | None:
    return Jurisdiction.objects.first()


def _authority_names() -> dict[str, str]:
    dutch = translation.get_language() == "nl"
    return {
        agency.code: (agency.name_nl if dutch and agency.name_nl else agency.name)
        for agency in agency_list()
    }


def _register_as_dict(register: Register, authorities: dict[str, str]) -> dict[str, Any]:
    return {
        "key": register.key,
        "name": str(register.name),
        "authority": register.authority,
        "authority_name": authorities.get(register.authority, register.authority),
        "legal_basis": register.legal_basis,
        "description": str(register.description),
        "subject": register.subject,
        "always_delivered": list(register.always_delivered),
        "records": [
            {
                "key": record.key,
                "description": str(record.description),
                "attributes": [
                    {
                        "name": f"{record.key}.{a.name}",
                        "description": str(a.description),
                        "type": a.type,
                        "classification": a.classification,
                        "retention": {
                            "years": a.retention_years,
                            "description": str(a.retention_note)
                            or (
                                _("Kept for good.")
                                if a.retention_years is None
                                else ngettext(
                                    "%(years)s year after the record is closed.",
                                    "%(years)s years after the record is closed.",
                                    a.retention_years,
                                )
                                % {"years": a.retention_years}
                            ),
                        },
                    }
                    for a in record.attributes
                ],
            }
            for record in register.records
        ],
    }


def catalogue_list() -> list[dict[str, Any]]:
    """The whole catalogue, in the active language."""
    authorities = _authority_names()
    return [_register_as_dict(register, authorities) for register in REGISTERS.values()]


def catalogue_register(*, key: str) -> dict[str, Any] | None:
    register = REGISTERS.get(key)
    return _register_as_dict(register, _authority_names()) if register else None


def demo_resident_personal_number() -> str | None:
    """A living resident with a partner and a child at home: the demo's resident login."""
    from civic.registers.models import Parentage, Partnership, Person

    today = clock.today()
    living_here = bitemporal_at(Residence.objects.all(), valid_at=today).values("person")
    parents = bitemporal_at(Parentage.objects.filter(child__in=living_here), valid_at=today).values(
        "parent"
    )
    partnered = bitemporal_at(Partnership.objects.all(), valid_at=today).values("person")
    person = (
        Person.objects.filter(id__in=living_here)
        .filter(id__in=parents)
        .filter(id__in=partnered)
        .order_by("id")
        .first()
    )
    return person.personal_number if person else None


def demo_move_target(*, personal_number: str) -> str | None:
    """An address the demo's printed `civic registers move` example can move this person to."""
    home = address_at(personal_number=personal_number, valid_at=clock.today())
    others = Address.objects.exclude(pk=home.pk) if home else Address.objects.all()
    target = others.order_by("identifier").first()
    return target.identifier if target else None


def residents_sample(*, count: int, seed: int = 1) -> list[str]:
    """Personal numbers of ``count`` people living in the jurisdiction today, picked by seed
    (for the demo's case history)."""
    import random

    from civic.registers.models import Person

    today = clock.today()
    living_here = bitemporal_at(Residence.objects.all(), valid_at=today).values("person")
    numbers = list(
        Person.objects.filter(id__in=living_here)
        .order_by("id")
        .values_list("personal_number", flat=True)[: count * 20]
    )
    return random.Random(seed).sample(numbers, min(count, len(numbers)))


def minor_children(*, personal_number: str, on: dt.date | None = None) -> list[str]:
    """Personal numbers of the person's living children under 18 on ``on`` (default today), as
    the register knows them now: whom a parent may act for."""
    from civic.registers.models import Parentage

    on = on or clock.today()
    adult_born_before = on.replace(
        year=on.year - 18, day=min(on.day, 28) if on.month == 2 else on.day
    )
    children = bitemporal_at(
        Parentage.objects.filter(parent__personal_number=personal_number), valid_at=on
    )
    records = bitemporal_at(
        PersonRecord.objects.filter(person__in=children.values("child")), valid_at=on
    )
    return sorted(
        records.filter(birth_date__gt=adult_born_before, date_of_death__isnull=True).values_list(
            "person__personal_number", flat=True
        )
    )


def parents_of(*, personal_number: str) -> list[str]:
    from civic.registers.models import Parentage

    rows = bitemporal_at(
        Parentage.objects.filter(child__personal_number=personal_number), valid_at=clock.today()
    )
    return sorted(rows.values_list("parent__personal_number", flat=True))
