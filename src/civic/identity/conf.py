"""Settings of login: staff password limits, residents' login methods, the eID provider.

Gathered by ``civic.settings``; imports nothing but ``core.conf`` and ``core.config``.
"""

from __future__ import annotations

from civic.core.conf import PRODUCTION
from civic.core.config import env

STAFF_LOGIN_FAILURE_LIMIT = env(
    "CIVIC_STAFF_LOGIN_FAILURE_LIMIT",
    default=5,
    kind=int,
    help="Failed staff password logins (per user name and address) before the login is locked.",
    group="Login",
)
STAFF_LOGIN_COOLOFF_MINUTES = env(
    "CIVIC_STAFF_LOGIN_COOLOFF_MINUTES",
    default=15,
    kind=int,
    help="Minutes a locked staff login stays locked.",
    group="Login",
)
RESIDENT_LOGIN_METHODS = env(
    "CIVIC_RESIDENT_LOGIN_METHODS",
    default=["onetimecode"],
    kind=list,
    help="Login plugins offered to residents, by key, in order: `onetimecode` (demo; refused "
    "in production), `oidc` (national eID). A method not listed has no pages at all; a key "
    "Civic does not know stops the start (docs/plugins.md).",
    group="Login",
)
ONE_TIME_CODE_MINUTES = env(
    "CIVIC_ONE_TIME_CODE_MINUTES",
    default=10,
    kind=int,
    help="Minutes a resident's one-time login code stays valid.",
    group="Login",
)
PRINT_LOGIN_CODES = env(
    "CIVIC_PRINT_LOGIN_CODES",
    default=not PRODUCTION,
    default_doc="true, false when CIVIC_ENV=production",
    kind=bool,
    help="Also print residents' one-time codes in the server log (demo only; refused in production).",
    group="Login",
)

