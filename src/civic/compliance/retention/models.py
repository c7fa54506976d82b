"""Records of retention runs and key rotations (imported by compliance.models). They hold
counts and rule names, never personal data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed, nothing changed")


class RetentionRun(models.Model):
    """One retention run: per rule, what was (or on a dry run would be) removed."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    triggered_by = models.CharField(_("started by"), max_length=120)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    #: [{"rule", "kind" (attribute|case_type), "target", "agency", "action", "years",
    #:   "cutoff", "attributes", "count"}]
    results = models.JSONField(_("results"), default=list)
    #: Case types (and attributes) with no declared retention: kept for good, listed so that
    #: the gap is visible.
    kept = models.JSONField(default=list)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]


class KeyRotation(models.Model):
    """Sealing register fields under the current key, table by table, resumable."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    key_id = models.CharField(_("key"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    #: {table: {"after_id", "done", "scanned", "sealed", "total"}}
    progress = models.JSONField(default=dict)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
