"""Every write of notify: sending a notification, delivering and retrying it, the resident's
preferences, reading a message, and loading the message templates.

Keyword-only functions named ``<noun>_<verb>``, each atomic. One exception is deliberate:
:func:`delivery_attempt` talks to a mail server or SMS provider between two short writes
rather than inside one transaction, so that a slow server never holds the database.
Delivering and retrying live in notify.sending (the Celery tasks call it there) and sending
for a population run in notify.bulk; both are re-exported here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.core.i18n import tr
from civic.core.numbers import personal_number_clean
from civic.identity.selectors import resident_language
from civic.notify.bulk import notifications_send_bulk  # noqa: F401 (one place for writes)
from civic.notify.dispatch import message_dispatch
from civic.notify.models import Delivery, Message, Preference, Template
from civic.notify.rendering import render, template_check
from civic.notify.sending import (  # noqa: F401 (one place for writes)
    deliveries_retry_due,
    delivery_attempt,
    message_deliver,
    retry_wait,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
_PHONE_SEPARATORS = re.compile(r"[\s().\-/]")


class PreferenceRefused(CivicError):
    """Preferences that cannot be kept; ``problems`` maps each field to what is wrong with it."""

    code = "preference-refused"

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


# Templates ----------------------------------------------------------------------------------


@transaction.atomic
def templates_load(*, path: Path = DATA_DIR / "templates.json", overwrite: bool = False) -> int:
    """Create the message templates in the data file; with ``overwrite``, also replace the
    texts of existing ones (staff edits are kept otherwise). Returns how many were written."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CivicError(
            _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error}
        ) from None
    written = 0
    for item in items:
        texts = {
            "subject": item["subject"],
            "body": item["body"],
            "description": item.get("description", ""),
        }
        for language, source in [*item["subject"].items(), *item["body"].items()]:
            template_check(source=source, language=language)
        if overwrite:
            Template.objects.update_or_create(code=item["code"], defaults=texts)
            written += 1
        else:
            written += Template.objects.get_or_create(code=item["code"], defaults=texts)[1]
    return written


def _language(language: str | None, preference: Preference | None, number: str = "") -> str:
    """The asked language, else the one chosen for messages, else the one chosen on the
    account (the language switch), else the default."""

    codes = {code for code, _name in settings.LANGUAGES}
    for choice in (language, preference.language if preference else None):
        if choice in codes:
            return choice
    account = resident_language(personal_number=number) if number else ""
    return account if account in codes else settings.LANGUAGE_CODE


# Sending ------------------------------------------------------------------------------------


@transaction.atomic
def notification_send(
    *,
    personal_number: str,
    template: str,
    context: dict[str, Any],
    reference: str = "",
    attachment: tuple[str, bytes, str] | None = None,
    language: str | None = None,
) -> Message:
    """Write a message from ``template`` to the resident's inbox, in their language, and queue it
    by email and SMS as they chose. Email and SMS leave once the transaction commits.

    ``attachment`` is ``(file name, content, content type)``, e.g. a PDF of a form's answers.
    """
    number = personal_number_clean(personal_number)
    found = Template.objects.filter(code=template).first()
    if found is None:
        raise NotFound(_("There is no message template %(code)s.") % {"code": template})
    preference = Preference.objects.filter(personal_number=number).first()
    language = _language(language, preference, number)
    if attachment is not None:
        context = {"attachment_name": Path(attachment[0]).name, **context}
    try:
        texts = {
            code: {
                "subject": " ".join(render(tr(found.subject, code), context, code).split())[:300],
                "body": render(tr(found.body, code), context, code),
            }
            for code, _name in settings.LANGUAGES
        }
    except TemplateSyntaxError as error:
        raise CivicError(
            _("The message template %(code)s is broken: %(error)s")
            % {"code": template, "error": error}
        ) from None
    now = clock.now()
    message = Message(
        recipient=number,
        subject=texts[language]["subject"],
        body=texts[language]["body"],
        texts=texts,
        template_code=found.code,
        language=language,
        reference=reference[:100],
        created_at=now,
    )
    if attachment is not None:
        name, content, content_type = attachment
        message.attachment_name = Path(name).name[:200]
        message.attachment_type = content_type[:100]
        message.attachment.save(message.attachment_name, ContentFile(content), save=False)
    message.save()
    Delivery.objects.create(
        message=message,
        channel=Delivery.Channel.INBOX,
        address=number,
        status=Delivery.Status.SENT,
        attempts=1,
        sent_at=now,
    )
    wanted = []
    if preference and preference.by_email and preference.email:
        wanted.append((Delivery.Channel.EMAIL, preference.email))
    if preference and preference.by_sms and preference.phone:
        wanted.append((Delivery.Channel.SMS, preference.phone))
    for channel, address in wanted:
        Delivery.objects.create(
            message=message, channel=channel, address=address, next_attempt_at=now
        )
    if wanted:
        message_id = message.pk
        # A lambda, not functools.partial: Django's robust on_commit logs a failing callback
        # by its __qualname__, which a partial lacks, so a broker that is down would turn the
        # logging itself into an error of the resident's request.
        transaction.on_commit(lambda: message_dispatch(message_id), robust=True)
    return message


