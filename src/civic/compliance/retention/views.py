"""The data protection officer's page of retention runs and field-key rotation. Thin."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civic.compliance.retention import selectors
from civic.identity.access import staff_with
from civic.identity.models import Role


@staff_with(Role.DATA_PROTECTION_OFFICER)
def retention(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "compliance/retention.html",
        {
            "runs": selectors.retention_runs_list(user=request.user),
            "rotation": selectors.key_rotation_latest(),
        },
    )
