from django.urls import path

from civic.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("life-events/<slug:code>/", views.life_event, name="life-event"),
    path("guide/<slug:code>/", views.guide, name="guide"),
    path("<slug:code>/", views.service, name="service"),
]
