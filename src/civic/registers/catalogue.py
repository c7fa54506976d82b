"""The register catalogue: what each base register holds, who is its authority, on what legal
basis, and for every attribute its meaning, type, classification and retention.

The exchange will decide grants and the always-delivered attributes from this catalogue; the
portal shows residents which authority each of their values comes from. Kept as code so that it
changes with the models in one commit; a test checks that every column of every register table
is described here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Classification:
    PUBLIC = "public"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"
    SPECIAL_CATEGORY = "special_category"

    ALL = (PUBLIC, PERSONAL, SENSITIVE, SPECIAL_CATEGORY)


@dataclass(frozen=True)
class Attribute:
    name: str
    description: str | Promise
    type: str
    classification: str
    #: Years the value is kept after the record is closed (superseded or ended); None: for good.
    retention_years: int | None
    retention_note: str | Promise = ""


@dataclass(frozen=True)
class RecordType:
    """One table of a register; ``model`` names the model in registers.models."""

    key: str
    model: str
    description: str | Promise
    attributes: list[Attribute]


@dataclass(frozen=True)
class Register:
    key: str
    name: str | Promise
    authority: str  # agency code
    legal_basis: str
    description: str | Promise
    subject: str  # what a subject id of this register is: person / address / business / vehicle
    records: list[RecordType] = field(default_factory=list)

    def attribute_names(self) -> list[str]:
        return [f"{record.key}.{a.name}" for record in self.records for a in record.attributes]


P, S, PUB = Classification.PERSONAL, Classification.SENSITIVE, Classification.PUBLIC


def _time_attributes(classification: str, retention: int | None) -> list[Attribute]:
    """The bitemporal columns every fact carries."""
    return [
        Attribute(
            "valid_from", _("First day the fact was true."), "date", classification, retention
        ),
        Attribute(
            "valid_to",
            _("First day the fact was no longer true; empty while it holds."),
            "date",
            classification,
            retention,
        ),
        Attribute(
            "recorded_from",
            _("When the register recorded this version."),
            "datetime",
            classification,
            retention,
        ),
        Attribute(
            "recorded_to",
            _("When this version was superseded; empty while current."),
            "datetime",
            classification,
            retention,
        ),
    ]


PERSONS = Register(
    key="persons",
    name=_("Persons"),
    authority="havenstad",
    legal_basis="Wet basisregistratie personen (Basic Registration of Persons Act), art. 1.2",
    description=_(
        "Everyone who lives or has lived in the municipality: identity, residence and family relations."
    ),
    subject="person",
    records=[
        RecordType(
            key="person",
            model="Person",
            description=_("The person's lasting identifier."),
            attributes=[
                Attribute(
                    "personal_number",
                    _("National personal number: 9 digits with a modulus-11 check."),
                    "string",
                    S,
                    None,
                    _("Kept for good: it ties the person's records together."),
                ),
            ],
        ),
        RecordType(
            key="identity",
            model="PersonRecord",
            description=_("Names, birth, sex, nationality and death, as versions in time."),
            attributes=[
                Attribute(
                    "person",
                    _("The person the record is about (personal number)."),
                    "reference",
                    S,
                    None,
                ),
                Attribute("given_names", _("Given names, in full."), "string", P, None),
                Attribute(
                    "family_name_prefix",
                    _("Prefix of the family name (van, de, van der)."),
                    "string",
                    P,
                    None,
                ),
                Attribute("family_name", _("Family name."), "string", P, None),
                Attribute("birth_date", _("Date of birth."), "date", P, None),
                Attribute("sex", _("Sex as registered: F, M or X."), "code", P, None),
                Attribute("nationality", _("Nationality, ISO 3166-1 alpha-3."), "code", S, None),
                Attribute(
                    "date_of_death",
                    _("Date of death; empty while the person lives."),
                    "date",
                    P,
                    None,
                ),
                Attribute(
                    "confidential",
                    _(
                        "The person asked that their data not be passed to third parties; always delivered with a person."
                    ),
                    "boolean",
                    P,
                    None,
                ),
                *_time_attributes(P, None),
            ],
        ),
        RecordType(
            key="residence",
            model="Residence",
            description=_("Who lived at which address, and when."),
            attributes=[
                Attribute("person", _("The resident (personal number)."), "reference", S, None),
                Attribute(
                    "address", _("The address lived at (address identifier)."), "reference", P, None
                ),
                *_time_attributes(P, None),
            ],
        ),
        RecordType(
            key="partnership",
            model="Partnership",
            description=_("Marriages and registered partnerships."),
            attributes=[
                Attribute("person", _("One partner (personal number)."), "reference", S, None),
                Attribute(
                    "partner", _("The other partner (personal number)."), "reference", S, None
                ),
                Attribute("kind", _("Marriage or registered partnership."), "code", P, None),
                *_time_attributes(P, None),
            ],
        ),
        RecordType(
            key="parentage",
            model="Parentage",
            description=_("Parent and child, from birth or adoption."),
            attributes=[
                Attribute("parent", _("The parent (personal number)."), "reference", S, None),
                Attribute("child", _("The child (personal number)."), "reference", S, None),
                *_time_attributes(P, None),
            ],
        ),
    ],
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
                *_time_attributes(PUB, None),
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
                ),
                Attribute("role", _("Owner or representative."), "code", P, 10),
                *_time_attributes(P, 10),
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
                ),
                Attribute("year", _("Calendar year."), "integer", S, 7),
                Attribute(
                    "source", _("Employment, self-employment, benefits or pension."), "code", S, 7
                ),
                Attribute("amount", _("Gross amount in whole euros."), "integer", S, 7),
                *_time_attributes(S, 7),
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
                Attribute("owner", _("The owner (personal number)."), "reference", S, 5),
                *_time_attributes(P, 5),
            ],
        ),
    ],
)

REGISTERS: dict[str, Register] = {
    r.key: r for r in (PERSONS, ADDRESSES, BUSINESSES, INCOME, VEHICLES)
}


def register_get(key: str) -> Register | None:
    return REGISTERS.get(key)
