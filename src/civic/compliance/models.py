"""Tables of privacy oversight. No rules live here; see services.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.compliance.retention.models import KeyRotation, RetentionRun  # noqa: F401
from civic.identity.models import Agency, ApiClient, User


class AccessAlert(models.Model):
    """Something unusual in how a partner system used the exchange, for the data protection
    officer of the client's agency to review: one per client, kind and window.

    It holds no personal data in clear: address identifiers, keyed pseudonyms of personal
    numbers (as in the access log), ranges of birth days, and the trace ids of the requests
    that raised it, by which the access log finds what was released."""

    class Kind(models.TextChoices):
        SEQUENTIAL = "sequential", _("walk over consecutive identifiers")
        VOLUME = "volume", _("unusual volume")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="access_alerts"
    )
    api_client = models.ForeignKey(
        ApiClient,
        verbose_name=_("API client"),
        on_delete=models.PROTECT,
        related_name="access_alerts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    window_start = models.DateTimeField(_("window from"))
    window_end = models.DateTimeField(_("window until"))
    counts = models.JSONField(_("counts"), default=dict)
    examples = models.JSONField(_("examples"), default=list)
    trace_ids = models.JSONField(_("trace ids"), default=list)
    raised_at = models.DateTimeField(_("raised at"))
    updated_at = models.DateTimeField(_("last seen at"))
    #: When the officers were e-mailed (empty: not yet, or no officer has an address).
    told_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        User,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    client_revoked_at = models.DateTimeField(_("client revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access alert")
        verbose_name_plural = _("access alerts")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["api_client", "kind", "window_start"], name="one_access_alert_per_window"
            )
        ]
        indexes = [models.Index(fields=["agency", "acknowledged_at"], name="access_alert_open")]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} – {self.api_client_id} – {self.window_start:%Y-%m-%d %H:%M}"
        )
