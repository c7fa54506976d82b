"""Staff pages of privacy oversight, under /staff/privacy/: the data protection officer's."""

from django.urls import path

from civic.compliance import views
from civic.compliance.retention import views as retention_views

app_name = "compliance"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("retention/", retention_views.retention, name="retention"),
]
