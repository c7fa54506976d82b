"""Residents' feedback: a rating of a service once it is done, or "was this page useful?" on a
form's step, each with an optional comment. Anonymous by design: no account, no personal
number; what a comment may still hold (a personal number, an e-mail address, a phone number,
an IBAN) is blacked out when it comes in, and a person moderates every comment before the
service owner acts on it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SATISFACTION = "satisfaction", _("satisfaction with a service")
    PAGE_USEFUL = "page-useful", _("was this page useful")


class Moderation(models.TextChoices):
    NONE = "", _("no comment")
    PENDING = "pending", _("waiting for moderation")
    KEPT = "kept", _("kept")
    REMOVED = "removed", _("removed")


#: The satisfaction scale, as GOV.UK's feedback asks it (5: very satisfied).
SATISFACTION = [
    (5, _("Very satisfied")),
    (4, _("Satisfied")),
    (3, _("Neither satisfied nor dissatisfied")),
    (2, _("Dissatisfied")),
    (1, _("Very dissatisfied")),
]


class Feedback(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("service"),
    )
    #: The form step the page belonged to ("was this page useful"); empty for a service rating.
    step = models.CharField(_("form step"), max_length=60, blank=True)
    #: 1 to 5 for satisfaction; 1 (yes) or 0 (no) for "was this page useful".
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, blank=True
    )
    moderated_by = models.CharField(_("moderated by"), max_length=150, blank=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    #: What the service owner changed because of it ("you said, we did"), in their words.
    acted_on = models.TextField(_("what we did"), blank=True)
    acted_at = models.DateTimeField(_("acted on at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["service", "kind", "received_at"], name="feedback_service")]

    def __str__(self) -> str:
        return f"{self.kind} {self.rating} ({self.service_id})"


class Consultation(models.Model):
    """A question an agency puts to the public for a period: options to choose from, or free
    text when it has none; the results are published after it closes, with what the agency
    did with them ("you said, we did")."""

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    agency = models.ForeignKey(
        "identity.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    title = models.JSONField(_("title"), help_text=_("Per language: {en, nl}."))
    question = models.JSONField(_("question"), help_text=_("Per language: {en, nl}."))
    #: ``[{"value": ..., "label": {en, nl}}, ...]``; empty: residents answer in their own words.
    options = models.JSONField(_("options"), default=list, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_by = models.CharField(_("created by"), max_length=150)
    outcome = models.JSONField(
        _("what we did"), default=dict, blank=True, help_text=_("Per language: {en, nl}.")
    )
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.slug


class ConsultationResponse(models.Model):
    """One resident's answer. ``respondent`` is a keyed pseudonym of their personal number in
    this consultation's own space: it lets a resident answer once, and links to nothing else
    (not to another consultation, not to the access log)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    respondent = models.CharField(_("respondent (pseudonym)"), max_length=32)
    option = models.CharField(_("option"), max_length=60, blank=True)
    text = models.TextField(_("answer"), blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=10)
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        verbose_name = _("consultation response")
        verbose_name_plural = _("consultation responses")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "respondent"], name="consultation_answered_once"
            )
        ]
