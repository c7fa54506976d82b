"""The breach register. No rules here; see breaches/services.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.identity.models import Agency, User


class Breach(models.Model):
    """A personal-data breach (GDPR art. 4(12)) an agency found, with what art. 33(3) asks the
    notification to the supervisory authority to say, and where its handling stands."""

    class Step(models.TextChoices):
        ASSESS = "assess", _("to assess")
        NOTIFY_AUTHORITY = "notify_authority", _("to notify the supervisory authority")
        NOTIFY_SUBJECTS = "notify_subjects", _("to notify the people concerned")
        CLOSE = "close", _("to close")
        CLOSED = "closed", _("closed")

    class Risk(models.TextChoices):
        UNASSESSED = "", _("not assessed yet")
        NONE = "unlikely", _("unlikely to result in a risk")
        RISK = "risk", _("a risk to people's rights and freedoms")
        HIGH = "high", _("a high risk to people's rights and freedoms")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    discovered_at = models.DateTimeField(_("discovered at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    nature = models.TextField(_("what happened"))
    data_categories = models.TextField(_("categories of personal data"))
    people_categories = models.TextField(_("categories of people concerned"))
    people_approx = models.PositiveIntegerField(_("approximate number of people"))
    records_approx = models.PositiveIntegerField(_("approximate number of records"))
    consequences = models.TextField(_("likely consequences"))
    measures = models.TextField(_("measures taken or proposed"))
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, blank=True)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, default=Step.ASSESS)
    authority_notified_at = models.DateTimeField(
        _("supervisory authority notified at"), null=True, blank=True
    )
    authority_reference = models.CharField(_("authority's reference"), max_length=100, blank=True)
    #: Why the authority was told after the 72 hours (art. 33(1)), or why it was not told.
    late_reason = models.TextField(_("reason for the delay"), blank=True)
    no_notification_reason = models.TextField(_("why the authority is not notified"), blank=True)
    subjects_notified_at = models.DateTimeField(
        _("people concerned notified at"), null=True, blank=True
    )
    #: Why the people concerned are not told of a high-risk breach (art. 34(3)).
    subjects_exemption = models.TextField(
        _("why the people concerned are not notified"), blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = models.JSONField(_("history"), default=list)

    class Meta:
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        ordering = ["-discovered_at", "-pk"]
        indexes = [models.Index(fields=["agency", "step"], name="breach_open")]

    def __str__(self) -> str:
        return self.reference
