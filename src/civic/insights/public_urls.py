from django.urls import path

from civic.insights import views

app_name = "performance"

urlpatterns = [
    path("<slug:code>/", views.performance_page, name="service"),
]
