"""The back office for forms: service owners add a version of a form's questions (checked
before it is saved), preview it, and publish it. A published version is never edited: the
next change is a new version, so every submission keeps the questions it answered."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civic.catalog.admin import ServiceOwnerAccess
from civic.forms import schema as rules
from civic.forms.models import FormDefinition, FormVersion
from civic.forms.prefill import BINDINGS
from civic.forms.services import FormInvalid, form_version_publish, form_version_save


class _AgencyScoped(ServiceOwnerAccess):
    agency_path = "service__agency"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.agency_path: request.user.agency})

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, None) and (
            obj is None
            or request.user.is_superuser
            or self._agency_id(obj) == request.user.agency_id
        )

    def _agency_id(self, obj) -> int:
        return obj.service.agency_id


@admin.register(FormDefinition)
class FormDefinitionAdmin(_AgencyScoped):
    list_display = ("code", "service", "purpose", "published_version", "retyped")
    readonly_fields = ("published_version", "retyped")

    @admin.display(description=_("published version"))
    def published_version(self, obj: FormDefinition):
        version = obj.versions.filter(status=FormVersion.Status.PUBLISHED).first()
        return version.number if version else "–"

    @admin.display(description=_("questions a register could answer"))
    def retyped(self, obj: FormDefinition):
        version = obj.versions.filter(status=FormVersion.Status.PUBLISHED).first()
        return len(rules.retyped_questions(version.schema)) if version else "–"


class FormVersionForm(forms.ModelForm):
    schema = forms.JSONField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
        help_text=_("Steps and fields as JSON; see docs/forms.md."),
    )

    class Meta:
        model = FormVersion
        fields = ("form", "schema")

    def clean_schema(self):
        problems = rules.schema_problems(self.cleaned_data["schema"], bindings=set(BINDINGS))
        if problems:
            raise forms.ValidationError(problems)
        return self.cleaned_data["schema"]


@admin.register(FormVersion)
class FormVersionAdmin(_AgencyScoped):
    agency_path = "form__service__agency"
    form = FormVersionForm
    list_display = ("form", "number", "status", "published_at", "retyped", "preview")
    list_filter = ("status", "form")
    actions = ["publish"]

    def _agency_id(self, obj) -> int:
        return obj.form.service.agency_id

    def get_readonly_fields(self, request, obj=None):
        # A saved version is history: change the questions by adding a new version.
        return ("form", "schema_text", "number", "status", "published_at") if obj else ()

    def get_fields(self, request, obj=None):
        return (
            ("form", "number", "status", "published_at", "schema_text")
            if obj
            else ("form", "schema")
        )

    @admin.display(description=_("questions"))
    def schema_text(self, obj: FormVersion):
        return format_html("<pre>{}</pre>", json.dumps(obj.schema, indent=2, ensure_ascii=False))

    @admin.display(description=_("questions a register could answer"))
    def retyped(self, obj: FormVersion):
        return len(rules.retyped_questions(obj.schema))

    @admin.display(description=_("preview"))
    def preview(self, obj: FormVersion):
        return format_html(
            '<a href="{}">{}</a>', reverse("forms:preview", args=[obj.pk]), _("Preview")
        )

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = form_version_save(form=obj.form, schema=obj.schema)
        obj.pk, obj.number = saved.pk, saved.number

    @admin.action(description=_("Publish the chosen version"))
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version to publish."), messages.ERROR)
            return
        try:
            version = form_version_publish(version=queryset.get())
        except FormInvalid as problems:
            self.message_user(request, str(problems), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Version %(number)s is now the form residents fill in.")
                % {"number": version.number},
            )
