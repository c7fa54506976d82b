from django.urls import path

from civic.feedback import consultation_views, views

app_name = "feedback-staff"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:feedback_id>/moderate/", views.moderate, name="moderate"),
    path("<int:feedback_id>/act/", views.act_on, name="act-on"),
    path("consultations/", consultation_views.staff_consultations, name="consultations"),
    path(
        "consultations/<slug:slug>/",
        consultation_views.staff_consultation,
        name="consultation",
    ),
]
