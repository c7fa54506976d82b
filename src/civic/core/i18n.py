"""Content in several languages: a value per language code, shown in the active language.

Catalogue texts are stored as ``{"en": "...", "nl": "..."}``. Adding a language is then a
translation task only: add it to LANGUAGES, translate the .po file and fill in the texts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation


def tr(value: Any, language: str | None = None) -> str:
    """The text for the active language, falling back to the default language, then English."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    for code in (language, language.split("-")[0], settings.LANGUAGE_CODE, "en"):
        if value.get(code):
            return value[code]
    return next((text for text in value.values() if text), "")


def every_language(render: Callable[[], Any]) -> dict[str, str]:
    """``render()`` once in each language of LANGUAGES: a text written now (a timeline entry,
    a decision's reasons) stored for readers of every language, shown later with :func:`tr`
    in the reader's own. ``render`` builds the text from gettext and ``tr`` calls, so each
    language gets its own wording."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(render())
    return texts
