"""Resident pages: thin, composed from other apps' selectors."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from civic.exchange.selectors import usage_page
from civic.identity.selectors import resident_personal_number
from civic.portal.forms import UsageFilterForm

PAGE_SIZE = 25


@login_required
def data_use(request: HttpRequest) -> HttpResponse:
    """Who used my data: every logged use, newest first, in plain words."""
    number = resident_personal_number(user=request.user)
    if number is None:
        return redirect("home")
    form = UsageFilterForm(request.GET or None)
    since = until = None
    if form.is_bound and form.is_valid():
        zone = timezone.get_current_timezone()
        if form.cleaned_data["since"]:
            since = dt.datetime.combine(form.cleaned_data["since"], dt.time.min, zone)
        if form.cleaned_data["until"]:
            until = dt.datetime.combine(
                form.cleaned_data["until"] + dt.timedelta(days=1), dt.time.min, zone
            )
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    usage = usage_page(
        personal_number=number,
        since=since,
        until=until,
        offset=(page_number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    pages = max(1, -(-usage["total"] // PAGE_SIZE))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/data_use.html",
        {
            "form": form,
            "usage": usage,
            "page": page_number,
            "pages": pages,
            "previous_page": page_number - 1 if page_number > 1 else None,
            "next_page": page_number + 1 if page_number < pages else None,
            "filter_query": query.urlencode(),
        },
    )
