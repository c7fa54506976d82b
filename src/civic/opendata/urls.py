"""The open-data catalogue's pages and files, under /data/."""

from django.urls import path

from civic.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:name>/", views.dataset, name="dataset"),
    path("<slug:name>/datapackage.json", views.datapackage, name="datapackage"),
    path("<slug:name>/<str:filename>", views.dataset_file, name="file"),
]
