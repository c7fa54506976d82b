"""The interface every resident login method implements (a plugin, as in Open Formulieren).

A method is a subclass of :class:`LoginMethod` whose class attributes say what the login page
shows; it registers itself with ``registry.login_methods`` from its ``contrib/<key>/method.py``
and brings its own pages (views, listed in ``identity/urls.py``) and authentication backend.
"""

from __future__ import annotations

from django.utils.functional import Promise


class LoginMethod:
    #: The key CIVIC_RESIDENT_LOGIN_METHODS names it by.
    key: str = "base"
    label: str | Promise = ""
    description: str | Promise = ""
    #: Name of the URL that starts this method's login.
    url_name: str = ""
    #: What a resident logs in with, as words in a sentence ("your national eID"); service
    #: pages say "apply online with ..." from the methods switched on.
    means: str | Promise = ""
