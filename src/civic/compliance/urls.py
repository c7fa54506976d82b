"""Staff pages of privacy oversight, under /staff/privacy/: the data protection officer's."""

from django.urls import path

from civic.compliance import views

app_name = "compliance"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("processing/", views.processing, name="processing"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:request_id>/", views.subject_request, name="request"),
    path("processing.pdf", views.processing_pdf, name="processing-pdf"),
]
