"""URLs of Civic: pages per app, one API under /api/, the back office under /admin/."""

from django.contrib import admin
from django.urls import include, path

from civic import views
from civic.api import api
from civic.identity import views as identity_views

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
    path("algorithms/", include("civic.decisions.urls")),
    path("calculator/", include("civic.decisions.calculator_urls")),
    path("services/", include("civic.catalog.urls")),
    path("sta/v1.1/", include("civic.sensors.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "civic.views.bad_request"
handler403 = "civic.views.forbidden"
handler404 = "civic.views.not_found"
handler500 = "civic.views.server_error"
