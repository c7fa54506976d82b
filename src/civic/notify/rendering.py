"""Writing a message from a template: Django template syntax over a context, as plain text, in
the recipient's language (dates included).

Staff write these templates in the back office, so they get a small part of Django's language
only: the tags and filters in ALLOWED_TAGS and ALLOWED_FILTERS. The engine knows no others
(``{% debug %}`` would print the whole context, ``{% include %}`` and ``{% extends %}`` read
files, ``{% load %}`` brings in more tags), so a template stored some other way fails when it is
rendered too; :func:`template_check` names the tag or filter that is not allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.base import Lexer, TokenType, filter_re
from django.utils import translation
from django.utils.translation import gettext as _

from civic.core.errors import CivicError
from civic.core.i18n import tr

#: Tags a message template may use, with the words that continue or close them.
ALLOWED_TAGS = {
    "if": ("elif", "else", "endif"),
    "for": ("empty", "endfor"),
    "with": ("endwith",),
    "firstof": (),
    "comment": ("endcomment",),
}
ALLOWED_FILTERS = (
    "add", "capfirst", "date", "default", "default_if_none", "first", "floatformat", "join",
    "last", "length", "lower", "pluralize", "time", "title", "truncatechars", "truncatewords",
    "upper", "wordwrap", "yesno",
)  # fmt: skip
_TAG_WORDS = set(ALLOWED_TAGS) | {word for words in ALLOWED_TAGS.values() for word in words}


def _library() -> Library:
    library = Library()
    for name in ALLOWED_TAGS:
        library.tags[name] = defaulttags.register.tags[name]
    for name in ALLOWED_FILTERS:
        library.filters[name] = defaultfilters.register.filters[name]
    return library


#: Plain-text templates: nothing is HTML-escaped; pages escape the text when they show it.
_ENGINE = Engine(autoescape=False)
_ENGINE.template_builtins = [_library()]  # instead of all of Django's tags and filters
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")


def _not_allowed(source: str) -> tuple[str, str] | None:
    """("tag" or "filter", name) of the first tag or filter ``source`` uses that is not
    allowed, or None."""
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            words = token.contents.split(None, 1)
            if not words or words[0] not in _TAG_WORDS:
                return "tag", words[0] if words else ""
            expressions = words[1] if len(words) > 1 else ""
        elif token.token_type == TokenType.VAR:
            expressions = token.contents
        else:
            continue
        for found in filter_re.finditer(expressions):
            name = found.group("filter_name")
            if name and name not in ALLOWED_FILTERS:
                return "filter", name
    return None


def template_check(*, source: str, language: str = "") -> None:
    """Raise :class:`CivicError` when ``source`` is not a valid template, or uses a tag or
    filter that message templates may not use (named in the message)."""
    forbidden = _not_allowed(source)
    if forbidden is not None:
        kind, name = forbidden
        allowed = ", ".join(sorted(ALLOWED_TAGS) if kind == "tag" else ALLOWED_FILTERS)
        message = (
            _(
                "The %(language)s text uses the tag “%(name)s”, which message templates may not "
                "use. They may use: %(allowed)s."
            )
            if kind == "tag"
            else _(
                "The %(language)s text uses the filter “%(name)s”, which message templates may "
                "not use. They may use: %(allowed)s."
            )
        )
        raise CivicError(message % {"language": language, "name": name, "allowed": allowed})
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
