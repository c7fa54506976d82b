"""The back office for forms: service owners add a version of a form's questions (checked
before it is saved), preview it, and publish it. A published version is never edited: the
next change is a new version, so every submission keeps the questions it answered.

Everything is scoped to the user's agency (``identity.backoffice``); saves go through the
forms services, which refuse another agency's form, service or purpose."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from civic.core.errors import CivicError, NotFound
from civic.exchange.selectors import purposes_for_forms
from civic.forms import schema as rules
from civic.forms.models import FormDefinition, FormVersion
from civic.forms.prefill import prefill_sources
from civic.forms.services import (
    FormInvalid,
    form_definition_save,
    form_purpose_check,
    form_version_publish,
    form_version_save,
)
from civic.identity.backoffice import ADD, CHANGE, VIEW, AgencyScopedAdmin
from civic.identity.models import Role

OWNERS = {
    Role.SERVICE_OWNER: frozenset({VIEW, ADD, CHANGE}),
    Role.ADMINISTRATOR: frozenset({VIEW, ADD, CHANGE}),
}


class FormDefinitionForm(forms.ModelForm):
    """The purpose is chosen from those the form may read under (``form_purpose_check``)."""

    class Meta:
        model = FormDefinition
        fields = ("code", "service", "purpose", "title")

    def clean(self):
        data = super().clean()
        if data.get("service") and data.get("purpose"):
            try:
                form_purpose_check(purpose=data["purpose"], service=data["service"])
            except CivicError as refusal:
                self.add_error("purpose", str(refusal))
        return data


@admin.register(FormDefinition)
class FormDefinitionAdmin(AgencyScopedAdmin):
    agency_path = "service__agency"
    role_permissions = OWNERS
    form = FormDefinitionForm
    list_display = ("code", "service", "purpose", "published_version", "retyped")
    readonly_fields = ("published_version", "retyped")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "purpose":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                help_text=_(
                    "A purpose your agency controls that is not confidential: residents see "
                    "every use of their data when they fill in the form."
                ),
                choices=[("", "---------")]
                + [(p.code, f"{p.code} – {p.name}") for p in purposes_for_forms(user=request.user)],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        try:
            form_definition_save(definition=obj, user=request.user)
        except NotFound as refusal:
            raise PermissionDenied from refusal

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
        problems = rules.schema_problems(self.cleaned_data["schema"], bindings=set(prefill_sources))
        if problems:
            raise forms.ValidationError(problems)
        return self.cleaned_data["schema"]


@admin.register(FormVersion)
class FormVersionAdmin(AgencyScopedAdmin):
    agency_path = "form__service__agency"
    role_permissions = OWNERS
    form = FormVersionForm
    list_display = ("form", "number", "status", "published_at", "retyped", "preview")
    list_filter = ("status", "form")
    actions = ["publish"]

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
        try:
            saved = form_version_save(form=obj.form, schema=obj.schema, user=request.user)
        except NotFound as refusal:
            raise PermissionDenied from refusal
        obj.pk, obj.number = saved.pk, saved.number

    @admin.action(description=_("Publish the chosen version"))
    def publish(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version to publish."), messages.ERROR)
            return
        try:
            version = form_version_publish(version=queryset.get(), user=request.user)
        except (FormInvalid, NotFound) as problems:
            self.message_user(request, str(problems), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Version %(number)s is now the form residents fill in.")
                % {"number": version.number},
            )
