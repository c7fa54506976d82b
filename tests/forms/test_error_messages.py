"""Each question of the demo's forms says in its own words what is missing (GOV.UK style), in
both languages; a message is never made of the question's text."""

from __future__ import annotations

import json

from civic.forms.schema import schema_problems
from civic.setup.services import DEMO_SETUP

FORMS = json.loads((DEMO_SETUP.parent / "forms.json").read_text(encoding="utf-8"))


def _questions(fields):
    for field in fields:
        yield field
        yield from _questions(field.get("fields", []))


def test_every_required_question_of_the_demo_forms_has_its_own_message_in_both_languages():
    missing = []
    for form in FORMS:
        for step in form["steps"]:
            for field in _questions(step["fields"]):
                if field["type"] in ("prefill", "group") or not field.get("required", True):
                    continue
                message = field.get("error_required", {})
                if not (message.get("en") and message.get("nl")):
                    missing.append(f"{form['code']}.{field['key']}")
                elif message["en"].endswith("?.") or field["label"]["en"] in message["en"]:
                    missing.append(f"{form['code']}.{field['key']} (made of the question)")
    assert missing == []


def test_a_message_that_is_not_text_per_language_is_refused():
    schema = {
        "steps": [
            {
                "key": "one",
                "title": {"en": "One"},
                "fields": [
                    {"key": "a", "type": "text", "label": {"en": "A"}, "error_required": "Enter A"}
                ],
            }
        ]
    }
    assert schema_problems(schema, bindings=set()) == [
        "“a” has an error message that is not text per language."
    ]
