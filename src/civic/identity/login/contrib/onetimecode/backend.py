"""Demo login for residents: personal number plus a one-time code from their outbox."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from civic.core.errors import InvalidIdentifier
from civic.identity import services
from civic.identity.models import User
from civic.registers.selectors import person_is_registered


class OneTimeCodeBackend(BaseBackend):
    def authenticate(self, request, personal_number=None, one_time_code=None, binding="", **kwargs):
        if personal_number is None or one_time_code is None:
            return None
        try:
            redeemed = services.one_time_code_redeem(
                personal_number=personal_number, code=one_time_code, binding=binding
            )
        except InvalidIdentifier:
            return None
        if not redeemed or not person_is_registered(personal_number=personal_number):
            return None
        return services.resident_account_ensure(personal_number=personal_number)

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).first()
