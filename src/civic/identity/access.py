"""Page access for staff: a decorator that lets in logged-in staff holding one of the roles
and shows the 403 page to everyone else (anonymous visitors go to the staff login)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import render

from civic.identity.models import User
from civic.identity.selectors import staff_has_role


def staff_with(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required(login_url="identity:staff-login")
        def wrapper(request: HttpRequest, *args, **kwargs):
            user = request.user
            if user.kind != User.Kind.STAFF or not any(
                staff_has_role(user=user, role=role) for role in roles
            ):
                return render(request, "403.html", status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
