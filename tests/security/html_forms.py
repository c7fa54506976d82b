"""What a browser sends from a form of a rendered page: the fields of one <form>, and a copy
with one free text changed (to forge a change from the owner's own form)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    """The fields of one <form> as a browser would submit them."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.kinds: dict[str, str] = {}
        self.select: tuple[str, bool] | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside or (not attributes.get("name") and tag not in ("option",)):
            return
        name = attributes.get("name", "")
        if tag in ("input", "select", "textarea"):
            self.kinds[name] = attributes.get("type", "text") if tag == "input" else tag
        if tag == "input":
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._add(name, attributes.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._add(name, attributes.get("value", ""))
        elif tag == "select":
            self.select, self.options = (name, "multiple" in attributes), []
        elif tag == "option" and self.select:
            self.options.append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea":
            self.textarea, self.text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            for value in chosen:
                self._add(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self._add(self.textarea, "".join(self.text).lstrip("\n"))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)


def form_data(page: str, form_id: str) -> dict[str, Any]:
    """What submitting the form ``form_id`` of ``page`` sends (one value or a list)."""
    return form_fields(page, form_id)[0]


def form_fields(page: str, form_id: str) -> tuple[dict[str, Any], dict[str, str]]:
    """``form_data``, and each field's kind ("text", "textarea", "select", "hidden", ...)."""
    reader = _FormReader(form_id)
    reader.feed(page)
    assert reader.data, f"no form {form_id!r} with fields on the page"
    data = {name: values[0] if len(values) == 1 else values for name, values in reader.data.items()}
    return data, reader.kinds


def with_one_text_changed(
    data: dict[str, Any], kinds: dict[str, str], keep: tuple[str, ...] = ()
) -> str | None:
    """Change the first free text of a form (in a JSON text, its first string); returns the
    field's name, or None when the form has no free text to change."""
    for name, value in data.items():
        if kinds.get(name) not in ("text", "textarea") or name in keep or "-" in name:
            continue
        if not isinstance(value, str):
            continue
        if value.startswith(("{", "[")):
            try:
                parsed = json.loads(value)
            except ValueError:
                continue
            first = next((k for k, v in parsed.items() if isinstance(v, str)), None)
            if isinstance(parsed, dict) and first:
                parsed[first] += " forged"
                data[name] = json.dumps(parsed)
                return name
            continue
        data[name] = f"{value} forged".strip()
        return name
    return None
