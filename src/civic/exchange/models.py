"""Tables of the exchange: purposes, grants, consent, the access log and its Merkle tree.

The access log is append-only: an entry is inserted when data is released and never changed;
the integrator later gives it its position in the Merkle tree and its leaf hash, and signs
checkpoints. Entries hold no personal data in clear (subjects are keyed pseudonyms), so
erasing someone's register data never breaks the log.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.identity.models import Agency, ApiClient, Role


class LegalGround(models.TextChoices):
    """GDPR article 6(1): the ground a processing activity rests on."""

    CONSENT = "consent", _("consent (art. 6(1)(a))")
    CONTRACT = "contract", _("contract (art. 6(1)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("legal obligation (art. 6(1)(c))")
    VITAL_INTERESTS = "vital_interests", _("vital interests (art. 6(1)(d))")
    PUBLIC_TASK = "public_task", _("public task (art. 6(1)(e))")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("legitimate interests (art. 6(1)(f))")


class Purpose(models.Model):
    """A processing activity: why personal data is read, on what legal basis, by whom."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_nl = models.CharField(_("name in Dutch"), max_length=200, blank=True)
    description = models.TextField(_("plain-language description"))
    description_nl = models.TextField(_("plain-language description in Dutch"), blank=True)
    controller = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="purposes")
    legal_ground = models.CharField(_("legal ground"), max_length=30, choices=LegalGround.choices)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        help_text=_("The law and article the processing rests on."),
    )
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_(
            "Uses are hidden from the resident until the embargo has passed (investigations)."
        ),
    )
    embargo_days = models.PositiveIntegerField(_("embargo in days"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Grant(models.Model):
    """Permission for one grantee to read named attributes of a register for a purpose."""

    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="grants")
    register = models.CharField(_("register"), max_length=40)
    attributes = models.JSONField(
        _("attributes"), help_text="Catalogue names, e.g. identity.birth_date"
    )
    api_client = models.ForeignKey(
        ApiClient, null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    staff_role = models.CharField(_("staff role"), max_length=30, choices=Role.choices, blank=True)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("For a staff role or a job: the agency whose staff or job it is."),
    )
    job = models.CharField(_("background job"), max_length=80, blank=True)
    residents = models.BooleanField(
        _("residents, for their own records"),
        default=False,
        help_text=_(
            "Residents may read these attributes of their own records (or of someone they act "
            "for) under this purpose: a form's prefill, for example."
        ),
    )
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="grant_has_exactly_one_grantee",
                condition=(
                    models.Q(api_client__isnull=False, staff_role="", job="", residents=False)
                    | models.Q(
                        api_client__isnull=True, job="", agency__isnull=False, residents=False
                    )
                    & ~models.Q(staff_role="")
                    | models.Q(
                        api_client__isnull=True,
                        staff_role="",
                        agency__isnull=False,
                        residents=False,
                    )
                    & ~models.Q(job="")
                    | models.Q(api_client__isnull=True, staff_role="", job="", residents=True)
                ),
            )
        ]


class Consent(models.Model):
    """A resident's consent to one purpose. Withdrawn is final: consenting again is a new row."""

    subject = models.CharField(max_length=64, help_text="Keyed pseudonym of the resident.")
    purpose = models.ForeignKey(Purpose, on_delete=models.PROTECT, related_name="consents")
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["subject", "purpose"], name="consent_subject_purpose")]


