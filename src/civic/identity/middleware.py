"""A session ends a fixed time after login however busy it is (CIVIC_SESSION_ABSOLUTE_HOURS),
besides ending after two idle hours: a session taken over cannot be kept alive for ever."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LOGGED_IN_AT = "civic.logged_in_at"


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
