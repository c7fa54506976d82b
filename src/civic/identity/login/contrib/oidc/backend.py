"""Resident login through a national eID that speaks OpenID Connect (mozilla-django-oidc).

The provider is configured by the CIVIC_OIDC_* settings; the claim named by
CIVIC_OIDC_PERSONAL_NUMBER_CLAIM, in the ID token or from userinfo, carries the personal number,
which must pass its check and belong to a living person in the persons register. Why a login
was refused is kept in ``refusal`` for the callback page to explain and log.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from civic.core.errors import InvalidIdentifier
from civic.core.numbers import personal_number_clean
from civic.identity import services
from civic.identity.models import User
from civic.identity.persons import person_is_registered

log = logging.getLogger("civic.identity")


class EidRefused(SuspiciousOperation):
    """A login the eID flow refused; ``reason`` is one of the codes the refusal page explains."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason


def personal_number_from_claims(claims: dict) -> str | None:
    """The claim's personal number in its 9-digit form, or None if it fails its check."""
    try:
        return personal_number_clean(str(claims.get(settings.OIDC_PERSONAL_NUMBER_CLAIM, "")))
    except InvalidIdentifier:
        return None


def _assurance_weakness(claims: dict) -> str | None:
    """Why the login at the provider was not strong or recent enough, or None."""
    accepted = settings.OIDC_ACR_VALUES
    if accepted and claims.get("acr") not in accepted:
        return f"level of assurance {claims.get('acr')!r} is not one of {accepted}"
    max_age = settings.OIDC_MAX_AUTH_AGE_SECONDS
    if max_age:
        import time

        auth_time = claims.get("auth_time")
        if not isinstance(auth_time, int | float) or time.time() - auth_time > max_age + 30:
            return "the person did not prove who they are recently enough"
    return None


class ResidentOIDCBackend(OIDCAuthenticationBackend):
    refusal: str | None = None
    refusal_detail: str = ""

    def get_or_create_user(self, access_token, id_token, payload):
        # The library turns every refusal here into "no user"; keep the reason for the page.
        try:
            return super().get_or_create_user(access_token, id_token, payload)
        except EidRefused as refusal:
            self.refusal, self.refusal_detail = refusal.reason, str(refusal)
            raise

    def retrieve_matching_jwk(self, token):
        """The provider's key for ``token``. A token without a `kid` is allowed when the provider
        publishes one key for its algorithm (OpenID Connect Core 10.1)."""
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT,
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
            proxies=self.get_settings("OIDC_PROXY", None),
        )
        response.raise_for_status()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError as error:
            raise EidRefused("bad-token", "the ID token is not a JWT") from error
        algorithm = header.get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise EidRefused("bad-token", f"ID token signed with {algorithm!r}")
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("use", "sig") == "sig" and key.get("alg", algorithm) == algorithm
        ]
        if "kid" in header:
            keys = [key for key in keys if key.get("kid") == header["kid"]]
        if len(keys) != 1:
            raise EidRefused("bad-token", f"{len(keys)} provider keys match the ID token")
        return jwt.PyJWK(keys[0])

    def _verify_jws(self, payload, key):
        """The library checks signature and expiry; an eID also needs the audience (this
        client), the issuer (when configured) and the times to be there and right."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise EidRefused("bad-token", f"ID token signed with {header.get('alg')!r}")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER or None,
                options={"require": ["exp", "iat", "aud"]},
                leeway=30,
            )
        except jwt.PyJWTError as error:
            raise EidRefused("bad-token", f"ID token refused: {type(error).__name__}") from error

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except EidRefused:
            raise
        except SuspiciousOperation as error:  # the library's nonce check, among others
            raise EidRefused("bad-token", str(error)) from error

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with userinfo's added when the provider has that endpoint.
        Userinfo about another subject, or naming another personal number, is refused."""
        claims = dict(payload)
        if not self.OIDC_OP_USER_ENDPOINT:
            return claims
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise EidRefused("bad-token", "userinfo is about another subject")
        claim = settings.OIDC_PERSONAL_NUMBER_CLAIM
        if claim in userinfo and claim in payload and userinfo[claim] != payload[claim]:
            raise EidRefused("bad-token", "ID token and userinfo name different people")
        return {**userinfo, **claims}

    def verify_claims(self, claims):
        if weakness := _assurance_weakness(claims):
            self.refusal, self.refusal_detail = "weak-assurance", weakness
            return False
        number = personal_number_from_claims(claims)
        if number is None:
            self.refusal = "no-personal-number"
            return False
        # The same rule as the code login: only a living person in the persons register.
        if not person_is_registered(personal_number=number):
            self.refusal = "not-registered"
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

    def get_user(self, user_id):
        # A switched-off account ends its sessions too (the library's get_user would not).
        return self.UserModel.objects.filter(pk=user_id, is_active=True).first()

    def describe_user_by_claims(self, claims):
        number = personal_number_from_claims(claims) or "?????????"
        return f"resident {number[:3]}***"
