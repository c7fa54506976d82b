"""What each extracted field, and each kind of personal data found, is called on pages, in
the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "personal_number": _("personal number"),
    "iban": _("IBAN"),
    "case_reference": _("case reference"),
    "date": _("date"),
    "birth_date": _("date of birth"),
    "death_date": _("date of death"),
    "start_date": _("start date"),
    "end_date": _("end date"),
    "period": _("period"),
    "employer": _("employer"),
    "sender": _("sender"),
    "landlord": _("landlord"),
    "gross_amount": _("gross amount"),
    "net_amount": _("net amount"),
    "total_amount": _("total amount"),
    "rent_amount": _("rent"),
    "opening_balance": _("opening balance"),
    "closing_balance": _("closing balance"),
    "invoice_number": _("invoice number"),
}


#: What each kind of personal data found is called on pages.
KIND_LABELS = {
    "personal-number": _("personal number"),
    "iban": _("IBAN"),
    "email": _("e-mail address"),
    "phone": _("phone number"),
    "date-of-birth": _("date of birth"),
    "name": _("name"),
    "relative-name": _("a relative's name"),
    "address": _("address"),
}


def field_label(name: str) -> str:
    """The field's name for a label: its first letter upper case ("IBAN" stays "IBAN")."""
    label = str(FIELD_LABELS.get(name, name.replace("_", " ")))
    return label[:1].upper() + label[1:]


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