@transaction.atomic
def deliveries_requeue(*, delivery_ids: list[int]) -> int:
    """Operators: try failed or given-up deliveries again from the start (after fixing a mail
    server, say). Returns how many were queued."""
    return Delivery.objects.filter(
        pk__in=delivery_ids, status__in=[Delivery.Status.FAILED, Delivery.Status.GIVEN_UP]
    ).update(status=Delivery.Status.QUEUED, attempts=0, next_attempt_at=clock.now())


# The resident -------------------------------------------------------------------------------


def phone_normalise(raw: str) -> str:
    """``raw`` in international format (+31612345678), or "" when it is no phone number."""
    compact = _PHONE_SEPARATORS.sub("", raw or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif compact.startswith("0"):
        compact = f"+{settings.PHONE_COUNTRY_CODE}{compact[1:]}"
    digits = compact[1:]
    if (
        not compact.startswith("+")
        or not (digits.isascii() and digits.isdigit())
        or not 8 <= len(digits) <= 15
    ):
        return ""
    return compact


@transaction.atomic
def preference_set(
    *,
    personal_number: str,
    email: str = "",
    phone: str = "",
    by_email: bool = False,
    by_sms: bool = False,
    language: str | None = None,
) -> Preference:
    """Keep how the resident wants to hear of new messages; refuses, changing nothing, with
    :class:`PreferenceRefused` naming every field that is wrong."""
    number = personal_number_clean(personal_number)
    problems: dict[str, str] = {}
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems["email"] = _(
                "Enter an email address in the correct format, like name@example.com."
            )
    elif by_email:
        problems["email"] = _("Enter your email address, or do not choose email.")
    phone = (phone or "").strip()
    normalised = phone_normalise(phone)
    if phone and not normalised:
        problems["phone"] = _("Enter a mobile phone number, like 06 12345678 or +31 6 12345678.")
    elif by_sms and not phone:
        problems["phone"] = _("Enter your mobile phone number, or do not choose text message.")
    codes = {code for code, _name in settings.LANGUAGES}
    if language is not None and language not in codes:
        problems["language"] = _("Choose the language of your messages.")
    if problems:
        raise PreferenceRefused(problems)
    preference, _created = Preference.objects.update_or_create(
        personal_number=number,
        defaults={
            "email": email,
            "phone": normalised,
            "by_email": by_email,
            "by_sms": by_sms,
            "language": language
            or Preference.objects.filter(personal_number=number)
            .values_list("language", flat=True)
            .first()
            or settings.LANGUAGE_CODE,
        },
    )
    return preference


@transaction.atomic
def message_mark_read(*, personal_number: str, message_id: int) -> Message:
    """Mark the resident's own message read; another person's message is :class:`NotFound`."""
    message = Message.objects.filter(recipient=personal_number, pk=message_id).first()
    if message is None:
        raise NotFound(_("There is no such message in your inbox."))
    if message.read_at is None:
        message.read_at = clock.now()
        Message.objects.filter(pk=message.pk).update(read_at=message.read_at)
    return message


@transaction.atomic
def preference_erase(*, personal_number: str) -> bool:
    """Forget the resident's e-mail address, phone number and how they want to be told (an
    erasure request, GDPR art. 17); the inbox stays, as it holds decisions. Whether any was kept."""
    deleted, _rows = Preference.objects.filter(personal_number=personal_number).delete()
    return bool(deleted)
