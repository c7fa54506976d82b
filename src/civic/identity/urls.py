from django.urls import path

from civic.identity import views

app_name = "identity"

urlpatterns = [
    path("login/", views.resident_login, name="resident-login"),
    path(
        "login/code/request/", views.resident_login_code_request, name="resident-login-code-request"
    ),
    path("login/code/", views.resident_login_code, name="resident-login-code"),
    path("logout/", views.logout_view, name="logout"),
    path("staff/login/", views.StaffLoginView.as_view(), name="staff-login"),
    path("staff/", views.staff_home, name="staff-home"),
]
