from django.urls import path

from civic.insights import views

app_name = "performance"

urlpatterns = [
    # Before the services' pages: a service code could be "maturity" too.
    path("maturity/", views.maturity_page, name="maturity"),
    path("<slug:code>/", views.performance_page, name="service"),
]
