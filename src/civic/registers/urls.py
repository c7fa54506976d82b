from django.urls import path

from civic.registers import views

app_name = "registers"

urlpatterns = [path("", views.catalogue_page, name="catalogue")]
