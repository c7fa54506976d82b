"""The businesses, income and vehicles registers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civic.registers.catalogue.schema import (
    PUB,
    Attribute,
    P,
    RecordType,
    Register,
    S,
    time_attributes,
)

BUSINESSES = Register(
    key="businesses",
    name=_("Businesses"),
    authority="chamber-of-commerce",
    legal_basis="Handelsregisterwet 2007 (Trade Register Act), art. 2",
    description=_(
        "Businesses and legal entities, their activities, addresses, owners and representatives."
    ),
    subject="business",
    records=[
        RecordType(
            key="business",
            model="Business",
            description=_("The business's lasting identifier."),
            attributes=[
                Attribute(
                    "registration_number",
                    _("Registration number: 8 digits, the last a Luhn check digit."),
                    "string",
                    PUB,
                    None,
                ),
            ],
        ),
        RecordType(
            key="registration",
            model="BusinessRecord",
            description=_(
                "The business's name, legal form, activity and address; valid from its start to its end."
            ),
            attributes=[
                Attribute(
                    "business", _("The business (registration number)."), "reference", PUB, None
                ),
                Attribute("name", _("Trade name."), "string", PUB, None),
                Attribute("legal_form", _("Legal form."), "code", PUB, None),
                Attribute("activity_code", _("Main activity, SBI code."), "code", PUB, None),
                Attribute(
                    "address", _("Business address (address identifier)."), "reference", PUB, None
                ),
                *time_attributes(PUB, None),
            ],
        ),
        RecordType(
            key="role",
            model="BusinessRole",
            description=_("Owners and representatives of the business."),
            attributes=[
                Attribute(
                    "business", _("The business (registration number)."), "reference", PUB, 10
                ),
                Attribute(
                    "person",
                    _("The owner or representative (personal number)."),
                    "reference",
                    S,
                    10,
                    _("Ten years after the role ended."),
                    refers_to="persons",
                ),
                Attribute("role", _("Owner or representative."), "code", P, 10),
                *time_attributes(P, 10),
            ],
        ),
    ],
)

INCOME = Register(
    key="income",
    name=_("Income"),
    authority="tax-administration",
    legal_basis="Algemene wet inzake rijksbelastingen (General Tax Act), art. 21e",
    description=_(
        "Yearly gross income per person by source, as assessed by the tax administration."
    ),
    subject="person",
    records=[
        RecordType(
            key="income",
            model="Income",
            description=_("One year's income from one source."),
            attributes=[
                Attribute(
                    "person",
                    _("The earner (personal number)."),
                    "reference",
                    S,
                    7,
                    _("Seven years after the tax year, the fiscal retention period."),
                    refers_to="persons",
                ),
                Attribute(
                    "year",
                    _("Calendar year."),
                    "integer",
                    S,
                    7,
                    stored_clear=_("The register finds a person's income by year (an index)."),
                ),
                Attribute(
                    "source", _("Employment, self-employment, benefits or pension."), "code", S, 7
                ),
                Attribute(
                    "amount",
                    _("Gross amount in whole euros; a loss is negative."),
                    "integer",
                    S,
                    7,
                ),
                *time_attributes(S, 7),
            ],
        ),
    ],
)

VEHICLES = Register(
    key="vehicles",
    name=_("Vehicles"),
    authority="vehicle-authority",
    legal_basis="Wegenverkeerswet 1994 (Road Traffic Act), art. 41",
    description=_("Registered motor vehicles, their fuel and emissions class, and who owns them."),
    subject="vehicle",
    records=[
        RecordType(
            key="vehicle",
            model="Vehicle",
            description=_("The vehicle and its technical data."),
            attributes=[
                Attribute("plate", _("Registration plate."), "string", P, None),
                Attribute("make", _("Make."), "string", PUB, None),
                Attribute(
                    "fuel", _("Fuel: petrol, diesel, electric, hybrid or LPG."), "code", PUB, None
                ),
                Attribute(
                    "emissions_class",
                    _("European emissions class (Euro 1–6), or Z for zero emission."),
                    "code",
                    PUB,
                    None,
                ),
                Attribute("first_registered", _("Date of first registration."), "date", PUB, None),
            ],
        ),
        RecordType(
            key="ownership",
            model="VehicleOwnership",
            description=_("Who owned the vehicle, and when."),
            attributes=[
                Attribute(
                    "vehicle",
                    _("The vehicle (plate)."),
                    "reference",
                    P,
                    5,
                    _("Five years after ownership ended."),
                ),
                Attribute(
                    "owner",
                    _("The owner (personal number)."),
                    "reference",
                    S,
                    5,
                    refers_to="persons",
                ),
                *time_attributes(P, 5),
            ],
        ),
    ],
)
