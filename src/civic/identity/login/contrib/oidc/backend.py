"""Resident login through a national eID that speaks OpenID Connect (mozilla-django-oidc).

The provider is configured by the CIVIC_OIDC_* settings; the claim named by
CIVIC_OIDC_PERSONAL_NUMBER_CLAIM carries the personal number, which must pass its check.
"""

from __future__ import annotations

import logging

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from civic.core.errors import InvalidIdentifier
from civic.core.numbers import personal_number_clean
from civic.identity import services
from civic.identity.models import User
from civic.registers.selectors import person_is_registered

log = logging.getLogger("civic.identity")


def personal_number_from_claims(claims: dict) -> str | None:
    """The claim's personal number in its 9-digit form, or None if it fails its check."""
    try:
        return personal_number_clean(str(claims.get(settings.OIDC_PERSONAL_NUMBER_CLAIM, "")))
    except InvalidIdentifier:
        return None


class ResidentOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        number = personal_number_from_claims(claims)
        if number is None:
            log.warning("eID login refused: no valid personal number in the claims")
            return False
        # The same rule as the code login: only a living person in the persons register.
        if not person_is_registered(personal_number=number):
            log.warning("eID login refused: %s*** is not a living registered person", number[:3])
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
