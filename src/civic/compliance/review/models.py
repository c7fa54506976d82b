"""Tables of access review. No rules here; see review/services.py.

They hold no personal data in clear: the subject is the access log's keyed pseudonym, and the
trace ids find the reads, and what they released, in the access log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.identity.models import Agency, User


class AccessReview(models.Model):
    """Staff reads for the agency's data protection officer to review: one per staff member,
    kind, day and subject (more reads of the same are added to it)."""

    class Kind(models.TextChoices):
        UNEXPLAINED = "unexplained", _("read not explained by a case or task")
        BREAK_GLASS = "break_glass", _("break-glass read with a stated reason")
        BULK = "bulk", _("many people read in one day")
        ODD_HOURS = "odd_hours", _("read outside working hours")

    class Status(models.TextChoices):
        OPEN = "open", _("to review")
        JUSTIFIED = "justified", _("justified")
        REFERRED = "referred", _("referred")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        User, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    day = models.DateField(_("day"))
    #: Keyed pseudonym of the person read (blank for bulk and odd hours, which are about days).
    subject = models.CharField(_("subject (pseudonym)"), max_length=64, blank=True)
    registers = models.JSONField(_("registers"), default=list)
    purposes = models.JSONField(_("purposes"), default=list)
    cases = models.JSONField(_("cases named"), default=list)
    reads = models.PositiveIntegerField(_("reads"), default=0)
    people = models.PositiveIntegerField(_("people read"), default=0)
    trace_ids = models.JSONField(_("trace ids"), default=list)
    first_at = models.DateTimeField(_("first read at"))
    last_at = models.DateTimeField(_("last read at"))
    reason = models.TextField(_("stated reason"), blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "kind", "day", "subject"], name="one_access_review_a_day"
            )
        ]
        indexes = [models.Index(fields=["agency", "status"], name="access_review_queue")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.staff_id} – {self.day:%Y-%m-%d}"


class AccessReviewRun(models.Model):
    """One pass of the review over the access log's new staff reads: where it stopped, so the
    next pass starts there, and what it found."""

    started_at = models.DateTimeField()
    last_entry = models.BigIntegerField(help_text="The last access-log entry's id looked at")
    last_position = models.BigIntegerField(
        null=True,
        help_text="The last access-log position looked at: the next pass starts after it",
    )
    entries = models.PositiveIntegerField(default=0)
    explained = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_entry"]
