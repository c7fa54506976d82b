from django.urls import path

from civic.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("data/correct/", views.correction, name="correction"),
    path("data-use/", views.data_use, name="data-use"),
    path("representation/", views.representation, name="representation"),
]
