"""The catalogue's vocabulary: registers, their record types and attributes, and the
classifications of personal data. Imports only Django's translation helpers."""

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


#: Attribute types that join and filter records: never encrypted.
CLEAR_TYPES = ("reference", "date", "datetime")


@dataclass(frozen=True)
class Attribute:
    name: str
    description: str | Promise
    type: str
    classification: str
    #: Years the value is kept after the record is closed (superseded or ended); None: for good.
    retention_years: int | None
    retention_note: str | Promise = ""
    #: The register whose subject this value identifies ("persons": a personal number). The
    #: exchange logs a release of it in that person's own tracker too.
    refers_to: str = ""
    #: Why a sensitive or special-category value is stored in clear rather than encrypted
    #: (a key the register looks records up by); empty: the catalogue's rule decides.
    stored_clear: str | Promise = ""

    @property
    def encrypted(self) -> bool:
        """Stored encrypted (AES-GCM, docs/privacy.md): sensitive and special-category values,
        except references and times (the keys of every lookup) and those ``stored_clear``."""
        return (
            self.classification in (Classification.SENSITIVE, Classification.SPECIAL_CATEGORY)
            and self.type not in CLEAR_TYPES
            and not self.stored_clear
        )


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
    #: Attributes released with every answer about a subject, asked for or not, because the
    #: recipient must respect them (a person's wish that their data not be passed on).
    always_delivered: tuple[str, ...] = ()

    def attribute_names(self) -> list[str]:
        return [f"{record.key}.{a.name}" for record in self.records for a in record.attributes]

    def attribute_get(self, name: str) -> Attribute | None:
        """The attribute named ``record.attribute`` (``identity.given_names``), or None."""
        record_key, _dot, attribute = name.partition(".")
        for record in self.records:
            if record.key == record_key:
                return next((a for a in record.attributes if a.name == attribute), None)
        return None

    def references(self, register: str) -> set[str]:
        """The attribute names whose values identify a subject of ``register``."""
        return {
            f"{record.key}.{a.name}"
            for record in self.records
            for a in record.attributes
            if a.refers_to == register
        }


P, S, PUB = Classification.PERSONAL, Classification.SENSITIVE, Classification.PUBLIC


def time_attributes(classification: str, retention: int | None) -> list[Attribute]:
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
