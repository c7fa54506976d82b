"""Builders for the exchange tests: purposes, partner clients with grants, staff, subjects."""

from __future__ import annotations

import itertools

from civic.exchange import services
from civic.exchange.actors import Actor
from civic.exchange.models import LegalGround, Purpose
from civic.identity import services as identity
from civic.identity.selectors import agency_get
from tests.builders import create_agency

_counter = itertools.count(1)

PERSON_FIELDS = [
    "identity.given_names",
    "identity.family_name",
    "identity.birth_date",
    "residence.address",
]


def create_purpose(
    *,
    code: str | None = None,
    legal_ground: str = LegalGround.PUBLIC_TASK,
    confidential: bool = False,
    embargo_days: int = 0,
) -> Purpose:
    return services.purpose_ensure(
        code=code or f"purpose-{next(_counter)}",
        name="Assess child benefit",
        description="We check who lives with the child to decide on child benefit.",
        controller=agency_get(code="social-insurance-bank"),
        legal_ground=legal_ground,
        legal_basis="Algemene Kinderbijslagwet, art. 7",
        confidential=confidential,
        embargo_days=embargo_days,
    )


def create_partner(
    *,
    purpose: Purpose | None = None,
    register: str = "persons",
    attributes: list[str] | None = None,
):
    """An API client of a national agency, with a grant (unless purpose is None); returns
    (client, secret, actor)."""
    agency = agency_get(code="social-insurance-bank") or create_agency(code="social-insurance-bank")
    client, secret = identity.api_client_create(agency=agency, name=f"Partner {next(_counter)}")
    if purpose is not None:
        services.grant_create(
            purpose=purpose,
            register=register,
            attributes=attributes or PERSON_FIELDS,
            api_client=client,
        )
    return client, secret, Actor.api_client(client)


def addresses_in_a_row(count: int) -> list[str]:
    """``count`` address identifiers of the test jurisdiction, in their order: a harvester's walk."""
    from civic.registers.models import Address

    return list(Address.objects.order_by("identifier").values_list("identifier", flat=True)[:count])


def residents_scattered(count: int) -> list[str]:
    """Personal numbers of ``count`` people spread over the register, as case work asks for them."""
    from civic.registers.models import Person

    numbers = list(
        Person.objects.order_by("personal_number").values_list("personal_number", flat=True)
    )
    step = max(1, len(numbers) // count)
    return numbers[::step][:count]
