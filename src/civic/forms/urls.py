from django.urls import path

from civic.forms import views

app_name = "forms"

urlpatterns = [
    path("<int:version_id>/preview/", views.preview, name="preview"),
]
