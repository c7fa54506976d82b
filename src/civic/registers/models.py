"""Tables of the base registers. Facts are bitemporal:

* valid time ``[valid_from, valid_to)``: when the fact was true in the world (dates);
* record time ``[recorded_from, recorded_to)``: when the register held that version.

A fact is never updated in place. A move ends the old residence by superseding its open row
(``recorded_to`` set) with a closed copy, and adds a new row; a correction supersedes the
wrong row with the right one. ``NULL`` means "until further notice" on either axis.
Anchors (Person, Business, Vehicle) hold only the identifier that never changes.
Foreign keys that lead a composite ``(subject, valid_from)`` index have no index of their own.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.core.sealable import SealableIntegerField


class Bitemporal(models.Model):
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    recorded_from = models.DateTimeField(_("recorded from"))
    recorded_to = models.DateTimeField(_("recorded until"), null=True, blank=True)

    class Meta:
        abstract = True


class Person(models.Model):
    personal_number = models.CharField(_("personal number"), max_length=9, unique=True)

    def __str__(self) -> str:
        return self.personal_number


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    UNKNOWN = "X", _("unspecified")


class PersonRecord(Bitemporal):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="records", db_index=False
    )
    given_names = models.CharField(_("given names"), max_length=200)
    family_name_prefix = models.CharField(_("family name prefix"), max_length=20, blank=True)
    family_name = models.CharField(_("family name"), max_length=200)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    nationality = models.CharField(
        _("nationality"), max_length=100, help_text="ISO 3166-1 alpha-3; encrypted at rest"
    )
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("The person asked that their data not be passed to third parties."),
    )

    class Meta:
        indexes = [models.Index(fields=["person", "valid_from"], name="personrecord_person_valid")]


class Neighbourhood(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    municipality = models.CharField(_("municipality"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))


class Address(models.Model):
    """An addressable object (a home or premises). Built and demolished in valid time."""

    identifier = models.CharField(_("address identifier"), max_length=16, unique=True)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.PositiveIntegerField(_("house number"))
    house_letter = models.CharField(_("house letter"), max_length=1, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, db_index=True)
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT)
    municipality = models.CharField(_("municipality"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    recorded_from = models.DateTimeField(_("recorded from"))


class Residence(Bitemporal):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="residences", db_index=False
    )
    address = models.ForeignKey(
        Address, on_delete=models.PROTECT, related_name="residences", db_index=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["person", "valid_from"], name="residence_person_valid"),
            models.Index(fields=["address", "valid_from"], name="residence_address_valid"),
        ]


class PartnershipKind(models.TextChoices):
    MARRIAGE = "marriage", _("marriage")
    REGISTERED = "registered", _("registered partnership")


class Partnership(Bitemporal):
    """One row per direction, so that "the partner of X" is one indexed lookup."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="partnerships", db_index=False
    )
    partner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(_("kind"), max_length=12, choices=PartnershipKind.choices)

    class Meta:
        indexes = [models.Index(fields=["person", "valid_from"], name="partnership_person_valid")]


class Parentage(Bitemporal):
    parent = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="children_rows", db_index=False
    )
    child = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="parent_rows", db_index=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["parent", "valid_from"], name="parentage_parent_valid"),
            models.Index(fields=["child", "valid_from"], name="parentage_child_valid"),
        ]


class Business(models.Model):
    registration_number = models.CharField(_("registration number"), max_length=8, unique=True)


class LegalForm(models.TextChoices):
    SOLE = "sole_proprietorship", _("sole proprietorship")
    PARTNERSHIP = "general_partnership", _("general partnership")
    PRIVATE_COMPANY = "private_limited_company", _("private limited company")
    FOUNDATION = "foundation", _("foundation")
    ASSOCIATION = "association", _("association")


class BusinessRecord(Bitemporal):
    """``valid_from`` is the day the business started, ``valid_to`` the day it ended."""

    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="records", db_index=False
    )
    name = models.CharField(_("trade name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    activity_code = models.CharField(_("activity code"), max_length=5, help_text="SBI code")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["business", "valid_from"], name="businessrecord_valid")]


class BusinessRoleKind(models.TextChoices):
    OWNER = "owner", _("owner")
    REPRESENTATIVE = "representative", _("representative")


class BusinessRole(Bitemporal):
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="roles", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="business_roles", db_index=False
    )
    role = models.CharField(_("role"), max_length=20, choices=BusinessRoleKind.choices)

    class Meta:
        indexes = [
            models.Index(fields=["business", "valid_from"], name="businessrole_business_valid"),
            models.Index(fields=["person", "valid_from"], name="businessrole_person_valid"),
        ]


class IncomeSource(models.TextChoices):
    EMPLOYMENT = "employment", _("employment")
    SELF_EMPLOYMENT = "self_employment", _("self-employment")
    BENEFITS = "benefits", _("benefits")
    PENSION = "pension", _("pension")


class Income(Bitemporal):
    """A yearly amount; valid time is the calendar year, record time when the tax office knew.
    A loss (self-employment) is a negative amount: the register records it as it is, and the
    rules say how it counts."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="incomes", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(
        _("source"), max_length=100, choices=IncomeSource.choices, help_text="encrypted at rest"
    )
    amount = SealableIntegerField(
        _("amount"), help_text="whole euros, gross; a loss is negative; encrypted at rest"
    )

    class Meta:
        indexes = [models.Index(fields=["person", "year"], name="income_person_year")]


class Fuel(models.TextChoices):
    PETROL = "petrol", _("petrol")
    DIESEL = "diesel", _("diesel")
    ELECTRIC = "electric", _("electric")
    HYBRID = "hybrid", _("hybrid")
    LPG = "lpg", _("LPG")


class Vehicle(models.Model):
    plate = models.CharField(_("registration plate"), max_length=8, unique=True)
    make = models.CharField(_("make"), max_length=40)
    fuel = models.CharField(_("fuel"), max_length=10, choices=Fuel.choices)
    emissions_class = models.CharField(_("emissions class"), max_length=10)
    first_registered = models.DateField(_("first registered"))


class VehicleOwnership(Bitemporal):
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, related_name="ownerships", db_index=False
    )
    owner = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="vehicles", db_index=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["vehicle", "valid_from"], name="ownership_vehicle_valid"),
            models.Index(fields=["owner", "valid_from"], name="ownership_owner_valid"),
        ]


class Jurisdiction(models.Model):
    """The synthetic jurisdiction this database holds (at most one row)."""

    name = models.CharField(max_length=100)
    municipality_code = models.CharField(max_length=4)
    seed = models.BigIntegerField()
    residents = models.PositiveIntegerField()
    history_from = models.DateField()
    history_until = models.DateField()
    generated_at = models.DateTimeField()
    summary = models.JSONField(default=dict)


class CorrectionRequest(models.Model):
    """A resident's report that a register value about them is wrong, for the authority to check."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        CORRECTED = "corrected", _("corrected")
        REJECTED = "rejected", _("not corrected")

    reference = models.CharField(max_length=20, unique=True)
    personal_number = models.CharField(max_length=9, db_index=True)
    filed_by = models.CharField(
        max_length=9, help_text="Who filed it (a parent or representative, perhaps)."
    )
    register = models.CharField(max_length=40)
    attribute = models.CharField(max_length=80)
    shown_value = models.CharField(max_length=300, blank=True)
    explanation = models.TextField()
    authority = models.CharField(max_length=40, help_text="Agency code of the register's authority")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    filed_at = models.DateTimeField()
