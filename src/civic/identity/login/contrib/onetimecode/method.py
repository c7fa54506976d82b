"""``onetimecode``: a code sent to the resident (demo; refused in production)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from civic.identity.login.base import LoginMethod
from civic.identity.login.registry import login_methods


@login_methods.register
class OneTimeCodeLogin(LoginMethod):
    key = "onetimecode"
    label = _("Log in with a one-time code")
    description = _("Enter your personal number and we send you a code to log in with.")
    url_name = "identity:resident-login-code-request"
    means = _("a one-time code sent to you")
