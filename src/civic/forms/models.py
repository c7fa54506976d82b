"""Tables of the forms app: definitions and their versions, drafts, submissions, uploads.

A form's questions are data (``FormVersion.schema``, described in docs/forms.md); service
owners edit a draft version in the back office and publish it. A submission keeps the version
it was made with, so a later edit never changes what a resident answered.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FormDefinition(models.Model):
    """The form of one service. Its questions live in versions."""

    code = models.SlugField(_("code"), unique=True)
    # Named, not imported: the catalogue lies above forms (its service page says whether a
    # service can be applied for online), so forms refers to its table through the app registry.
    service = models.OneToOneField("catalog.Service", on_delete=models.PROTECT, related_name="form")
    purpose = models.CharField(
        _("purpose"),
        max_length=80,
        help_text=_("The exchange purpose under which prefill reads the registers."),
    )
    title = models.JSONField(_("title"))

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class FormVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        RETIRED = "retired", _("retired")

    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    schema = models.JSONField(_("questions"), help_text=_("Steps and fields; see docs/forms.md."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="form_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"


class Draft(models.Model):
    """A resident's answers while they fill in a form; saved at every step."""

    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="drafts")
    applicant = models.CharField(max_length=9, help_text=_("Who fills it in."))
    subject = models.CharField(
        max_length=9, help_text=_("Who it is for (the applicant or someone they act for).")
    )
    answers = models.JSONField(default=dict)
    #: field key -> {value, register, attribute, authority, as_of, confirmed}
    prefilled = models.JSONField(default=dict)
    step = models.CharField(max_length=60, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["applicant", "subject"])]


class Submission(models.Model):
    """What a resident sent: the answers to one form version, with the prefilled values' sources."""

    reference = models.CharField(max_length=20, unique=True)
    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="submission")
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    applicant = models.CharField(max_length=9)
    subject = models.CharField(max_length=9, db_index=True)
    answers = models.JSONField()
    prefilled = models.JSONField(default=dict)
    #: Of the questions a register could answer (the ``prefill`` fields), how many there were
    #: and how many it did answer: counted when sent, so the KPIs sum two columns instead of
    #: reading every submission's values, and the counts outlive the retention run.
    prefill_questions = models.PositiveIntegerField(default=0)
    prefill_answered = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=10, default="en")
    submitted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["submitted_at"], name="submission_sent")]


class Upload(models.Model):
    """A file a resident attached to a draft, checked by content and by the scanner."""

    class Scan(models.TextChoices):
        CLEAN = "clean", _("scanned, clean")
        NOT_SCANNED = "not-scanned", _("not scanned")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="uploads")
    field = models.CharField(max_length=60)
    file = models.FileField(upload_to="uploads/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    scan = models.CharField(max_length=12, choices=Scan.choices)
    scanner = models.CharField(max_length=60, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
