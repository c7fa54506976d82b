from django.urls import path

from civic.portal import views

app_name = "portal"

urlpatterns = [path("data-use/", views.data_use, name="data-use")]
