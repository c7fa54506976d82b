"""Figures on service pages come from where they are decided, never typed twice.

A catalogue text names a fact in braces and the page fills it in, in the reader's language:

- ``{login}``: how residents log in, from the configured login methods ("your national eID");
  ``{Login}`` the same with a capital, to start a sentence.
- ``{decision_period}``: the legal time to decide, from the service's case type ("8 weeks").
- ``{amount:PATH}``: the value in force today of the rule package's parameter PATH
  (``{amount:parking_permit.first_permit_fee}`` -> "€ 120").

The apps that decide these facts (cases, the rules) sit above the catalogue, so they register
their facts here when Django starts (``fact_register``), the way a port is filled. A fact that
cannot be given (no case type, an unknown parameter) leaves a visible gap ("…") and a warning in
the log, never the brace text; a test renders every service page and finds no brace left.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from civic.identity.login.registry import enabled_methods

log = logging.getLogger(__name__)

#: (service code, argument) -> the text, or None when it cannot be given.
Fact = Callable[[str, str], str | None]
_facts: dict[str, Fact] = {}
TOKEN = re.compile(r"\{([A-Za-z_]+)(?::([A-Za-z0-9_.]+))?\}")
MISSING = "…"


def fact_register(name: str, fact: Fact) -> None:
    _facts[name] = fact


def _login(_service: str, _argument: str) -> str | None:
    means = [str(method.means) for method in enabled_methods() if method.means]
    if not means:
        return None
    return (" " + _("or") + " ").join(means)


fact_register("login", _login)


def text_render(text: str, *, service_code: str) -> str:
    """``text`` with every ``{fact}`` filled in for the service."""
    if "{" not in text:
        return text

    def fill(match: re.Match) -> str:
        name, argument = match.group(1), match.group(2) or ""
        fact = _facts.get(name.lower())
        value = fact(service_code, argument) if fact else None
        if value is None:
            log.warning("service %s: no value for {%s}", service_code, match.group(0)[1:-1])
            return MISSING
        return value[:1].upper() + value[1:] if name[:1].isupper() else value

    return TOKEN.sub(fill, text)
