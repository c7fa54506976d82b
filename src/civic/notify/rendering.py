"""Writing a message from a template: Django template syntax over a context, as plain text, in
the recipient's language (dates included)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import gettext as _

from civic.core.errors import CivicError
from civic.core.i18n import tr

#: Plain-text templates: nothing is HTML-escaped; pages escape the text when they show it.
_ENGINE = Engine(autoescape=False)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")


def template_check(*, source: str, language: str = "") -> None:
    """Raise :class:`CivicError` when ``source`` is not a valid template."""
    try:
        _ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        raise CivicError(
            _("The %(language)s text is not a valid template: %(error)s")
            % {"language": language or "", "error": error}
        ) from None


def context_value(value: Any, language: str) -> Any:
    """A value given in every language ({"en": .., "nl": ..}) becomes the recipient's; an ISO
    date or date-time string (a context that went through JSON) becomes a date again."""
    codes = {code for code, _name in settings.LANGUAGES}
    if isinstance(value, dict) and value and set(value) <= codes:
        return tr(value, language)
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value)
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def render(source: str, context: dict[str, Any], language: str) -> str:
    """``source`` rendered over ``context`` in ``language``; raises TemplateSyntaxError."""
    values = {key: context_value(value, language) for key, value in context.items()}
    with translation.override(language):
        return _ENGINE.from_string(source).render(Context(values, autoescape=False)).strip()
