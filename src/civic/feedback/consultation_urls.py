from django.urls import path

from civic.feedback import consultation_views as views

app_name = "consultations"

urlpatterns = [
    path("", views.consultations, name="list"),
    path("<slug:slug>/", views.consultation, name="consultation"),
]
