"""Sessions' limits: a session ends a fixed time after login however busy it is
(CIVIC_SESSION_ABSOLUTE_HOURS), besides ending after two idle hours, so that a session taken
over cannot be kept alive for ever; and a staff session counts only once it passed the second
factor."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from civic.identity import selectors
from civic.identity.second_factor.session import PASSED

LOGGED_IN_AT = "civic.logged_in_at"
log = logging.getLogger("civic.identity")


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGGED_IN_AT)
            if started is None:
                request.session[LOGGED_IN_AT] = int(time.time())
            elif time.time() - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)  # the page then answers as it does to anyone not logged in
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """With CIVIC_STAFF_SECOND_FACTOR=required, a staff session is a session that passed the
    second factor: any other (made by a path that skipped the code, or let in by a factor
    that has been reset since) is logged out before a page sees it, so every staff page and
    the back office answer it as they answer anyone not logged in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and selectors.second_factor_required()
            and selectors.needs_second_factor(user=user)
            and not selectors.second_factor_is_current(
                user=user, factor_id=request.session.get(PASSED)
            )
        ):
            log.warning("staff session of user %s without its second factor ended", user.pk)
            logout(request)
        return self.get_response(request)
