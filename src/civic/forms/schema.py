"""The shape of a form version's questions, checked before it can be saved or published, and
which steps and fields a resident's answers make visible.

A schema is ``{"steps": [step, ...]}``; a step has a ``key``, a ``title`` (per language),
optional ``show_if`` and ``fields``; a field has a ``key``, a ``type`` (see FIELD_TYPES), a
``label`` and optional ``hint`` (per language), ``required`` (default true), ``show_if``,
``options`` (for choices), limits (``min``, ``max``, ``min_length``, ``max_length``,
``pattern``), ``prefill`` (a binding name, for type ``prefill``), ``accept`` and
``max_size_mb`` (for files), and ``fields``, ``min_items``, ``max_items`` (for a repeating
``group``). ``show_if`` is ``{"field": key, "equals": value}`` or ``{"field": key, "in": [...]}``.
docs/forms.md describes it with an example.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

FIELD_TYPES = (
    "text",
    "textarea",
    "number",
    "money",
    "date",
    "choice",
    "yesno",
    "email",
    "phone",
    "file",
    "group",
    "prefill",
)
KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
#: Words meaning something the base registers already hold. A question (not a prefilled
#: field) whose key or ``asks_for`` is one of these makes the resident retype it.
REGISTER_HELD = {
    "name",
    "given_names",
    "first_name",
    "family_name",
    "surname",
    "last_name",
    "birth_date",
    "date_of_birth",
    "sex",
    "gender",
    "nationality",
    "personal_number",
    "bsn",
    "address",
    "street",
    "house_number",
    "postcode",
    "city",
    "municipality",
    "partner",
    "children",
    "income",
}


def _text_ok(value: Any) -> bool:
    return isinstance(value, dict) and bool(value.get("en"))


def schema_problems(schema: Any, *, bindings: set[str]) -> list[str]:
    """Everything wrong with a schema, in words a service owner can act on (empty when fine)."""
    if not isinstance(schema, dict) or not isinstance(schema.get("steps"), list):
        return [_("The questions must be an object with a list of “steps”.")]
    if not schema["steps"]:
        return [_("A form needs at least one step.")]
    problems: list[str] = []
    seen: dict[str, str] = {}
    for index, step in enumerate(schema["steps"], start=1):
        where = _("step %(number)s") % {"number": index}
        if not isinstance(step, dict):
            problems.append(_("%(where)s is not an object.") % {"where": where})
            continue
        if not KEY.match(str(step.get("key", ""))):
            problems.append(
                _("%(where)s needs a key of lower-case letters, digits and _.") % {"where": where}
            )
        if not _text_ok(step.get("title")):
            problems.append(_("%(where)s needs a title, at least in English.") % {"where": where})
        fields = step.get("fields")
        if not isinstance(fields, list) or not fields:
            problems.append(_("%(where)s has no questions.") % {"where": where})
            continue
        problems += _fields_problems(fields, where, seen, bindings, in_group=False)
    for step in schema["steps"]:
        if isinstance(step, dict):
            for field in [step, *step.get("fields", [])]:
                condition = field.get("show_if") if isinstance(field, dict) else None
                if condition and condition.get("field") not in seen:
                    problems.append(
                        _("“%(key)s” depends on “%(other)s”, which is not a question of this form.")
                        % {"key": field.get("key"), "other": condition.get("field")}
                    )
    return problems


def _fields_problems(
    fields: list, where: str, seen: dict[str, str], bindings: set[str], *, in_group: bool
) -> list[str]:
    problems = []
    for field in fields:
        if not isinstance(field, dict):
            problems.append(_("%(where)s has a question that is not an object.") % {"where": where})
            continue
        key = str(field.get("key", ""))
        if not KEY.match(key):
            problems.append(
                _("%(where)s: “%(key)s” is not a valid key.") % {"where": where, "key": key}
            )
            continue
        if key in seen:
            problems.append(_("The key “%(key)s” is used twice.") % {"key": key})
        seen[key] = field.get("type", "")
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            problems.append(
                _("“%(key)s” has an unknown type “%(type)s”.") % {"key": key, "type": kind}
            )
            continue
        if not _text_ok(field.get("label")):
            problems.append(_("“%(key)s” needs a label, at least in English.") % {"key": key})
        if "error_required" in field and not _text_ok(field["error_required"]):
            problems.append(
                _("“%(key)s” has an error message that is not text per language.") % {"key": key}
            )
        if kind == "choice" and not (
            isinstance(field.get("options"), list)
            and field["options"]
            and all(
                isinstance(o, dict) and "value" in o and _text_ok(o.get("label"))
                for o in field["options"]
            )
        ):
            problems.append(
                _("Choice “%(key)s” needs options, each with a value and a label.") % {"key": key}
            )
        if kind == "prefill" and field.get("prefill") not in bindings:
            problems.append(
                _(
                    "“%(key)s” is bound to “%(binding)s”, which is not a register value Civic can prefill."
                )
                % {"key": key, "binding": field.get("prefill")}
            )
        if kind == "group":
            if in_group:
                problems.append(_("Group “%(key)s” is inside another group.") % {"key": key})
            elif not isinstance(field.get("fields"), list) or not field["fields"]:
                problems.append(_("Group “%(key)s” has no questions.") % {"key": key})
            else:
                problems += _fields_problems(field["fields"], where, seen, bindings, in_group=True)
        if "pattern" in field:
            try:
                re.compile(field["pattern"])
            except (re.error, TypeError):
                problems.append(
                    _("“%(key)s” has a pattern that is not a valid regular expression.")
                    % {"key": key}
                )
    return problems


def values_of(prefilled: dict[str, dict], answers: dict[str, Any]) -> dict[str, Any]:
    """Every field's value: the confirmed register values and the resident's answers."""
    return {**{key: item["value"] for key, item in prefilled.items()}, **answers}


def condition_holds(condition: dict | None, answers: dict[str, Any]) -> bool:
    if not condition:
        return True
    value = answers.get(condition.get("field"))
    if "in" in condition:
        return value in condition["in"]
    return value == condition.get("equals")


def steps_visible(schema: dict, answers: dict[str, Any]) -> list[dict]:
    """The steps a resident with these answers goes through, in order."""
    return [s for s in schema["steps"] if condition_holds(s.get("show_if"), answers)]


def fields_visible(step: dict, answers: dict[str, Any]) -> list[dict]:
    return [f for f in step["fields"] if condition_holds(f.get("show_if"), answers)]


def questions(schema: dict) -> list[dict]:
    """Every field of every step, group members included."""
    out = []
    for step in schema.get("steps", []):
        for field in step.get("fields", []):
            out.append(field)
            out += field.get("fields", []) if field.get("type") == "group" else []
    return out


def retyped_questions(schema: dict) -> list[dict]:
    """Questions that ask the resident for something a base register already holds."""
    return [
        f
        for f in questions(schema)
        if f.get("type") not in ("prefill", "group")
        and ({f.get("key"), f.get("asks_for")} & REGISTER_HELD)
    ]


def prefill_counts(prefilled: dict[str, dict] | None) -> dict[str, int]:
    """A submission's ``prefill_questions`` and ``prefill_answered``, from its prefilled
    values (a value found by the register; the others the resident had to fill in)."""
    values = list((prefilled or {}).values())
    return {
        "prefill_questions": len(values),
        "prefill_answered": sum(v.get("value") not in (None, "", [], {}) for v in values),
    }
