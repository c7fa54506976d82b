"""What each extracted field is called on pages, in the reader's language."""

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


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name.replace("_", " ")))
