"""Template tags that render Django form fields as GOV.UK Frontend components.

``{% govuk_field form.name %}`` gives the label, hint, error message and input with the
classes and aria-describedby the design system asks for; the form keeps validating.
"""

from __future__ import annotations

from django import forms, template

register = template.Library()

INPUT_CLASS = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


@register.inclusion_tag("govuk/field.html")
def govuk_field(field, width: str = "", label_size: str = "", autocomplete: str = "") -> dict:
    widget = field.field.widget
    css = INPUT_CLASS.get(type(widget), "govuk-input")
    if field.errors:
        css += {
            "govuk-select": " govuk-select--error",
            "govuk-textarea": " govuk-textarea--error",
        }.get(css, " govuk-input--error")
    if width:
        css += f" govuk-input--width-{width}"
    described = [f"{field.id_for_label}-hint"] if field.help_text else []
    described += [f"{field.id_for_label}-error"] if field.errors else []
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "label_class": f"govuk-label govuk-label--{label_size}" if label_size else "govuk-label",
        "is_page_heading": label_size == "l",
    }


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(form) -> dict:
    return {"form": form}


@register.inclusion_tag("govuk/question.html")
def govuk_question(field) -> dict:
    """Any form field as its GOV.UK component: radios in a fieldset, a file upload, a date
    or a text input, with hint and error linked by aria-describedby."""
    widget = field.field.widget
    described = [f"{field.auto_id}-hint"] if field.help_text else []
    described += [f"{field.auto_id}-error"] if field.errors else []
    kind = "radios" if isinstance(widget, forms.RadioSelect) else "input"
    if kind == "input":
        if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
            css = "govuk-file-upload" + (" govuk-file-upload--error" if field.errors else "")
        elif isinstance(widget, forms.Textarea):
            css = "govuk-textarea" + (" govuk-textarea--error" if field.errors else "")
        else:
            css = "govuk-input" + (" govuk-input--error" if field.errors else "")
            if isinstance(field.field, forms.DateField | forms.IntegerField | forms.DecimalField):
                css += " govuk-input--width-10"
        attrs = {"class": css}
        if described:
            attrs["aria-describedby"] = " ".join(described)
        return {"field": field, "kind": kind, "widget": field.as_widget(attrs=attrs)}
    return {"field": field, "kind": kind, "described": " ".join(described)}
