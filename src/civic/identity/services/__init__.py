"""Every write of the identity app: agencies, staff, residents' accounts, API clients, codes.

Keyword-only functions named ``<noun>_<verb>``, each atomic.
"""

# The staff's second factor has its own module (identity/second_factor/services.py); other
# apps, the back office and the CLI reach its writes here, as every other write of identity.
from civic.identity.second_factor.services import (
    recovery_code_redeem,
    second_factor_check,
    second_factor_enrol,
    second_factor_install,
    second_factor_reset,
)
from civic.identity.services.accounts import (
    agency_ensure,
    resident_account_ensure,
    staff_team_join,
    staff_team_leave,
    staff_user_create,
    user_language_set,
)
from civic.identity.services.api_clients import (
    api_client_authenticate,
    api_client_create,
    api_client_limits_check,
    api_client_limits_set,
    api_client_revoke,
)
from civic.identity.services.codes import (
    CODE_ATTEMPTS,
    CODES_PER_HOUR,
    LoginRefused,
    login_event_record,
    one_time_code_issue,
    one_time_code_redeem,
)
from civic.identity.services.representation import (
    RepresentationRefused,
    authorisation_grant,
    authorisation_revoke,
    representation_check,
    representation_refusal_record,
)

__all__ = [
    "CODES_PER_HOUR",
    "CODE_ATTEMPTS",
    "LoginRefused",
    "RepresentationRefused",
    "agency_ensure",
    "api_client_authenticate",
    "api_client_create",
    "api_client_limits_check",
    "api_client_limits_set",
    "api_client_revoke",
    "authorisation_grant",
    "authorisation_revoke",
    "login_event_record",
    "one_time_code_issue",
    "one_time_code_redeem",
    "recovery_code_redeem",
    "representation_check",
    "representation_refusal_record",
    "resident_account_ensure",
    "second_factor_check",
    "second_factor_enrol",
    "second_factor_install",
    "second_factor_reset",
    "staff_team_join",
    "staff_team_leave",
    "staff_user_create",
    "user_language_set",
]
