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


class FloodRiskModel(models.Model):
    """A flood-risk model as trained on the stored readings (insights/flood_risk): the fitted
    model, and how it scored on the latest hours, which it did not learn from."""

    trained_at = models.DateTimeField(_("trained at"))
    hours_ahead = models.PositiveSmallIntegerField(_("hours ahead"))
    since = models.DateTimeField(_("readings from"))
    until = models.DateTimeField(_("readings until"))
    #: Hours learnt from, calibrated on and scored on, and the high-water hours among them.
    split = models.JSONField(_("hours per part"), default=dict)
    #: features.FEATURES as they were when it was trained.
    features = models.JSONField(_("features"), default=list)
    #: model.evaluate on the scored hours: Brier, climatology, skill, reliability.
    evaluation = models.JSONField(_("evaluation"), default=dict)
    #: model.Fitted, pickled (written by flood_risk_train only).
    fitted = models.BinaryField(_("fitted model"))
    seconds = models.FloatField(_("seconds to train"))

    class Meta:
        verbose_name = _("flood-risk model")
        verbose_name_plural = _("flood-risk models")
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M}"


class FloodRiskAssessment(models.Model):
    """The chance of high water at one river gauge within the model's hours ahead, as judged
    at the end of one hour, and the neighbourhoods around the gauge it stands for."""

    at = models.DateTimeField(_("as of"))
    datastream = models.ForeignKey(
        "sensors.Datastream", on_delete=models.CASCADE, related_name="flood_risk_assessments"
    )
    model = models.ForeignKey(
        FloodRiskModel, on_delete=models.SET_NULL, null=True, related_name="assessments"
    )
    probability = models.FloatField(_("probability"))
    level = models.FloatField(_("level"))
    flood_level = models.FloatField(_("high-water line"))
    hours_ahead = models.PositiveSmallIntegerField(_("hours ahead"))
    neighbourhoods = models.JSONField(_("neighbourhoods"), default=list)
    names = models.JSONField(_("neighbourhood names"), default=list)
    #: The advisory this forecast drafted and that is still pending or in force, carried from
    #: one assessment to the next until it is withdrawn.
    advisory = models.ForeignKey(
        "sensors.Advisory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flood_risk_assessments",
    )

    class Meta:
        verbose_name = _("flood-risk assessment")
        verbose_name_plural = _("flood-risk assessments")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["datastream", "at"], name="insights_flood_risk_once_per_hour"
            )
        ]

    def __str__(self) -> str:
        return f"{self.datastream_id} {self.at:%Y-%m-%d %H:%M}: {self.probability:.2f}"
