"""The register catalogue as a page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civic.registers import selectors


def catalogue_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registers/catalogue.html",
        {"registers": selectors.catalogue_list(), "jurisdiction": selectors.jurisdiction_get()},
    )
