"""Tables of the catalogue. Texts are JSON objects keyed by language code (see core.i18n)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic.identity.models import Agency


class LifeEvent(models.Model):
    code = models.SlugField(unique=True)
    name = models.JSONField(_("name"))
    description = models.JSONField(_("description"), default=dict)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code


class Topic(models.Model):
    code = models.SlugField(unique=True)
    name = models.JSONField(_("name"))

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Service(models.Model):
    """Something a resident can get or must do, owned by an agency."""

    code = models.SlugField(unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services")
    name = models.JSONField(_("name"))
    summary = models.JSONField(_("what it is"))
    eligibility = models.JSONField(_("who can get it"), default=dict)
    cost = models.JSONField(_("what it costs"), default=dict)
    duration = models.JSONField(_("how long it takes"), default=dict)
    needs = models.JSONField(_("what you need"), default=dict)
    how_to_apply = models.JSONField(_("how to apply"), default=dict)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    keywords = models.JSONField(
        _("search words"), default=dict, help_text=_("Per language: words people use for it.")
    )
    life_events = models.ManyToManyField(LifeEvent, related_name="services", blank=True)
    topics = models.ManyToManyField(Topic, related_name="services", blank=True)
    granted_without_application = models.BooleanField(
        _("granted without application"), default=False
    )
    urgent = models.BooleanField(default=False)
    published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class NavigatorFlow(models.Model):
    """A guided question flow, as data: questions, and ends that name services or urgent help."""

    code = models.SlugField(unique=True)
    title = models.JSONField(_("title"))
    flow = models.JSONField(_("flow"), help_text=_("start and nodes; see docs/catalogue.md"))
    published = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.code
