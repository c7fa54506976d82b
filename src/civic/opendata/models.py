"""Tables of the open-data catalogue: a dataset (CKAN's package, DCAT's dataset) and its
versions. A version is what one regeneration published: the table, its checksum, when."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.identity.models import Agency


class Dataset(models.Model):
    """A published dataset, named as CKAN names a package. Datasets defined in code
    (opendata.datasets) are written here when they are regenerated."""

    name = models.SlugField(_("name"), max_length=100, unique=True, help_text="CKAN's `name`.")
    title = models.CharField(_("title"), max_length=200)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200, blank=True)
    notes = models.TextField(_("description"), help_text="CKAN's `notes`, DCAT's description.")
    notes_nl = models.TextField(_("description (Dutch)"), blank=True)
    organization = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="datasets", help_text="CKAN's owner_org."
    )
    #: EU vocabularies (publications.europa.eu authority tables): data theme, frequency,
    #: licence; the High-Value Datasets category where the dataset is one.
    theme = models.CharField(_("theme"), max_length=10, help_text="EU data theme, e.g. SOCI.")
    frequency = models.CharField(_("frequency"), max_length=20, default="DAILY")
    licence = models.CharField(_("licence"), max_length=40, default="CC_BY_4_0")
    hvd_category = models.CharField(_("High-Value Datasets category"), max_length=20, blank=True)
    tags = models.JSONField(_("keywords"), default=list)
    metadata_created = models.DateTimeField()
    metadata_modified = models.DateTimeField(help_text="The newest version's time.")
    #: The last regeneration that failed (its error); cleared by the next that succeeds. The
    #: last good version stays online meanwhile.
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    #: The version online; none until the first regeneration succeeds (then it is published).
    current = models.ForeignKey(
        "DatasetVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["metadata_modified", "id"], name="dataset_modified"),
            models.Index(fields=["organization", "metadata_modified"], name="dataset_org_modified"),
        ]


class DatasetVersion(models.Model):
    """One published version: the table (column names and rows, withheld counts as null), the
    SHA-256 of its CSV, and the exchange's release it came from (for register counts)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created = models.DateTimeField()
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the CSV, hex.")
    table = models.JSONField(help_text='{"fields": [{"name", "type", "title"}], "rows": [[...]]}')
    release = models.CharField(max_length=64, blank=True, help_text="The exchange's release id.")
    withheld = models.PositiveIntegerField(default=0, help_text="Counts withheld.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="dataset_version_unique")
        ]
        ordering = ["dataset", "-number"]
