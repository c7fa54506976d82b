from django.urls import path

from civic.identity import views
from civic.identity.login.contrib.oidc import views as eid
from civic.identity.login.contrib.onetimecode import views as code
from civic.identity.second_factor import views as second_factor

app_name = "identity"

urlpatterns = [
    path("login/", views.resident_login, name="resident-login"),
    # Each login method's pages answer 404 unless CIVIC_RESIDENT_LOGIN_METHODS turns it on.
    path("login/code/request/", code.code_request, name="resident-login-code-request"),
    path("login/code/", code.code_enter, name="resident-login-code"),
    path("oidc/authenticate/", eid.EidLoginStart.as_view(), name="eid-login-start"),
    path("oidc/callback/", eid.eid_login_callback, name="eid-login-callback"),
    path("logout/", views.logout_view, name="logout"),
    path("staff/login/", views.StaffLoginView.as_view(), name="staff-login"),
    path("staff/login/code/", second_factor.code_enter, name="staff-login-code"),
    path("staff/login/recovery/", second_factor.recovery_code_enter, name="staff-login-recovery"),
    path("staff/login/enrol/", second_factor.enrol, name="staff-login-enrol"),
    path("staff/recovery-codes/", second_factor.recovery_codes_show, name="staff-recovery-codes"),
    path("staff/", views.staff_home, name="staff-home"),
]
