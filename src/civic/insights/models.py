"""What insights keeps: the digital-maturity index of each day, for its history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MaturitySnapshot(models.Model):
    """The index as computed on one day (the last computation of the day wins): the index, each
    dimension's score and each input's counts, as ``maturity_compute`` returns them."""

    day = models.DateField(_("day"), unique=True)
    computed_at = models.DateTimeField(_("computed at"))
    index = models.FloatField(_("index"), null=True, blank=True)
    dimensions = models.JSONField(_("dimensions"), default=list)
    inputs = models.JSONField(_("inputs"), default=dict)
    seconds = models.FloatField(_("seconds to compute"))

    class Meta:
        verbose_name = _("digital-maturity snapshot")
        verbose_name_plural = _("digital-maturity snapshots")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.index}"
