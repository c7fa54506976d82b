"""Tables of notify: the resident's inbox messages, the templates they are written from, the
resident's channel preferences and the delivery of each message by each channel.

The inbox message is the notification itself and is never lost; email and SMS are extra
deliveries of it, each with its own status, attempts and retries.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Template(models.Model):
    """A message text in each language; ``body`` uses Django template syntax over a context."""

    code = models.SlugField(_("code"), unique=True)
    description = models.CharField(
        _("when it is sent"), max_length=300, blank=True, help_text=_("For staff only.")
    )
    subject = models.JSONField(_("subject"), help_text=_("Per language code."))
    body = models.JSONField(_("text"), help_text=_("Per language code."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return self.code


def _attachment_path(message: Message, filename: str) -> str:
    # A random name: the file is only ever served through the recipient's own inbox page.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"notify/{message.created_at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Message(models.Model):
    """One item in a resident's inbox, written in every language when it is sent: ``subject``
    and ``body`` in the language chosen then, ``texts`` ({code: {"subject", "body"}}) in each,
    so the inbox and an e-mail sent later show it in the reader's language of that moment."""

    recipient = models.CharField(_("personal number"), max_length=9)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    texts = models.JSONField(default=dict, blank=True)
    template_code = models.SlugField(_("template"))
    language = models.CharField(_("language"), max_length=8)
    reference = models.CharField(
        _("reference"), max_length=100, blank=True, db_index=True, help_text=_("A case reference.")
    )
    attachment = models.FileField(_("attachment"), upload_to=_attachment_path, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("sent"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notify_inbox")]

    def __str__(self) -> str:
        return f"{self.template_code} {self.reference}".strip()

    def text_in(self, language: str | None = None) -> tuple[str, str, str]:
        """(subject, body, language) in ``language`` (the active one by default) when the
        message was written in it, else as it was sent."""
        language = language or translation.get_language() or self.language
        for code in (language, language.split("-")[0]):
            found = (self.texts or {}).get(code)
            if found:
                return found["subject"], found["body"], code
        return self.subject, self.body, self.language

    @property
    def shown_subject(self) -> str:
        return self.text_in()[0]

    @property
    def shown_body(self) -> str:
        return self.text_in()[1]

    @property
    def shown_language(self) -> str:
        return self.text_in()[2]


class Preference(models.Model):
    """How a resident wants to hear of new messages. The inbox is always on."""

    personal_number = models.CharField(max_length=9, unique=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("mobile phone number"), max_length=20, blank=True)
    by_email = models.BooleanField(_("by email"), default=False)
    by_sms = models.BooleanField(_("by text message"), default=False)
    language = models.CharField(_("language"), max_length=8)
    updated_at = models.DateTimeField(auto_now=True)


class Delivery(models.Model):
    """One message sent by one channel: its status, tries and the last error."""

    class Channel(models.TextChoices):
        INBOX = "inbox", _("inbox")
        EMAIL = "email", _("email")
        SMS = "sms", _("text message")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed, will be tried again")
        GIVEN_UP = "given-up", _("given up")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notify_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"
