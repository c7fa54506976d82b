"""Login pages for residents and staff. Thin: forms validate, services act."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from civic.identity import selectors, services
from civic.identity.forms import StaffLoginForm
from civic.identity.login.registry import enabled_methods
from civic.identity.login.session import SESSION_NEXT, safe_next, with_preferred_language
from civic.identity.models import User
from civic.identity.second_factor import session as second_factor_session


def resident_login(request: HttpRequest) -> HttpResponse:
    """Choose how to log in; remembers where the resident was going."""
    next_url = safe_next(request, request.GET.get("next"))
    if next_url:
        request.session[SESSION_NEXT] = next_url
    return render(request, "identity/resident_login.html", {"methods": enabled_methods()})


class StaffLoginView(auth_views.LoginView):
    template_name = "identity/staff_login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        return self.get_redirect_url() or reverse("identity:staff-home")

    def form_valid(self, form):
        """The right password: with the second factor on, the session only remembers that
        (Django's login waits for the code); the next page asks for the code, or sets up the
        authenticator app of someone who has none yet."""
        user = form.get_user()
        if not (selectors.second_factor_required() and selectors.needs_second_factor(user=user)):
            return with_preferred_language(super().form_valid(form), user)
        second_factor_session.pending_start(self.request, user, self.get_redirect_url())
        if selectors.second_factor_get(user=user) is None:
            return redirect("identity:staff-login-enrol")
        return redirect("identity:staff-login-code")


def staff_login_locked(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """django-axes calls this when a staff login is locked after too many failures."""
    return render(
        request,
        "identity/staff_login_locked.html",
        {"minutes": settings.STAFF_LOGIN_COOLOFF_MINUTES},
        status=429,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")


@login_required(login_url="identity:staff-login")
def staff_home(request: HttpRequest) -> HttpResponse:
    if request.user.kind != User.Kind.STAFF:
        return redirect("home")
    roles = sorted(selectors.staff_roles(user=request.user))
    return render(request, "identity/staff_home.html", {"roles": roles})


def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, redirect back), and the choice remembered on the account."""
    from django.views.i18n import set_language

    response = set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        services.user_language_set(user=request.user, language=language)
    return response
