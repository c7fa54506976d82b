"""Turn one step of a form version into a Django form, so Django validates every answer.

Answers are stored as JSON: text as text, numbers and money as strings of their decimal,
dates as ISO dates, a repeating group as a list of objects. A group is shown with as many
items as the resident has (at least its ``min_items``, at least one), each item's fields
named ``<group>-<n>-<field>``; "add another" and "remove" are plain submit buttons, so it
works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _

from civic.core.formats import date_text, money_text
from civic.core.i18n import tr
from civic.core.params import date_in_range


class MoneyField(forms.DecimalField):
    """An amount in euros; a comma works as the decimal mark too (Dutch residents type 249,95)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("€", "").replace(" ", "")
            if "," in value and "." in value:  # 1.249,95 or 1,249.95: the last mark is the decimal
                thousands = "." if value.rfind(",") > value.rfind(".") else ","
                value = value.replace(thousands, "")
            value = value.replace(",", ".")
        return super().to_python(value)


def _django_field(spec: dict) -> forms.Field:
    kind = spec["type"]
    label = tr(spec["label"])
    required = spec.get("required", True)
    common: dict[str, Any] = {
        "label": label,
        "required": required,
        "help_text": tr(spec.get("hint")) if spec.get("hint") else "",
    }
    # The question's own message ("Select whose car it is."), as GOV.UK asks; a message made
    # from the question's words reads "Choose whose car is it?.", so the fallback names none.
    missing = tr(spec.get("error_required")) or {
        "choice": _("Select an answer."),
        "yesno": _("Select yes or no."),
        "file": _("Choose a file to upload."),
        "date": _("Enter a date."),
    }.get(kind, _("Enter an answer."))
    errors = {"required": missing}
    if kind in ("text", "textarea", "phone"):
        validators = []
        if spec.get("pattern"):
            validators.append(
                RegexValidator(
                    spec["pattern"],
                    tr(spec.get("pattern_message")) or _("Enter it in the form asked for."),
                )
            )
        if kind == "phone":
            validators.append(
                RegexValidator(
                    r"^\+?[0-9 ()-]{8,20}$", _("Enter a phone number, like 06 12345678.")
                )
            )
        return forms.CharField(
            **common,
            max_length=spec.get("max_length", 2000 if kind == "textarea" else 200),
            min_length=spec.get("min_length"),
            validators=validators,
            widget=forms.Textarea(attrs={"rows": 4}) if kind == "textarea" else None,
            error_messages={
                **errors,
                "max_length": _("Use at most %(limit_value)d characters; this has %(show_value)d."),
                "min_length": _(
                    "Use at least %(limit_value)d characters; this has %(show_value)d."
                ),
            },
        )
    if kind == "email":
        return forms.EmailField(
            **common,
            error_messages={
                **errors,
                "invalid": _("Enter an e-mail address, like name@example.org."),
            },
        )
    if kind == "number":
        return forms.IntegerField(
            **common,
            min_value=spec.get("min"),
            max_value=spec.get("max"),
            error_messages={**errors, "invalid": _("Enter a whole number.")},
        )
    if kind == "money":
        return MoneyField(
            **common,
            min_value=decimal.Decimal(str(spec.get("min", 0))),
            max_value=decimal.Decimal(str(spec["max"])) if "max" in spec else None,
            decimal_places=2,
            error_messages={**errors, "invalid": _("Enter an amount in euros, like 125.50.")},
        )
    if kind == "date":
        return forms.DateField(
            **common,
            validators=[date_in_range],
            error_messages={
                **errors,
                "invalid": _("Enter a date as year-month-day, for example 2026-03-01."),
            },
        )
    if kind == "choice":
        return forms.ChoiceField(
            **common,
            choices=[(o["value"], tr(o["label"])) for o in spec["options"]],
            widget=forms.RadioSelect,
            error_messages=errors,
        )
    if kind == "yesno":
        return forms.ChoiceField(
            **common,
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect,
            error_messages=errors,
        )
    if kind == "file":
        return forms.FileField(**common, error_messages=errors)
    raise ValueError(f"not a question type: {kind}")


def _stored(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class StepForm(forms.Form):
    """The questions of one step. ``fields_spec`` are the visible fields of the step."""

    def __init__(self, *args, fields_spec: list[dict], group_sizes: dict[str, int], **kwargs):
        self.fields_spec = fields_spec
        self.group_sizes = group_sizes
        super().__init__(*args, **kwargs)
        for spec in fields_spec:
            if spec["type"] == "prefill":
                continue
            if spec["type"] == "group":
                for index in range(group_sizes[spec["key"]]):
                    for member in spec["fields"]:
                        field = _django_field(member)
                        field.label = f"{field.label} ({tr(spec['label'])} {index + 1})"
                        self.fields[f"{spec['key']}-{index}-{member['key']}"] = field
            else:
                self.fields[spec["key"]] = _django_field(spec)

    def layout(self) -> list[dict[str, Any]]:
        """The step's questions in order, for the template: single fields and groups."""
        out = []
        for spec in self.fields_spec:
            if spec["type"] == "prefill":
                continue
            if spec["type"] == "group":
                items = [
                    [self[f"{spec['key']}-{i}-{m['key']}"] for m in spec["fields"]]
                    for i in range(self.group_sizes[spec["key"]])
                ]
                out.append(
                    {
                        "group": spec,
                        "label": tr(spec["label"]),
                        "items": items,
                        "can_add": len(items) < spec.get("max_items", 20),
                        "can_remove": len(items) > max(1, spec.get("min_items", 1)),
                    }
                )
            else:
                out.append({"field": self[spec["key"]], "spec": spec})
        return out

    def answers(self) -> dict[str, Any]:
        """The cleaned answers as JSON values (files are handled by the caller)."""
        out: dict[str, Any] = {}
        for spec in self.fields_spec:
            if spec["type"] in ("prefill", "file"):
                continue
            if spec["type"] == "group":
                out[spec["key"]] = [
                    {
                        m["key"]: _stored(self.cleaned_data.get(f"{spec['key']}-{i}-{m['key']}"))
                        for m in spec["fields"]
                        if m["type"] != "file"
                    }
                    for i in range(self.group_sizes[spec["key"]])
                ]
            else:
                out[spec["key"]] = _stored(self.cleaned_data.get(spec["key"]))
        return out


def initial_for(fields_spec: list[dict], answers: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values from saved answers."""
    initial: dict[str, Any] = {}
    for spec in fields_spec:
        if spec["type"] == "group":
            for index, item in enumerate(answers.get(spec["key"]) or []):
                for key, value in item.items():
                    initial[f"{spec['key']}-{index}-{key}"] = value
        elif spec["key"] in answers:
            initial[spec["key"]] = answers[spec["key"]]
    return initial


def group_sizes(fields_spec: list[dict], answers: dict[str, Any]) -> dict[str, int]:
    return {
        spec["key"]: max(len(answers.get(spec["key"]) or []), spec.get("min_items", 1), 1)
        for spec in fields_spec
        if spec["type"] == "group"
    }


def display(spec: dict, value: Any) -> str:
    """An answer in words, for the check-your-answers page and the receipt."""
    if value in (None, ""):
        return ""
    if spec["type"] == "yesno":
        return _("Yes") if value == "yes" else _("No")
    if spec["type"] == "choice":
        return next((tr(o["label"]) for o in spec["options"] if o["value"] == value), str(value))
    if spec["type"] == "money":
        return money_text(value, cents=True)
    if spec["type"] == "date":
        return date_text(value)
    return str(value)
