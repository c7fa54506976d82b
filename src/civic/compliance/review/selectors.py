"""Reads of access review for the data protection officer's queue."""

from __future__ import annotations

from civic.compliance.review.models import AccessReview, AccessReviewRun
from civic.identity.selectors import agency_scoped

PAGE = 50


def access_reviews_list(*, user, show: str = "open") -> list[AccessReview]:
    reviews = agency_scoped(AccessReview.objects.select_related("staff"), user=user)
    if show == "open":
        reviews = reviews.filter(status=AccessReview.Status.OPEN)
    return list(reviews.order_by("-raised_at", "-pk")[:PAGE])


def access_review_get(*, user, review_id: int) -> AccessReview | None:
    return (
        agency_scoped(AccessReview.objects.all(), user=user)
        .select_related("staff", "decided_by")
        .filter(pk=review_id)
        .first()
    )


def access_review_last_run() -> AccessReviewRun | None:
    return AccessReviewRun.objects.order_by("-pk").first()
