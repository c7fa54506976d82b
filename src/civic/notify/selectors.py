"""Reads of notify for pages and other apps. A resident only ever gets their own messages."""

from __future__ import annotations

from typing import Any

from civic.notify.models import Delivery, Message, Preference, Template


def inbox_page(*, personal_number: str, offset: int = 0, limit: int = 25) -> dict[str, Any]:
    """The resident's messages, newest first: ``messages`` (this page), ``total`` and ``unread``."""
    mine = Message.objects.filter(recipient=personal_number)
    return {
        "messages": list(mine.order_by("-created_at", "-id")[offset : offset + limit]),
        "total": mine.count(),
        "unread": unread_count(personal_number=personal_number),
    }


def unread_count(*, personal_number: str) -> int:
    return Message.objects.filter(recipient=personal_number, read_at__isnull=True).count()


def message_get(*, personal_number: str, message_id: int) -> Message | None:
    """The resident's own message, or None (also for a message to anyone else)."""
    return Message.objects.filter(recipient=personal_number, pk=message_id).first()


def messages_about(*, personal_number: str, reference: str) -> list[Message]:
    """The resident's messages about one case (by its reference), newest first."""
    return list(
        Message.objects.filter(recipient=personal_number, reference=reference).order_by(
            "-created_at", "-id"
        )
    )


def deliveries_for_message(*, message_id: int) -> list[Delivery]:
    """How the message went out: the inbox, and email and SMS if the resident chose them."""
    return list(Delivery.objects.filter(message_id=message_id).order_by("id"))


def preference_get(*, personal_number: str) -> Preference | None:
    return Preference.objects.filter(personal_number=personal_number).first()


def contact_email(personal_number: str) -> str | None:
    """The e-mail address the resident registered for messages, if any (login codes go there
    even when they chose not to hear of new messages by e-mail)."""
    email = (
        Preference.objects.filter(personal_number=personal_number)
        .values_list("email", flat=True)
        .first()
    )
    return email or None


def template_codes() -> list[str]:
    return list(Template.objects.order_by("code").values_list("code", flat=True))


def messages_exported(*, personal_number: str) -> list[dict[str, Any]]:
    """Every inbox message of the person, oldest first, for their access export."""
    return [
        {
            "sent_at": row["created_at"].isoformat(),
            "subject": row["subject"],
            "text": row["body"],
            "reference": row["reference"],
            "language": row["language"],
            "attachment": row["attachment_name"],
            "read_at": row["read_at"].isoformat() if row["read_at"] else None,
        }
        for row in Message.objects.filter(recipient=personal_number)
        .order_by("created_at", "id")
        .values(
            "created_at", "subject", "body", "reference", "language", "attachment_name", "read_at"
        )
    ]
