"""Tables of the decisions app: proactive runs and their chunks, who proactive checks run as,
offers, the rules' view of each automated or shadowed case, and which case types the rules
decide."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProactiveRun(models.Model):
    """One evaluation of the whole population (or of the households a life event concerns)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        STOPPED = "stopped", _("stopped by an error; resumes when run again")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("nightly run")
        MANUAL = "manual", _("started by hand")
        LIFE_EVENT = "life_event", _("life event")

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    on = models.DateField(help_text="The day the registers were read for.")
    year = models.PositiveSmallIntegerField()
    trigger = models.CharField(max_length=12, choices=Trigger.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    chunk_size = models.PositiveIntegerField()
    event = models.CharField(max_length=64, blank=True, help_text="The register event, if any.")
    error = models.TextField(blank=True, help_text="Why a stopped run stopped.")

    class Meta:
        indexes = [models.Index(fields=["status", "started_at"], name="proactive_run_status")]


class ProactiveSetup(models.Model):
    """Who proactive checks run as, from the jurisdiction's set-up (`civic setup apply`):
    the agency whose job reads the registers and the purpose it reads them under. One row;
    the engine names no agency or purpose of its own."""

    agency = models.CharField(max_length=40, help_text="Agency code of the proactive job.")
    purpose = models.CharField(max_length=80, help_text="Purpose code of every proactive read.")
    updated_at = models.DateTimeField()


class ProactiveChunk(models.Model):
    """A range of addresses; done in one transaction with its offers, so a crash redoes it."""

    run = models.ForeignKey(ProactiveRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    first_address = models.BigIntegerField()
    last_address = models.BigIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    residents = models.PositiveIntegerField(default=0)
    offers = models.PositiveIntegerField(default=0)
    #: Seconds per stage: read (exchange), compute (OpenFisca), write (offers and inbox).
    timings = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="proactive_chunk_once")
        ]


class Offer(models.Model):
    """A proactive suggestion to one resident: which entitlement, the estimate, and why."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("offered")
        ACCEPTED = "accepted", _("accepted: application started")
        GRANTED = "granted", _("granted")
        DECLINED = "declined", _("declined")
        GRANTED_ELSEWHERE = "elsewhere", _("granted to the child's other parent")

    personal_number = models.CharField(max_length=9)
    rule_set = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    #: The child a child's benefit is for; "" when the offer is for the resident's own unit.
    beneficiary = models.CharField(max_length=9, blank=True, default="")
    household = models.CharField(max_length=16, help_text="Address identifier of the household.")
    amount = models.PositiveIntegerField(help_text="Estimated euros a year.")
    reasons = models.JSONField(default=list, help_text="Facts that led to the offer.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    run = models.ForeignKey(
        ProactiveRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    case_reference = models.CharField(max_length=20, blank=True)
    #: When the resident was told about it in the inbox: after the run's last chunk, in one
    #: message with all their new offers of the run (NULL until then; a crash resumes here).
    told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["personal_number", "rule_set", "year", "beneficiary"],
                name="offer_once_a_year",
            )
        ]
        indexes = [
            models.Index(fields=["personal_number", "status"], name="offer_resident"),
            models.Index(fields=["beneficiary", "rule_set", "year"], name="offer_beneficiary"),
            # The announcement walks a run's untold offers resident by resident.
            models.Index(
                fields=["run", "personal_number"],
                name="offer_untold",
                condition=models.Q(told_at__isnull=True),
            ),
        ]


class Grant(models.Model):
    """A benefit granted without application from an accepted offer. One per beneficiary (the
    child a child's benefit is for, or the resident), rule set and year, however many of the
    child's parents accept: the database's unique constraint holds it, not the code alone."""

    rule_set = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    beneficiary = models.CharField(max_length=9)
    granted_to = models.CharField(max_length=9, help_text="Who accepted (a parent).")
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="grant")
    reference = models.CharField(max_length=20, unique=True)
    amount = models.PositiveIntegerField(help_text="Euros a year.")
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "beneficiary", "year"], name="grant_once_per_beneficiary"
            )
        ]


class RuleSetMode(models.Model):
    """Whether the rules decide a case type's applications, only shadow caseworkers, or rest."""

    class Mode(models.TextChoices):
        OFF = "off", _("off")
        SHADOW = "shadow", _("shadow: computes beside caseworkers")
        DECIDING = "deciding", _("deciding")

    case_type = models.CharField(max_length=50, unique=True)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.SHADOW)
    changed_by = models.CharField(max_length=120, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)


class RuleOutcome(models.Model):
    """What the rules concluded for a case, with the full explanation; the decision itself
    when automated, a shadow beside the caseworker's otherwise."""

    class Route(models.TextChoices):
        DECIDED = "decided", _("decided by the rules")
        CASEWORKER = "caseworker", _("sent to a caseworker")
        SHADOW = "shadow", _("shadow only")

    case_reference = models.CharField(max_length=20, unique=True)
    case_type = models.CharField(max_length=50)
    rule_set = models.CharField(max_length=60)
    route = models.CharField(max_length=10, choices=Route.choices)
    outcome = models.CharField(max_length=10, blank=True, help_text="granted or refused")
    amount = models.IntegerField(null=True, blank=True)
    explanation = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    #: Shadow mode: the caseworker's outcome once decided, and whether the rules agreed.
    caseworker_outcome = models.CharField(max_length=10, blank=True)
    agreed = models.BooleanField(null=True)
    review_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["case_type", "route"], name="rule_outcome_type")]


class Reform(models.Model):
    """A what-if saved by a service owner: parameters of the rules with new values, for an
    agency. The law itself is never changed by it."""

    agency = models.CharField(max_length=40, help_text="Agency code of whoever saved it.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    #: parameter path -> a number, or {"add"|"multiply"|"set": number}.
    parameters = models.JSONField(default=dict)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["agency", "created_at"], name="reform_agency_created")]


class ReformRun(models.Model):
    """A reform computed over the whole population for a year, in chunks like a proactive
    run; ``result`` holds the combined figures once done (no personal data)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        STOPPED = "stopped", _("stopped")

    reform = models.ForeignKey(Reform, on_delete=models.CASCADE, related_name="runs")
    year = models.PositiveIntegerField()
    on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    chunk_size = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict)


class ReformChunk(models.Model):
    """A range of addresses of a reform run, with its partial figures once computed."""

    run = models.ForeignKey(ReformRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    first_address = models.BigIntegerField()
    last_address = models.BigIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict)
    #: Seconds per stage: read (exchange), compute (OpenFisca, both systems).
    timings = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="reform_chunk_unique_index")
        ]
