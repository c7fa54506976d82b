from django.urls import path

from civic.feedback import views

app_name = "feedback-staff"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:feedback_id>/moderate/", views.moderate, name="moderate"),
    path("<int:feedback_id>/act/", views.act_on, name="act-on"),
]
