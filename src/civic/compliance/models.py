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


class SubjectRequest(models.Model):
    """A data-subject request (GDPR arts. 15–21) made by the resident it is about, handled as a
    case of the privacy case type of its kind. Answered within one month of receipt, or within
    three once extended with a reason (art. 12(3)). The export itself is never stored: it is
    made, and its register reads logged, each time the resident downloads it."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("a copy of my data (access)")
        PORTABILITY = "portability", _("my data to take elsewhere (portability)")
        RECTIFICATION = "rectification", _("correct my data (rectification)")
        ERASURE = "erasure", _("erase my data (erasure)")
        OBJECTION = "objection", _("object to a use of my data (objection)")
        RESTRICTION = "restriction", _("restrict a use of my data (restriction)")

    class State(models.TextChoices):
        OPEN = "open", _("being handled")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="subject_request"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    personal_number = models.CharField(_("personal number"), max_length=9, db_index=True)
    details = models.TextField(_("details"), blank=True)
    #: For a rectification: the value said to be wrong, as the catalogue names it.
    register = models.CharField(_("register"), max_length=40, blank=True)
    attribute = models.CharField(_("attribute"), max_length=80, blank=True)
    received_at = models.DateTimeField(_("received at"))
    due_on = models.DateField(_("answer due"))
    extended_reason = models.TextField(_("reason for the extension"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="open")
    #: What was done or why not, in the handler's words and the law's (art. 17(3) ...).
    outcome = models.TextField(_("outcome"), blank=True)
    #: For an erasure: what was erased and what was refused, with the reason for each.
    erasure = models.JSONField(_("erasure"), default=dict, blank=True)
    #: For an upheld objection: the code of the purpose objected to (GDPR art. 21).
    purpose = models.CharField(_("purpose objected to"), max_length=80, blank=True)
    #: For a granted restriction: when it was lifted (the resident told first, art. 18(3)).
    lifted_at = models.DateTimeField(_("restriction lifted at"), null=True, blank=True)
    #: For a rectification: the register's correction request it was routed as.
    correction = models.CharField(_("correction request"), max_length=40, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} – {self.kind}"


# Tables of access review, staff training and the breach register, in packages of their own.
from civic.compliance.breaches.models import Breach  # noqa: E402, F401
from civic.compliance.review.models import AccessReview, AccessReviewRun  # noqa: E402, F401
from civic.compliance.training.models import TrainingRecord  # noqa: E402, F401