class ProcessingLimit(models.Model):
    """A person's upheld objection (GDPR art. 21) to one purpose, or a restriction of
    processing (art. 18) of all their data, set when a data-subject request is decided. While it
    is in force the exchange refuses to release their data under the purposes it covers; a
    refusal is counted here (it is not a release, so it is no access-log entry)."""

    class Kind(models.TextChoices):
        OBJECTION = "objection", _("objection upheld")
        RESTRICTION = "restriction", _("processing restricted")

    subject = models.CharField(max_length=64, help_text="Keyed pseudonym of the person.")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    #: The purpose objected to; empty for a restriction, which covers every purpose but those
    #: art. 18(2) allows.
    purpose = models.ForeignKey(
        Purpose, null=True, blank=True, on_delete=models.PROTECT, related_name="limits"
    )
    #: The data-subject request's case that set it.
    reference = models.CharField(_("request"), max_length=40)
    since = models.DateTimeField(_("in force since"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    refusals = models.PositiveIntegerField(_("reads refused"), default=0)
    last_refused_at = models.DateTimeField(_("last read refused at"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection or restriction")
        verbose_name_plural = _("objections and restrictions")
        indexes = [models.Index(fields=["subject", "lifted_at"], name="limit_subject_in_force")]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class AccessLogEntry(models.Model):
    """One released subject record. Inserted with the release; positioned by the integrator."""

    class ActorKind(models.TextChoices):
        API_CLIENT = "api_client", _("partner system")
        STAFF = "staff", _("staff member")
        RESIDENT = "resident", _("resident")
        JOB = "job", _("background job")

    class Kind(models.TextChoices):
        LOOKUP = "lookup", _("lookup")
        SEARCH = "search", _("search hit")
        CHECK = "check", _("checked for proactive services")
        #: The subject's number was released inside another subject's record (a parent's
        #: children, a partner, a business's owner): it is theirs to see too.
        LINKED = "linked", _("named in someone else's record")
        #: Counts released for statistics (exchange.aggregates): about no one person; the
        #: subject is ``counts:`` and the release's hash, one entry per distinct release.
        COUNTS = "counts", _("counted in statistics")

    at = models.DateTimeField()
    actor_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    actor = models.CharField(
        max_length=120, help_text="Client id, staff user id, job name or resident pseudonym."
    )
    on_behalf_of = models.CharField(
        max_length=64, blank=True, help_text="Pseudonym of the represented resident."
    )
    agency = models.CharField(max_length=40)
    purpose = models.CharField(max_length=80)
    legal_ground = models.CharField(max_length=30)
    legal_basis = models.CharField(max_length=300)
    register = models.CharField(max_length=40)
    subject = models.CharField(max_length=64, help_text="Keyed pseudonym of the subject.")
    fields = models.TextField(help_text="Attribute names released, comma-separated, sorted.")
    case = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.LOOKUP)
    trace_id = models.CharField(max_length=64)
    visible_from = models.DateTimeField(
        help_text="When the subject may see it (embargo for investigations)."
    )
    position = models.BigIntegerField(null=True, blank=True, unique=True)
    leaf_hash = models.CharField(max_length=64, blank=True)
    #: Set by the integrator on a waiting entry no writer of Civic's could have made (see
    #: auditlog.entry_malformed): it is left out of the tree, and `auditlog verify` fails on it.
    #: A default in the database too: queries insert entries with SQL of their own (query.py).
    quarantined = models.CharField(max_length=200, blank=True, default="", db_default="")

    class Meta:
        indexes = [
            models.Index(fields=["subject", "at"], name="accesslog_subject_at"),
            models.Index(
                fields=["actor", "at"],
                name="accesslog_acting_for_at",
                condition=~models.Q(on_behalf_of=""),
            ),
            models.Index(
                fields=["position"],
                name="accesslog_unsequenced",
                condition=models.Q(position__isnull=True),
            ),
        ]


class MerkleNode(models.Model):
    """The hash of a complete subtree of 2**level leaves starting at leaf ``start`` (level >= 1;
    leaves are the entries' own hashes)."""

    level = models.PositiveSmallIntegerField()
    start = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["level", "start"], name="merkle_node_unique")
        ]


class TreeHead(models.Model):
    """The integrated tree: its size and its frontier (one row)."""

    size = models.BigIntegerField(default=0)
    frontier = models.JSONField(default=list)


class Checkpoint(models.Model):
    """A signed statement of the tree's size and root at a moment (C2SP checkpoint note)."""

    tree_size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.DateTimeField()
    signature = models.CharField(max_length=128, help_text="Ed25519, base64")
    key_id = models.CharField(max_length=16)


class Cosignature(models.Model):
    """A witness's cosignature on a checkpoint (c2sp.org/tlog-cosignature, cosignature/v1): it
    saw this tree and no larger or different one of the log."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="cosignatures"
    )
    witness_name = models.CharField(max_length=200, help_text="The witness's key name")
    key_id = models.CharField(max_length=8, help_text="The witness key's note key id, hex")
    signature = models.CharField(
        max_length=128, help_text="Timestamp and Ed25519 signature after the key id, base64"
    )
    cosigned_at = models.DateTimeField(help_text="The time the cosignature states")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "witness_name", "key_id"], name="cosignature_once"
            )
        ]


class Witness(models.Model):
    """A witness of CIVIC_AUDITLOG_WITNESSES and what Civic last heard from it: the size it
    holds, and when to ask again after it failed."""

    name = models.CharField(max_length=200)
    key_id = models.CharField(max_length=8, help_text="Its verifier key's note key id, hex")
    size = models.BigIntegerField(default=0, help_text="The tree size it last said it holds")
    cosigned_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(
        default=0, help_text="Failed offers since the last cosignature"
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "key_id"], name="witness_unique")]


class SigningKey(models.Model):
    """Public keys that have signed checkpoints, so old checkpoints verify after a rotation."""

    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64, help_text="Raw Ed25519 public key, hex")
    created_at = models.DateTimeField(auto_now_add=True)


class Subscription(models.Model):
    """A grantee's standing request for register events: a webhook of an API client, or an
    in-process handler run as a job. Events are delivered only while a grant for the register
    and purpose covers the event's data.

    Or an API client's webhook for another app's events about its own agency's work (case
    events, ``register`` blank): delivered only for the case types in ``case_types``, which
    narrow when the client loses access to one."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", _("webhook")
        HANDLER = "handler", _("in-process handler")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    purpose = models.ForeignKey(
        Purpose, null=True, blank=True, on_delete=models.PROTECT, related_name="subscriptions"
    )
    register = models.CharField(
        max_length=40, blank=True, help_text="The register whose events; blank for case events"
    )
    event_types = models.JSONField(help_text="CloudEvents types, e.g. org.civic.persons.moved")
    case_types = models.JSONField(
        default=list, blank=True, help_text="Case events: the case types delivered"
    )
    api_client = models.ForeignKey(
        ApiClient, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    url = models.URLField(blank=True, max_length=500)
    secret = models.CharField(
        max_length=100, blank=True, help_text="Webhook signing secret (Standard Webhooks, whsec_…)"
    )
    handler = models.CharField(
        max_length=200, blank=True, help_text="Dotted path of the in-process handler"
    )
    job = models.CharField(
        max_length=80, blank=True, help_text="The job whose grant the handler reads under"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(
        max_length=200, blank=True, help_text="Why it ended: cancelled, or its client revoked"
    )


class Delivery(models.Model):
    """One event for one subscription. Deliveries for the same subject reach a subscriber in
    order: a later one waits until the earlier one is delivered, dead or withdrawn.

    A worker claims a pending delivery by writing a token of its own in ``claim`` and moving
    ``next_attempt_at`` past the lease; only the holder of the claim records the outcome, and a
    claim whose worker died expires with its lease, so the next sweep tries it again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        DEAD = "dead", _("dead letter")
        #: The subscriber may no longer receive it (its client revoked, its grant ended or
        #: narrowed, its subscription cancelled): never sent, kept with the reason.
        WITHDRAWN = "withdrawn", _("withdrawn")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=100)
    subject = models.CharField(
        max_length=64, help_text="Pseudonym of the event's subject (for ordering)"
    )
    payload = models.JSONField(help_text="The CloudEvent, structured mode")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(
        max_length=32, blank=True, help_text="Token of the attempt that holds the delivery"
    )
    withdrawn_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["subscription", "subject", "id"], name="delivery_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="delivery_once")
        ]
