"""Builders for notify's tests: residents, a PDF, and sending as the app does after a commit."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from civic.notify.models import Message
from civic.notify.services import notification_send

#: The smallest PDF a reader opens: enough to check the bytes come back unchanged.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
SERVICE = {"en": "Child benefit", "nl": "Kinderbijslag"}


def two_residents() -> tuple[str, str]:
    from civic.registers.models import Person

    first, second = Person.objects.order_by("id").values_list("personal_number", flat=True)[:2]
    return first, second


def send(personal_number: str, template: str = "case-received", **kwargs) -> Message:
    """notification_send, with the deliveries that follow its commit run as they would be."""
    kwargs.setdefault("reference", "CASE-2026-000123")
    kwargs.setdefault(
        "context",
        {
            "reference": kwargs["reference"],
            "service": SERVICE,
            "submitted_at": dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC),
        },
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        return notification_send(personal_number=personal_number, template=template, **kwargs)
