from django.urls import path

from civic.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.give, name="give"),
    path("thanks/", views.thanks, name="thanks"),
]
