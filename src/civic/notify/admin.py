"""The back office for notify: the installation's operator edits message templates in every
language (every agency's messages use them), reads each delivery's status, attempts and last
error, and may send failed ones again. No agency's staff work here (see docs/security.md).

Residents' messages themselves are not listed: they are for the resident."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civic.core.errors import CivicError
from civic.identity.backoffice import AgencyScopedAdmin
from civic.notify.models import Delivery, Template
from civic.notify.services import deliveries_requeue, template_check


def _language_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for code, name in settings.LANGUAGES:
        fields[f"subject_{code}"] = forms.CharField(
            label=_("Subject (%(language)s)") % {"language": name}, max_length=300
        )
        fields[f"body_{code}"] = forms.CharField(
            label=_("Text (%(language)s)") % {"language": name},
            widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
            help_text=_(
                "Django template syntax: {{ reference }}, {{ service }}, "
                '{{ due_date|date:"j F Y" }}, {% if note %}…{% endif %}.'
            ),
        )
    return fields


class _TemplateForm(forms.ModelForm):
    """One subject and one text box per language instead of raw JSON."""

    class Meta:
        model = Template
        fields = ["code", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            self.fields[f"subject_{code}"].initial = (self.instance.subject or {}).get(code, "")
            self.fields[f"body_{code}"].initial = (self.instance.body or {}).get(code, "")

    def clean(self):
        data = super().clean()
        for code, _name in settings.LANGUAGES:
            for part in ("subject", "body"):
                field = f"{part}_{code}"
                if data.get(field):
                    try:
                        template_check(source=data[field], language=code)
                    except CivicError as error:
                        self.add_error(field, str(error))
        return data

    def save(self, commit=True):
        template = super().save(commit=False)
        languages = [code for code, _name in settings.LANGUAGES]
        template.subject = {code: self.cleaned_data[f"subject_{code}"] for code in languages}
        template.body = {code: self.cleaned_data[f"body_{code}"] for code in languages}
        if commit:
            template.save()
        return template


# The per-language fields are declared on the class (the admin asks for declared fields).
TemplateForm = type(_TemplateForm)("TemplateForm", (_TemplateForm,), _language_fields())


@admin.register(Template)
class TemplateAdmin(AgencyScopedAdmin):
    form = TemplateForm
    list_display = ("code", "description", "updated_at")
    search_fields = ("code", "description")

    def get_fields(self, request, obj=None):
        return ["code", "description"] + [
            f"{part}_{code}" for code, _name in settings.LANGUAGES for part in ("subject", "body")
        ]


@admin.action(description=_("Send again from the start"))
def send_again(modeladmin, request, queryset):
    queued = deliveries_requeue(delivery_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d delivery will be sent again.",
            "%(count)d deliveries will be sent again.",
            queued,
        )
        % {"count": queued},
        messages.SUCCESS,
    )


@admin.register(Delivery)
class DeliveryAdmin(AgencyScopedAdmin):
    """Read-only: what went out by which channel, and what went wrong."""

    list_display = (
        "id",
        "created_at",
        "template",
        "reference",
        "channel",
        "masked_address",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("status", "channel", "message__template_code")
    search_fields = ("message__reference",)
    list_select_related = ("message",)
    actions = [send_again]
    date_hierarchy = "created_at"

    @admin.display(description=_("template"))
    def template(self, delivery):
        return delivery.message.template_code

    @admin.display(description=_("reference"))
    def reference(self, delivery):
        return delivery.message.reference

    @admin.display(description=_("address"))
    def masked_address(self, delivery):
        address = delivery.address
        return f"{address[:3]}***{address[-2:]}" if len(address) > 5 else "***"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Delivery._meta.fields if field.name != "address"] + [
            "masked_address"
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list's action needs change permission; the form stays read-only.
        return super().has_change_permission(request, obj) and obj is None

    def has_delete_permission(self, request, obj=None):
        return False
