"""URLs of Civic: pages per app, one API under /api/, the back office under /admin/."""

from django.contrib import admin
from django.urls import include, path

from civic import views
from civic.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("civic.identity.urls")),
    path("registers/", include("civic.registers.urls")),
    path("my/", include("civic.portal.urls")),
    path("services/", include("civic.catalog.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "civic.views.not_found"
handler500 = "civic.views.server_error"
