"""Sending for a population run (a proactive run's offers): ``notification_send`` for many
residents at once, the template parsed once per batch, preferences and languages read once
per batch, rows written in bulk. Re-exported by notify.services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context
from django.utils import translation
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import NotFound
from civic.core.i18n import tr
from civic.identity.selectors import resident_languages
from civic.notify.dispatch import message_dispatch
from civic.notify.models import Delivery, Message, Preference, Template
from civic.notify.rendering import _ENGINE, context_value


@transaction.atomic
def notifications_send_bulk(*, template: str, messages: list[tuple[str, dict, str]]) -> int:
    """``notification_send`` for a population run: one inbox message per (personal number,
    context, reference), the template, preferences and account languages read once per batch
    and the rows written in bulk. Email and SMS leave after the commit, as for one message."""
    found = Template.objects.filter(code=template).first()
    if found is None:
        raise NotFound(_("There is no message template %(code)s.") % {"code": template})

    numbers = [number for number, _context, _reference in messages]
    preferences: dict[str, Preference] = {}
    accounts: dict[str, str] = {}
    for start in range(0, len(numbers), 500):  # SQLite caps the parameters of one statement
        batch = numbers[start : start + 500]
        preferences.update(
            (p.personal_number, p) for p in Preference.objects.filter(personal_number__in=batch)
        )
        accounts.update(resident_languages(personal_numbers=batch))
    codes = {code for code, _name in settings.LANGUAGES}
    now = clock.now()
    rows: list[Message] = []
    compiled: dict[tuple[str, str], Any] = {}  # each text parsed once a batch, not per message
    for number, context, reference in messages:
        preference = preferences.get(number)
        language = next(
            (
                c
                for c in (preference.language if preference else None, accounts.get(number))
                if c in codes
            ),
            settings.LANGUAGE_CODE,
        )
        # Written in every language, so the inbox shows it in the reader's (see Message).
        texts = {
            code: {
                "subject": " ".join(
                    _render_compiled(compiled, tr(found.subject, code), context, code).split()
                )[:300],
                "body": _render_compiled(compiled, tr(found.body, code), context, code),
            }
            for code in codes
        }
        rows.append(
            Message(
                recipient=number,
                subject=texts[language]["subject"],
                body=texts[language]["body"],
                texts=texts,
                template_code=found.code,
                language=language,
                reference=reference[:100],
                created_at=now,
            )
        )
    Message.objects.bulk_create(rows, batch_size=500)
    deliveries = [
        Delivery(
            message=message,
            channel=Delivery.Channel.INBOX,
            address=message.recipient,
            status=Delivery.Status.SENT,
            attempts=1,
            sent_at=now,
        )
        for message in rows
    ]
    outgoing: list[int] = []
    for message in rows:
        preference = preferences.get(message.recipient)
        wanted = []
        if preference and preference.by_email and preference.email:
            wanted.append((Delivery.Channel.EMAIL, preference.email))
        if preference and preference.by_sms and preference.phone:
            wanted.append((Delivery.Channel.SMS, preference.phone))
        for channel, address in wanted:
            deliveries.append(
                Delivery(message=message, channel=channel, address=address, next_attempt_at=now)
            )
        if wanted:
            outgoing.append(message.pk)
    Delivery.objects.bulk_create(deliveries, batch_size=500)
    for message_id in outgoing:
        # A named callable (see services.notification_send): robust on_commit logs failures by
        # __qualname__, which functools.partial lacks.
        transaction.on_commit(_later(message_id), robust=True)
    return len(rows)


def _render_compiled(
    compiled: dict[tuple[str, str], Any], source: str, context: dict, language: str
) -> str:
    """``rendering.render`` with the parsed template kept in ``compiled``: the same text for
    the same source, context and language, without parsing the source again for every
    message of a population run."""
    template = compiled.get((source, language))
    if template is None:
        with translation.override(language):
            template = compiled[(source, language)] = _ENGINE.from_string(source)
    values = {key: context_value(value, language) for key, value in context.items()}
    with translation.override(language):
        return template.render(Context(values, autoescape=False)).strip()


def _later(message_id: int):
    def dispatch_message() -> None:
        message_dispatch(message_id)

    return dispatch_message
