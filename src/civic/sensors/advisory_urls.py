from django.urls import path, re_path

from civic.sensors import advisory_views as views

app_name = "advisories"

urlpatterns = [
    path("", views.advisory_list, name="list"),
    path("feed.atom", views.advisory_feed, name="feed"),
    re_path(r"^(?P<identifier>[\w.-]+)\.cap$", views.advisory_cap, name="cap"),
    re_path(r"^(?P<identifier>[\w.-]+)/$", views.advisory_page, name="page"),
]
