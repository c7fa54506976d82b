from django.urls import path, re_path

from civic.sensors import views

urlpatterns = [
    path("", views.service_root, name="sta_root"),
    re_path(r"^(?P<path>.+)$", views.resource, name="sta_resource"),
]
