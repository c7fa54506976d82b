"""The core's one table: the outbox of event handlers that run after the publisher's commit."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventHandling(models.Model):
    """One event for one after-commit handler (core.events). Written in the publisher's
    transaction, so it exists exactly when the change does; run after the commit, and again
    after a failure, until it is done or its retries run out."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("done")
        DEAD = "dead", _("failed for good")

    event_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=100)
    handler = models.CharField(max_length=200, help_text="Name of the registered handler")
    payload = models.JSONField(help_text="The CloudEvent, structured mode")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="handling_due")]
        constraints = [
            models.UniqueConstraint(fields=["event_id", "handler"], name="handling_once")
        ]
