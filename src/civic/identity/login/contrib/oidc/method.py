"""``oidc``: the national eID, through OpenID Connect."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civic.identity.login.base import LoginMethod
from civic.identity.login.registry import login_methods


@login_methods.register
class EidLogin(LoginMethod):
    key = "oidc"
    label = _("Log in with your national eID")
    description = _("You are sent to the national eID service and back.")
    url_name = "identity:eid-login-start"
    means = _("your national eID")
