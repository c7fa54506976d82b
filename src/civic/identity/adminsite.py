"""The back office (Django admin) logs in through Civic's staff login, password and second
factor alike: its own login form would be a second way in with the password alone."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class CivicAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        """Straight on to the staff login, remembering the back-office page asked for."""
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('identity:staff-login')}?{urlencode({'next': next_url})}")


class CivicAdminConfig(AdminConfig):
    default_site = "civic.identity.adminsite.CivicAdminSite"
