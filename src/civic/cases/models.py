"""Tables of the cases app: case types with their workflow, cases, their timeline, tasks,
requests for information and decisions.

A case type's workflow is data (``CaseType.workflow``, see docs/cases.md): its states, which
of them stop the legal decision clock, and the transitions with the roles that may take them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.catalog.models import Service
from civic.identity.models import Agency


class CaseType(models.Model):
    code = models.SlugField(_("code"), unique=True)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="case_types"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_types")
    name = models.JSONField(_("name"))
    purpose = models.CharField(
        _("purpose"),
        max_length=80,
        help_text=_("Exchange purpose of every register read for a case."),
    )
    workflow = models.JSONField(
        _("workflow"), help_text=_("States and transitions; see docs/cases.md.")
    )
    decision_period_days = models.PositiveIntegerField(_("legal decision period in days"))
    decision_templates = models.JSONField(_("decision templates"), default=list)
    #: register -> attributes the case page shows (read through the exchange, logged).
    register_fields = models.JSONField(_("register data on the case page"), default=dict)
    is_objection = models.BooleanField(_("handles objections"), default=False)
    retention_years = models.PositiveSmallIntegerField(
        _("retention in years"),
        null=True,
        blank=True,
        help_text=_(
            "Years a closed case keeps its personal data before the retention run anonymises "
            "it; empty: kept for good."
        ),
    )
    teams = models.JSONField(
        _("teams"), default=list, help_text=_("Teams that handle these cases.")
    )
    #: Document types (documents.DocumentType codes) a resident may send for these cases; a
    #: document of one of them is linked to the resident's open case of this type.
    document_types = models.JSONField(
        _("documents taken"),
        default=list,
        blank=True,
        help_text=_("Types of document that belong with these cases, such as payslip."),
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


#: A case still being handled.
OPEN_CASE = models.Q(closed_at__isnull=True)


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="cases")
    submission = models.OneToOneField(
        "forms.Submission", null=True, blank=True, on_delete=models.PROTECT, related_name="case"
    )
    #: An objection's case points at the case it objects to.
    objects_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    subject = models.CharField(max_length=9, help_text=_("Whom the case is about."))
    applicant = models.CharField(
        max_length=9, help_text=_("Who applied (may act for the subject).")
    )
    state = models.CharField(max_length=40)
    team = models.CharField(_("team"), max_length=60, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField()
    deadline = models.DateField(_("decision due"))
    suspended_since = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    #: When the retention run removed the case's personal data (the case stays, for statistics).
    anonymised_at = models.DateTimeField(null=True, blank=True)
    #: Raised by every change; a save that names an older version is refused (two caseworkers).
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The workbench queue reads open cases in the order of its sort key: partial indexes
        # over the open cases (PostgreSQL cannot order along an index through IS NULL), each
        # ending in the key and id so a page is the next 50 entries of one index.
        indexes = [
            models.Index(
                fields=["agency", "deadline", "id"], condition=OPEN_CASE, name="case_open_deadline"
            ),
            models.Index(
                fields=["agency", "opened_at", "id"], condition=OPEN_CASE, name="case_open_age"
            ),
            models.Index(
                fields=["agency", "state", "deadline", "id"],
                condition=OPEN_CASE,
                name="case_open_state",
            ),
            models.Index(
                fields=["agency", "deadline", "id"],
                condition=OPEN_CASE & models.Q(suspended_since__isnull=True),
                name="case_open_clock_running",
            ),
            models.Index(
                fields=["assignee", "deadline", "id"], condition=OPEN_CASE, name="case_open_mine"
            ),
            models.Index(
                fields=["assignee", "opened_at", "id"],
                condition=OPEN_CASE,
                name="case_open_mine_age",
            ),
            # Backlog insight: cases opened and closed per week.
            models.Index(fields=["agency", "opened_at"], name="case_opened"),
            models.Index(fields=["agency", "closed_at"], name="case_closed"),
            # A resident's cases.
            models.Index(fields=["subject", "opened_at"], name="case_subject"),
            models.Index(fields=["applicant", "opened_at"], name="case_applicant"),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(models.Model):
    """One line of a case's timeline. ``public`` lines are shown to the resident too."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("opened")
        TRANSITION = "transition", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        NOTE = "note", _("note")
        MESSAGE_TO_RESIDENT = "message-out", _("message to the resident")
        MESSAGE_FROM_RESIDENT = "message-in", _("message from the resident")
        INFORMATION_REQUESTED = "info-requested", _("information requested")
        INFORMATION_GIVEN = "info-given", _("information given")
        DECIDED = "decided", _("decided")
        OBJECTION = "objection", _("objection filed")
        DOCUMENT = "document", _("document received")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.CharField(
        max_length=120, blank=True, help_text=_("Who did it; empty for the resident themselves.")
    )
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    #: What Civic itself wrote (not a person's own words), in every language, shown in the
    #: reader's: ``{"text": {"en": .., "nl": ..}, "actor": {"en": .., "nl": ..}}``; a key
    #: present here is shown instead of ``text`` or ``actor`` (kept in the writer's language
    #: for the API and older events).
    texts = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "pk"]


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)


