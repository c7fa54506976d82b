"""Delivering a message's email and SMS: one try of one delivery, the tries that are due, and
the wait before the next. Re-exported by notify.services; the Celery tasks (notify.tasks) and
the dispatch after a send (notify.dispatch) call it directly, below the services.

:func:`delivery_attempt` talks to a mail server or SMS provider between two short writes
rather than inside one transaction, so that a slow server never holds the database.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from civic.core import clock
from civic.notify import sms
from civic.notify.models import Delivery, Message, Preference

log = logging.getLogger("civic.notify")

#: A claimed delivery is not tried by another process for this long.
LEASE = dt.timedelta(minutes=5)


def message_deliver(*, message_id: int) -> list[str]:
    """Try the message's waiting email and SMS deliveries; returns their new statuses."""
    due = Delivery.objects.filter(
        message_id=message_id,
        status__in=[Delivery.Status.QUEUED, Delivery.Status.FAILED],
        next_attempt_at__lte=clock.now(),
    ).exclude(channel=Delivery.Channel.INBOX)
    return [delivery_attempt(delivery=delivery) for delivery in due]


def deliveries_retry_due(*, limit: int = 200) -> dict[str, int]:
    """Try the email and SMS deliveries that are due, longest waiting first; returns how many
    ended in each status."""
    due = list(
        Delivery.objects.filter(
            status__in=[Delivery.Status.QUEUED, Delivery.Status.FAILED],
            next_attempt_at__lte=clock.now(),
        )
        .exclude(channel=Delivery.Channel.INBOX)
        .order_by("next_attempt_at", "id")[:limit]
    )
    counts: dict[str, int] = {}
    for delivery in due:
        status = delivery_attempt(delivery=delivery)
        counts[status] = counts.get(status, 0) + 1
    return counts


def retry_wait(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed try: CIVIC_NOTIFY_RETRY_SECONDS, doubling."""
    return dt.timedelta(seconds=settings.NOTIFY_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def delivery_attempt(*, delivery: Delivery) -> str:
    """Send one email or SMS if it is due and no other process has it; returns its status.

    A failure is kept with its error and tried again after :func:`retry_wait`; after
    CIVIC_NOTIFY_MAX_ATTEMPTS tries it is given up. ``delivery`` is refreshed in place.
    """
    now = clock.now()
    claimed = Delivery.objects.filter(
        pk=delivery.pk,
        status__in=[Delivery.Status.QUEUED, Delivery.Status.FAILED],
        next_attempt_at__lte=now,
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        delivery.refresh_from_db()
        return delivery.status
    delivery.refresh_from_db()
    try:
        _send(delivery)
    except Exception as error:  # whatever the server or provider says: keep it, try again later
        attempts = delivery.attempts + 1
        given_up = attempts >= settings.NOTIFY_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts,
            status=Delivery.Status.GIVEN_UP if given_up else Delivery.Status.FAILED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=None if given_up else clock.now() + retry_wait(attempts),
        )
        log.warning(
            "%s delivery %s of message %s failed (attempt %s%s): %s",
            delivery.channel,
            delivery.pk,
            delivery.message_id,
            attempts,
            ", given up" if given_up else "",
            error,
        )
    else:
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=delivery.attempts + 1,
            status=Delivery.Status.SENT,
            sent_at=clock.now(),
            last_error="",
            next_attempt_at=None,
        )
    delivery.refresh_from_db()
    return delivery.status


def _reader_language(message: Message) -> str:
    """The language the recipient chose for messages now (they may have changed it since the
    message was written), else the one it was written in."""
    chosen = (
        Preference.objects.filter(personal_number=message.recipient)
        .values_list("language", flat=True)
        .first()
    )
    return chosen if chosen in {code for code, _name in settings.LANGUAGES} else message.language


def _send(delivery: Delivery) -> None:
    message = delivery.message
    subject, body, language = message.text_in(_reader_language(message))
    if delivery.channel == Delivery.Channel.EMAIL:
        with translation.override(language):
            footer = _("You can also read this message in your Civic inbox.")
        email = EmailMessage(
            subject=subject,
            body=f"{body}\n\n{footer}\n",
            to=[delivery.address],
            headers={"X-Civic-Delivery": str(delivery.pk)},
        )
        if message.attachment:
            with message.attachment.open("rb") as file:
                email.attach(
                    message.attachment_name,
                    file.read(),
                    message.attachment_type or "application/octet-stream",
                )
        if email.send(fail_silently=False) != 1:
            raise OSError("the mail backend did not take the message")
    elif delivery.channel == Delivery.Channel.SMS:
        with translation.override(language):
            text = _("New message in your Civic inbox: %(subject)s") % {"subject": subject}
        sms.provider().send(
            to=delivery.address, text=text[: sms.MAX_LENGTH], reference=f"civic-{delivery.pk}"
        )
