"""The persons register: identity, residence and family relations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civic.registers.catalogue.schema import (
    Attribute,
    P,
    RecordType,
    Register,
    S,
    time_attributes,
)

PERSONS = Register(
    key="persons",
    name=_("Persons"),
    authority="havenstad",
    legal_basis="Wet basisregistratie personen (Basic Registration of Persons Act), art. 1.2",
    description=_(
        "Everyone who lives or has lived in the municipality: identity, residence and family relations."
    ),
    subject="person",
    always_delivered=("identity.confidential",),
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
                    stored_clear=_("Every lookup of a person is by this number (an index)."),
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
                    refers_to="persons",
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
                *time_attributes(P, None),
            ],
        ),
        RecordType(
            key="residence",
            model="Residence",
            description=_("Who lived at which address, and when."),
            attributes=[
                Attribute(
                    "person",
                    _("The resident (personal number)."),
                    "reference",
                    S,
                    None,
                    refers_to="persons",
                ),
                Attribute(
                    "address", _("The address lived at (address identifier)."), "reference", P, None
                ),
                *time_attributes(P, None),
            ],
        ),
        RecordType(
            key="partnership",
            model="Partnership",
            description=_("Marriages and registered partnerships."),
            attributes=[
                Attribute(
                    "person",
                    _("One partner (personal number)."),
                    "reference",
                    S,
                    None,
                    refers_to="persons",
                ),
                Attribute(
                    "partner",
                    _("The other partner (personal number)."),
                    "reference",
                    S,
                    None,
                    refers_to="persons",
                ),
                Attribute("kind", _("Marriage or registered partnership."), "code", P, None),
                *time_attributes(P, None),
            ],
        ),
        RecordType(
            key="parentage",
            model="Parentage",
            description=_("Parent and child, from birth or adoption."),
            attributes=[
                Attribute(
                    "parent",
                    _("The parent (personal number)."),
                    "reference",
                    S,
                    None,
                    refers_to="persons",
                ),
                Attribute(
                    "child",
                    _("The child (personal number)."),
                    "reference",
                    S,
                    None,
                    refers_to="persons",
                ),
                *time_attributes(P, None),
            ],
        ),
    ],
)
