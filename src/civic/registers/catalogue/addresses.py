"""The addresses register: neighbourhoods and addressable objects."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civic.registers.catalogue.schema import (
    PUB,
    Attribute,
    RecordType,
    Register,
)

ADDRESSES = Register(
    key="addresses",
    name=_("Addresses"),
    authority="havenstad",
    legal_basis="Wet basisregistratie adressen en gebouwen (Addresses and Buildings Act), art. 2",
    description=_(
        "Every address in the municipality, with its neighbourhood and coordinates. Public."
    ),
    subject="address",
    records=[
        RecordType(
            key="neighbourhood",
            model="Neighbourhood",
            description=_("Neighbourhoods of the municipality, with their centre."),
            attributes=[
                Attribute("code", _("Neighbourhood code."), "string", PUB, None),
                Attribute("name", _("Neighbourhood name."), "string", PUB, None),
                Attribute(
                    "municipality",
                    _("Municipality the neighbourhood lies in."),
                    "string",
                    PUB,
                    None,
                ),
                Attribute("latitude", _("Latitude of the centre (WGS 84)."), "decimal", PUB, None),
                Attribute(
                    "longitude", _("Longitude of the centre (WGS 84)."), "decimal", PUB, None
                ),
            ],
        ),
        RecordType(
            key="address",
            model="Address",
            description=_("An addressable object: a home or premises."),
            attributes=[
                Attribute("identifier", _("Address identifier, 16 digits."), "string", PUB, None),
                Attribute("street", _("Street name."), "string", PUB, None),
                Attribute("house_number", _("House number."), "integer", PUB, None),
                Attribute("house_letter", _("House letter, if any."), "string", PUB, None),
                Attribute("postcode", _("Postcode (4 digits, 2 letters)."), "string", PUB, None),
                Attribute("neighbourhood", _("Neighbourhood code."), "reference", PUB, None),
                Attribute("municipality", _("Municipality."), "string", PUB, None),
                Attribute("latitude", _("Latitude (WGS 84)."), "decimal", PUB, None),
                Attribute("longitude", _("Longitude (WGS 84)."), "decimal", PUB, None),
                Attribute("valid_from", _("Day the address came into use."), "date", PUB, None),
                Attribute(
                    "valid_to",
                    _("Day the address was withdrawn; empty while in use."),
                    "date",
                    PUB,
                    None,
                ),
                Attribute(
                    "recorded_from",
                    _("When the register recorded the address."),
                    "datetime",
                    PUB,
                    None,
                ),
            ],
        ),
    ],
)
