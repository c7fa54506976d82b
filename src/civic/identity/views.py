"""Login pages for residents and staff. Thin: forms validate, services act."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civic.identity import selectors, services
from civic.identity.forms import OneTimeCodeForm, PersonalNumberForm, StaffLoginForm
from civic.identity.login.contrib.onetimecode.backend import OneTimeCodeBackend
from civic.identity.login.contrib.onetimecode.delivery import code_deliver
from civic.identity.login.registry import enabled_methods
from civic.identity.models import User
from civic.registers.selectors import person_is_registered

SESSION_PENDING_NUMBER = "civic.login.personal_number"
SESSION_NEXT = "civic.login.next"


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def resident_login(request: HttpRequest) -> HttpResponse:
    """Choose how to log in; remembers where the resident was going."""
    next_url = _safe_next(request, request.GET.get("next"))
    if next_url:
        request.session[SESSION_NEXT] = next_url
    return render(request, "identity/resident_login.html", {"methods": enabled_methods()})


def resident_login_code_request(request: HttpRequest) -> HttpResponse:
    form = PersonalNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["personal_number"]
        try:
            code = services.one_time_code_issue(personal_number=number)
        except services.LoginRefused as refusal:
            form.add_error("personal_number", str(refusal))
        else:
            # The same answer whether or not the number is registered, so the page cannot be
            # used to find out who lives here; an unregistered number has no outbox and so
            # never receives a code.
            if person_is_registered(personal_number=number):
                code_deliver(personal_number=number, code=code)
            request.session[SESSION_PENDING_NUMBER] = number
            return redirect("identity:resident-login-code")
    return render(request, "identity/resident_login_code_request.html", {"form": form})


def resident_login_code(request: HttpRequest) -> HttpResponse:
    number = request.session.get(SESSION_PENDING_NUMBER)
    if not number:
        return redirect("identity:resident-login-code-request")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Straight to the code backend, not through authenticate(): django-axes listens there
        # and would lock every resident behind the same address for one person's typos. Codes
        # have their own limits (five guesses burn a code; five codes an hour per number).
        user = OneTimeCodeBackend().authenticate(
            request, personal_number=number, one_time_code=form.cleaned_data["code"].strip()
        )
        if user is not None:
            services.login_event_record(
                method="onetimecode",
                personal_number=number,
                outcome="success",
                ip_address=_client_ip(request),
            )
            next_url = request.session.pop(SESSION_NEXT, None)
            login(
                request,
                user,
                backend="civic.identity.login.contrib.onetimecode.backend.OneTimeCodeBackend",
            )
            request.session.pop(SESSION_PENDING_NUMBER, None)
            return _with_preferred_language(redirect(next_url or "home"), user)
        services.login_event_record(
            method="onetimecode",
            personal_number=number,
            outcome="wrong-or-expired-code",
            ip_address=_client_ip(request),
        )
        form.add_error(
            "code",
            _("That code is not right or has expired. Check the message, or ask for a new code."),
        )
    return render(
        request,
        "identity/resident_login_code.html",
        {"form": form, "masked_number": f"{number[:3]}***{number[-2:]}"},
    )


class StaffLoginView(auth_views.LoginView):
    template_name = "identity/staff_login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        return self.get_redirect_url() or reverse("identity:staff-home")

    def form_valid(self, form):
        return _with_preferred_language(super().form_valid(form), form.get_user())


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


def _with_preferred_language(response: HttpResponse, user: User) -> HttpResponse:
    if user.preferred_language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response
