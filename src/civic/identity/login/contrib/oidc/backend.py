"""Resident login through a national eID that speaks OpenID Connect (mozilla-django-oidc).

The provider is configured by the CIVIC_OIDC_* settings; the claim named by
CIVIC_OIDC_PERSONAL_NUMBER_CLAIM carries the personal number, which must pass its check.
"""

from __future__ import annotations

import logging

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from civic.core.numbers import personal_number_is_valid
from civic.identity import services
from civic.identity.models import User

log = logging.getLogger("civic.identity")


def personal_number_from_claims(claims: dict) -> str | None:
    value = str(claims.get(settings.OIDC_PERSONAL_NUMBER_CLAIM, "")).strip()
    return value if personal_number_is_valid(value) else None


class ResidentOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        if personal_number_from_claims(claims) is None:
            log.warning("eID login refused: no valid personal number in the claims")
            return False
        return True

    def filter_users_by_claims(self, claims):
        number = personal_number_from_claims(claims)
        if number is None:
            return self.UserModel.objects.none()
        return User.objects.filter(resident__personal_number=number)

    def create_user(self, claims):
        return services.resident_account_ensure(personal_number=personal_number_from_claims(claims))

    def update_user(self, user, claims):
        return user
