"""Staff pages of privacy oversight, under /staff/privacy/: the data protection officer's."""

from django.urls import path

from civic.compliance import views
from civic.compliance.retention import views as retention_views

app_name = "compliance"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("processing/", views.processing, name="processing"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:request_id>/", views.subject_request, name="request"),
    path("team/", views.privacy_team, name="privacy-team"),
    path("processing.pdf", views.processing_pdf, name="processing-pdf"),
]

# Access review, break-glass and the breach register (compliance/review, compliance/breaches).
from civic.compliance.breaches import views as breaches  # noqa: E402
from civic.compliance.review import views as review  # noqa: E402

urlpatterns += [
    path("reviews/", review.reviews, name="reviews"),
    path("reviews/<int:review_id>/", review.review, name="review"),
    path("break-glass/", review.break_glass, name="break-glass"),
    path("breaches/", breaches.breaches, name="breaches"),
    path("breaches/new/", breaches.breach_new, name="breach-new"),
    path("breaches/<int:breach_id>/", breaches.breach, name="breach"),
    path("retention/", retention_views.retention, name="retention"),
]
