"""Pages of access review: the data protection officer's queue and one review to decide, and
the break-glass page where a staff member reads a person's data without a case by stating a
reason. Thin: the services scope, check and write."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civic.compliance.review import selectors, services
from civic.compliance.review.models import AccessReview
from civic.core.errors import CivicError, NotFound
from civic.exchange.selectors import QueryRefused
from civic.identity.access import staff_with
from civic.identity.models import Role

STAFF_WHO_READ = (
    Role.CASEWORKER,
    Role.SERVICE_OWNER,
    Role.DATA_PROTECTION_OFFICER,
    Role.ADMINISTRATOR,
)


@staff_with(Role.DATA_PROTECTION_OFFICER)
def reviews(request: HttpRequest) -> HttpResponse:
    # The queue is brought up to date when the officer opens it (a bounded pass; the
    # scheduled `civic accessreview` does the same between visits).
    services.access_review_run(limit=20_000)
    show = "all" if request.GET.get("show") == "all" else "open"
    done = request.GET.get("done", "")
    return render(
        request,
        "compliance/reviews.html",
        {
            "reviews": selectors.access_reviews_list(user=request.user, show=show),
            "show": show,
            "done": done if done in AccessReview.Status.values else "",
            "last_run": selectors.access_review_last_run(),
        },
    )


@staff_with(Role.DATA_PROTECTION_OFFICER)
def review(request: HttpRequest, review_id: int) -> HttpResponse:
    found = selectors.access_review_get(user=request.user, review_id=review_id)
    if found is None:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            services.access_review_decide(
                user=request.user,
                review_id=found.pk,
                decision=decision,
                note=request.POST.get("note", ""),
            )
        except NotFound:
            raise Http404 from None
        except services.OwnReadsRefused as refusal:
            errors["decision"] = str(refusal)
        except CivicError as refusal:
            field = "decision" if decision not in AccessReview.Status.values else "note"
            errors[field] = str(refusal)
        else:
            return redirect(f"{reverse('compliance:reviews')}?done={decision}")
    return render(
        request,
        "compliance/review.html",
        {
            "review": found,
            # Nobody decides on their own reads (the service refuses): no form to fill in vain.
            "own_reads": found.staff_id == request.user.pk,
            "errors": errors,
            "decision": request.POST.get("decision", ""),
            "note": request.POST.get("note", found.note),
        },
        status=400 if errors else 200,
    )


@staff_with(*STAFF_WHO_READ)
def break_glass(request: HttpRequest) -> HttpResponse:
    purposes = services.break_glass_purposes(user=request.user)
    errors: dict[str, str] = {}
    shown = None
    if request.method == "POST":
        number = request.POST.get("personal_number", "").strip()
        purpose = request.POST.get("purpose", "")
        if not number:
            errors["personal_number"] = _("Enter the person's personal number.")
        try:
            services.break_glass_reason_clean(request.POST.get("reason", ""))
        except CivicError as refusal:
            errors["reason"] = str(refusal)
        if purpose not in {row["purpose"] for row in purposes}:
            errors["purpose"] = _("Choose one of the purposes you may read personal data under.")
        if not errors:
            try:
                shown = services.break_glass_read(
                    user=request.user,
                    personal_number=number,
                    purpose=purpose,
                    reason=request.POST.get("reason", ""),
                )
            except QueryRefused as refusal:
                errors["personal_number" if refusal.items else "form"] = str(refusal)
            except CivicError as refusal:
                errors["form"] = str(refusal)
    rows = []
    if shown:
        for record_type, value in shown["records"].items():
            for item in value if isinstance(value, list) else [value]:
                for attribute, content in (item or {}).items():
                    rows.append({"attribute": f"{record_type}.{attribute}", "value": content})
    return render(
        request,
        "compliance/break_glass.html",
        {
            "purposes": purposes,
            "errors": errors,
            "posted": request.POST,
            "shown": shown,
            "rows": rows,
        },
        status=400 if errors else 200,
    )
