"""Training records of staff members. No rules here; see training/services.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.identity.models import Agency, User


class Course(models.TextChoices):
    DATA_PROTECTION = "data-protection", _("data protection (GDPR)")
    INFORMATION_SECURITY = "information-security", _("information security")


class TrainingRecord(models.Model):
    """One course a staff member completed, and until when it counts. Kept by the agency's
    administrator or data protection officer in the back office."""

    #: The staff member's agency, kept on the record so that it is scoped like every other
    #: row an agency owns (the back office's and the authorisation matrix's one rule).
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="training_records",
    )
    course = models.CharField(_("course"), max_length=40, choices=Course.choices)
    provider = models.CharField(
        _("given by"),
        max_length=200,
        blank=True,
        help_text=_("Who gave the course, and a certificate number if there is one."),
    )
    completed_on = models.DateField(_("completed on"))
    valid_until = models.DateField(
        _("valid until"), help_text=_("The last day the training counts; then it is taken again.")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["user", "course", "-valid_until"]
        indexes = [models.Index(fields=["user", "course", "valid_until"], name="training_current")]
        constraints = [
            models.CheckConstraint(
                name="training_valid_after_completed",
                condition=models.Q(valid_until__gte=models.F("completed_on")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_course_display()} – {self.valid_until:%Y-%m-%d}"
