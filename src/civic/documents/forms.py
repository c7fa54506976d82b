"""The caseworker's forms: a correction of what was read, and a staff bulk upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civic.documents.extraction import stored_field_names
from civic.documents.extraction.names import field_label
from civic.documents.models import DocumentType


class CorrectionForm(forms.Form):
    """The type and the fields of the document's current type; the fields of another type are
    corrected after the type (the page then shows that type's fields)."""

    document_type = forms.ChoiceField(label=_("Type of document"), choices=DocumentType.choices)
    note = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=500,
        help_text=_("For example: the net amount was read wrongly."),
    )

    def __init__(self, *args, document_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_names = stored_field_names(document_type)
        for name in self.field_names:
            self.fields[f"field_{name}"] = forms.CharField(
                label=field_label(name), required=False, max_length=200
            )

    def corrected_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"field_{name}", "") for name in self.field_names}


class RouteForm(forms.Form):
    """Routing by hand: a case of the agency, or another agency's queue (one of the two)."""

    prefix = "route"
    case_reference = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=20,
        help_text=_("A case of your agency, for example AP-261205-385B6C."),
    )
    agency = forms.ChoiceField(label=_("Or send it to the queue of"), required=False)

    def __init__(self, *args, agencies: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("(no other agency)")), *agencies]

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("case_reference")) == bool(cleaned.get("agency")):
            raise forms.ValidationError(
                _("Give a case reference or choose an agency's queue, not both.")
            )
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's own recipe): each is cleaned as a file."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(item, initial) for item in data]
        return [one(data, initial)]


class BulkUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_("PDFs and scans (PNG, JPEG, TIFF); choose as many as you like."),
        error_messages={"required": _("Choose the files to upload.")},
    )
