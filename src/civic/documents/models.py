"""Received documents, each stored once (by the SHA-256 of its bytes), and their pages' text."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _


def documents_storage():
    # A callable, so that the storage is looked up when used (tests and production swap it).
    return storages[settings.DOCUMENTS_STORAGE_ALIAS]


class Channel(models.TextChoices):
    PORTAL = "portal", _("portal upload")
    STAFF_UPLOAD = "staff-upload", _("staff bulk upload")
    WATCHED_FOLDER = "watched-folder", _("watched folder")
    EMAIL = "email", _("e-mail mailbox")
    BACKLOG = "backlog", _("backlog run")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    PROCESSED = "processed", _("read")
    REFUSED = "refused", _("refused")


class Refusal(models.TextChoices):
    EMPTY = "empty", _("the file is empty")
    ENCRYPTED = "encrypted-pdf", _("the PDF is locked with a password")
    CORRUPT = "corrupt", _("the file is damaged and cannot be read")
    TOO_LARGE = "image-too-large", _("the image is wider or taller than allowed")
    BOMB = "decompression-bomb", _("the image would unpack to more pixels than allowed")
    TYPE_MISMATCH = "type-mismatch", _("the file's content is not the type its name says")
    UNSUPPORTED = "unsupported-type", _("only PDF, PNG, JPEG and TIFF files are accepted")


class TextSource(models.TextChoices):
    TEXT_LAYER = "text-layer", _("the PDF's text layer")
    OCR = "ocr", _("OCR")


class DocumentType(models.TextChoices):
    """What a document is, as the classifier (or a person) tells it."""

    OBJECTION = "objection", _("objection or appeal")
    PAYSLIP = "payslip", _("payslip")
    INVOICE = "invoice", _("invoice")
    MEDICAL_CERTIFICATE = "medical-certificate", _("medical certificate")
    IDENTITY_DOCUMENT = "identity-document", _("copy of an identity document")
    BANK_STATEMENT = "bank-statement", _("bank statement")
    TENANCY_AGREEMENT = "tenancy-agreement", _("tenancy agreement")
    CIVIL_RECORD = "civil-record", _("birth or death certificate")
    LETTER = "letter", _("general letter")
    OTHER = "other", _("other")


class Document(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file = models.FileField(_("file"), storage=documents_storage, max_length=200)
    original_name = models.CharField(_("original name"), max_length=255)
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    pages = models.PositiveIntegerField(_("pages"), default=0)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    refusal_reason = models.CharField(
        _("refusal reason"), max_length=30, choices=Refusal.choices, blank=True
    )
    refusal_detail = models.TextField(_("refusal detail"), blank=True)
    processed_at = models.DateTimeField(_("read at"), null=True, blank=True)
    document_type = models.CharField(
        _("document type"),
        max_length=30,
        choices=DocumentType.choices,
        blank=True,
        help_text=_('What the document is; empty until it is read, "other" when unsure.'),
    )
    type_confidence = models.FloatField(
        _("type confidence"),
        null=True,
        blank=True,
        help_text=_("The classifier's probability (0 to 1) of the type it found."),
    )
    fields = models.JSONField(
        _("extracted fields"),
        default=dict,
        blank=True,
        help_text=_("Field name to value, each checked (check digits, formats, the calendar)."),
    )
    personal_data = models.JSONField(
        _("personal data found"),
        default=list,
        blank=True,
        help_text=_("Findings: kind, text, page and the boxes on the page image to black out."),
    )
    # How it came in: who sent it from their account, and from which of their cases.
    sender = models.CharField(
        _("sent by"), max_length=9, blank=True, help_text=_("The resident who uploaded it.")
    )
    sent_for_case = models.CharField(_("sent for case"), max_length=20, blank=True)
    # Where routing put it (see routing.py): the person it concerns, their case, or else the
    # queue of the agency that takes in documents; every step with how sure it was.
    person = models.CharField(_("concerns"), max_length=9, blank=True)
    case_reference = models.CharField(_("case"), max_length=20, blank=True)
    queue = models.ForeignKey(
        "identity.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("in the queue of"),
    )
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    routing = models.JSONField(
        _("routing"),
        default=list,
        blank=True,
        help_text=_("Each routing step: what it found, how, and how sure (0 to 1)."),
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["queue", "routed_at"], name="document_queue"),
            models.Index(fields=["person"], name="document_person"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def routed_to(self) -> str:
        """Where the document went, as the backlog report says it: ``case:<reference>``,
        ``queue:<agency code>`` or ``unrouted``."""
        if self.case_reference:
            return f"case:{self.case_reference}"
        if self.queue_id:
            return f"queue:{self.queue.code}"
        return "unrouted"


class DocumentPage(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="page_set")
    number = models.PositiveIntegerField(_("page number"))
    text = models.TextField(_("text"), blank=True)
    text_source = models.CharField(_("text source"), max_length=20, choices=TextSource.choices)
    ocr_confidence = models.FloatField(_("OCR confidence"), null=True, blank=True)
    rotation = models.IntegerField(_("turned by (degrees)"), default=0)
    skew = models.FloatField(_("straightened by (degrees)"), default=0.0)
    image = models.FileField(_("page image"), storage=documents_storage, max_length=200)
    words = models.JSONField(
        _("words"),
        default=list,
        blank=True,
        help_text=_("The page's words as [text, x0, y0, x1, y1] in pixels of the page image."),
    )

    class Meta:
        verbose_name = _("document page")
        verbose_name_plural = _("document pages")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_page_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} p. {self.number}"


class DocumentCorrection(models.Model):
    """A caseworker's correction of what the pipeline read: the type, a field, or both. The
    next training run learns from the corrected types (``civic documents corrections``)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="corrections")
    corrected_by = models.CharField(_("corrected by"), max_length=150)
    corrected_at = models.DateTimeField(_("corrected at"))
    type_before = models.CharField(_("type before"), max_length=30, blank=True)
    type_after = models.CharField(_("type after"), max_length=30, blank=True)
    fields_before = models.JSONField(_("fields before"), default=dict, blank=True)
    fields_after = models.JSONField(_("fields after"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document correction")
        verbose_name_plural = _("document corrections")
        ordering = ["corrected_at", "pk"]
