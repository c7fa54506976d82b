"""The interface every resident login method implements (a plugin, as in Open Formulieren)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class LoginMethod:
    key: str
    label: str | Promise
    description: str | Promise
    #: Name of the URL that starts this method's login.
    url_name: str
    #: What a resident logs in with, as words in a sentence ("your national eID"); service
    #: pages say "apply online with ..." from the methods switched on.
    means: str | Promise = ""