OIDC_RP_CLIENT_ID = env(
    "CIVIC_OIDC_CLIENT_ID",
    default="",
    help="Client id registered with the eID provider.",
    group="OpenID Connect (eID)",
)
OIDC_RP_CLIENT_SECRET = env(
    "CIVIC_OIDC_CLIENT_SECRET",
    default="",
    help="Client secret registered with the eID provider.",
    group="OpenID Connect (eID)",
)
OIDC_OP_AUTHORIZATION_ENDPOINT = env(
    "CIVIC_OIDC_AUTHORIZATION_ENDPOINT",
    default="",
    help="The provider's authorization endpoint URL.",
    group="OpenID Connect (eID)",
)
OIDC_OP_TOKEN_ENDPOINT = env(
    "CIVIC_OIDC_TOKEN_ENDPOINT",
    default="",
    help="The provider's token endpoint URL.",
    group="OpenID Connect (eID)",
)
OIDC_OP_USER_ENDPOINT = env(
    "CIVIC_OIDC_USER_ENDPOINT",
    default="",
    help="The provider's userinfo endpoint URL.",
    group="OpenID Connect (eID)",
)
OIDC_OP_JWKS_ENDPOINT = env(
    "CIVIC_OIDC_JWKS_ENDPOINT",
    default="",
    help="The provider's JWKS URL (for RS256/ES256 token signatures).",
    group="OpenID Connect (eID)",
)
OIDC_RP_SIGN_ALGO = env(
    "CIVIC_OIDC_SIGN_ALGO",
    default="RS256",
    choices=("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"),
    help="Algorithm the provider signs ID tokens with (`none` and shared-secret HMAC are never accepted).",
    group="OpenID Connect (eID)",
)
OIDC_RP_SCOPES = env(
    "CIVIC_OIDC_SCOPES",
    default="openid",
    help="Scopes asked of the provider, space-separated.",
    group="OpenID Connect (eID)",
)
OIDC_PERSONAL_NUMBER_CLAIM = env(
    "CIVIC_OIDC_PERSONAL_NUMBER_CLAIM",
    default="personal_number",
    help="Claim in the ID token or userinfo that carries the resident's personal number.",
    group="OpenID Connect (eID)",
)
LOGIN_CODE_REQUESTS_PER_ADDRESS = env(
    "CIVIC_LOGIN_CODE_REQUESTS_PER_ADDRESS",
    default=20,
    kind=int,
    help="One-time codes one client address may ask for in an hour, for any numbers.",
    group="Login",
)
LOGIN_CODE_FAILURES_PER_ADDRESS = env(
    "CIVIC_LOGIN_CODE_FAILURES_PER_ADDRESS",
    default=20,
    kind=int,
    help="Wrong one-time codes one client address may enter in an hour before it gets 429.",
    group="Login",
)
LOGIN_CODE_FAILURES_OVERALL = env(
    "CIVIC_LOGIN_CODE_FAILURES_OVERALL",
    default=1000,
    kind=int,
    help="Wrong one-time codes, from all addresses together, in an hour before the code login "
    "pauses for everyone (a guessing attack spread over many addresses).",
    group="Login",
)
OIDC_ISSUER = env(
    "CIVIC_OIDC_ISSUER",
    default="",
    help="The provider's issuer identifier; when set, an ID token from any other issuer is refused.",
    group="OpenID Connect (eID)",
)
OIDC_ACR_VALUES = env(
    "CIVIC_OIDC_ACR_VALUES",
    default=[],
    kind=list,
    help="Levels of assurance (`acr` values) the eID must have used, strongest first; asked for "
    "in the login request and checked in the ID token. Empty: whatever the provider used.",
    group="OpenID Connect (eID)",
)
OIDC_MAX_AUTH_AGE_SECONDS = env(
    "CIVIC_OIDC_MAX_AUTH_AGE_SECONDS",
    default=0,
    kind=int,
    help="When set, the person must have proved who they are at the provider at most this many "
    "seconds ago (`max_age` asked for, `auth_time` checked). 0: not checked.",
    group="OpenID Connect (eID)",
)
SESSION_ABSOLUTE_HOURS = env(
    "CIVIC_SESSION_ABSOLUTE_HOURS",
    default=12,
    kind=int,
    help="Hours after login at which a session ends however active it was (it also ends after "
    "two idle hours).",
    group="Login",
)
STAFF_SECOND_FACTOR = env(
    "CIVIC_STAFF_SECOND_FACTOR",
    default="required",
    choices=("required", "off"),
    help="`required`: every staff login (the staff pages and the back office) asks for a code "
    "from an authenticator app (TOTP, RFC 6238) after the password, and a staff member without "
    "one enrols at their next login. `off`: the password alone (tests and demos only; refused "
    "in production).",
    group="Login",
)

# Django's settings for logins, from the variables above.
AUTH_USER_MODEL = "identity.User"
#: The authentication backend each resident login method brings (Django reads backends from
#: the settings, before the login registry can be asked). A method not offered has none.
_LOGIN_METHOD_BACKENDS = {
    "onetimecode": "civic.identity.login.contrib.onetimecode.backend.OneTimeCodeBackend",
    "oidc": "civic.identity.login.contrib.oidc.backend.ResidentOIDCBackend",
}
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    *(path for key, path in _LOGIN_METHOD_BACKENDS.items() if key in RESIDENT_LOGIN_METHODS),
]
# The eID flow (mozilla-django-oidc): state, nonce and PKCE on; Civic's own callback view.
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:eid-login-callback"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_ALLOW_UNSECURED_JWT = False
LOGIN_URL = "identity:resident-login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Staff password logins: locked per user name and client address after too many failures;
# every attempt is stored (axes' AccessAttempt/AccessFailureLog) and logged.
AXES_FAILURE_LIMIT = STAFF_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = STAFF_LOGIN_COOLOFF_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "civic.identity.views.staff_login_locked"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Wrong second-factor codes count as failures too (identity.second_factor.views); what was
# typed is never stored with them (a mistyped recovery code is close to a real one).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "recovery_code"]
# The client's address as TrustedProxyMiddleware found it, not the proxy's: otherwise anyone
# could lock any staff member out behind the reverse proxy.
AXES_CLIENT_IP_CALLABLE = "civic.core.middleware.client_address"