class InformationRequest(models.Model):
    """A question to the resident; while it is open the decision clock stands still."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_requests")
    question = models.TextField()
    asked_at = models.DateTimeField()
    answer_due = models.DateField()
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)


class AnswerDocument(models.Model):
    """A file the resident sent with an answer to a question, checked by content and by the
    scanner as an application's uploads are."""

    class Scan(models.TextChoices):
        CLEAN = "clean", _("scanned, clean")
        NOT_SCANNED = "not-scanned", _("not scanned")

    answer_to = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="documents"
    )
    #: The file, for an answer's document kept by cases; empty when document intake keeps it
    #: (``intake_document_id``), read and linked to the case like every document it receives.
    file = models.FileField(upload_to="answers/%Y/%m/", blank=True)
    intake_document_id = models.PositiveBigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    scan = models.CharField(max_length=12, choices=Scan.choices)
    scanner = models.CharField(max_length=60, blank=True)
    uploaded_at = models.DateTimeField()


class CaseDocument(models.Model):
    """A document read by document intake and linked to the case: what it is and the fields
    read from it, as the intake last told (a caseworker's correction included). The document
    itself (pages, personal data) stays with document intake, under ``document_id``."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    document_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=255)
    document_type = models.CharField(max_length=30, blank=True)
    type_confidence = models.FloatField(null=True, blank=True)
    fields = models.JSONField(default=dict, blank=True)
    #: The type's and the fields' names in every language, as intake gave them:
    #: ``{"type": {"en": .., "nl": ..}, "fields": {name: {"en": .., "nl": ..}}}``.
    texts = models.JSONField(default=dict, blank=True)
    #: How the intake found the case: "reference" (named in the document), "attached" (sent
    #: from the case's page), "match" (the person's one open case that takes this type) or
    #: "staff" (a caseworker linked it).
    linked_by = models.CharField(max_length=20)
    linked_at = models.DateTimeField()
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "document_id"], name="case_document_once")
        ]


class Decision(models.Model):
    class Outcome(models.TextChoices):
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    template = models.CharField(max_length=60, blank=True)
    reasons = models.TextField()
    #: The reasons in every language ({"en": .., "nl": ..}): the template's text in each, with
    #: the caseworker's own words as they wrote them; shown in the reader's language.
    reasons_texts = models.JSONField(default=dict, blank=True)
    decided_by = models.CharField(max_length=120)
    decided_at = models.DateTimeField()
    automated = models.BooleanField(default=False)

    class Meta:
        # The KPIs read the first, partial day of a period from the decisions themselves.
        indexes = [models.Index(fields=["decided_at"], name="decision_decided_at")]


class DecisionDay(models.Model):
    """The decisions of one kind of case taken on one day (a UTC date, as the KPIs' periods
    are counted): how many, how many by the rules, how many after the case's deadline, the sum
    of the days they took, and how many took each number of hours (rounded to the whole hour),
    so that the median over any run of days is read from these rows, exact to the hour.

    Kept by the services that decide a case, in the same transaction; rebuilt from the
    decisions by ``civic cases decision-days``. Counts only: no reference, no person, so the
    retention run that anonymises a case leaves its row as it is."""

    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    decided = models.PositiveIntegerField(default=0)
    automated = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    #: the days the decisions took, summed, in seconds
    seconds = models.BigIntegerField(default=0)
    #: hours a decision took (rounded) -> how many decisions took that long: {"48": 6}
    hours = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_type", "agency", "day"], name="decision_day")
        ]
        indexes = [models.Index(fields=["agency", "day"], name="decision_day_agency")]


class CaseApiAccess(models.Model):
    """An API client's access to the cases of one case type of its own agency (a municipality's
    archive, an agency's back office), acting in one role of the case type's workflow: the
    transitions that role may take are the ones the client may take."""

    api_client = models.ForeignKey(
        "identity.ApiClient", on_delete=models.CASCADE, related_name="case_access"
    )
    case_type = models.ForeignKey(CaseType, on_delete=models.CASCADE, related_name="api_access")
    role = models.CharField(_("acts as"), max_length=30)
    granted_at = models.DateTimeField()
    granted_by = models.CharField(max_length=120)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_client", "case_type"], name="case_api_access")
        ]
