"""URLs of Civic: pages per app, one API under /api/, the back office under /admin/."""

from django.contrib import admin
from django.urls import include, path, re_path

from civic import views
from civic.api import api
from civic.identity import views as identity_views
from civic.opendata import views as opendata_views
from civic.opendata.ckan import actions as ckan_actions

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("ready", views.ready, name="ready"),
    path("metrics", views.metrics, name="metrics"),
    path("i18n/setlang/", identity_views.language_set, name="set_language"),
    path("", include("civic.identity.urls")),
    path("registers/", include("civic.registers.urls")),
    path("my/", include("civic.portal.urls")),
    path("staff/cases/", include("civic.cases.urls")),
    path("staff/forms/", include("civic.forms.urls")),
    path("staff/rules/", include("civic.decisions.staff_urls")),
    path("staff/privacy/", include("civic.compliance.urls")),
    path("staff/insights/", include("civic.insights.urls")),
    path("staff/documents/", include("civic.documents.urls")),
    path("staff/feedback/", include("civic.feedback.staff_urls")),
    path("feedback/", include("civic.feedback.urls")),
    path("consultations/", include("civic.feedback.consultation_urls")),
    path("performance/", include("civic.insights.public_urls")),
    path("algorithms/", include("civic.decisions.urls")),
    path("calculator/", include("civic.decisions.calculator_urls")),
    path("services/", include("civic.catalog.urls")),
    path("data/", include("civic.opendata.urls")),
    re_path(r"^catalog\.(?P<extension>ttl|rdf|jsonld)$", opendata_views.catalogue_rdf, name="dcat"),
    # CKAN's Action API (read-only), where CKAN clients and harvesters look for it.
    path("api/3/action/<str:name>", ckan_actions.action, name="ckan-action"),
    path("api/action/<str:name>", ckan_actions.action, name="ckan-action-unversioned"),
    path("sta/v1.1/", include("civic.sensors.urls")),
    path("advisories/", include("civic.sensors.advisory_urls")),
    path("staff/sensors/", include("civic.sensors.operator_urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "civic.views.bad_request"
handler403 = "civic.views.forbidden"
handler404 = "civic.views.not_found"
handler500 = "civic.views.server_error"
