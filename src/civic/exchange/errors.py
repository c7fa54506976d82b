"""Refusals of the exchange. Each carries the HTTP status of its problem+json answer and the
offending items, so a caller sees exactly which field, subject or purpose was refused."""

from __future__ import annotations

from civic.core.errors import CivicError


class QueryRefused(CivicError):
    status = 400
    code = "query-refused"

    def __init__(self, message: str, *, items: list[str] | None = None) -> None:
        super().__init__(message)
        self.items = items or []


class UnknownRegister(QueryRefused):
    code = "unknown-register"


class UnknownField(QueryRefused):
    code = "unknown-field"


class UnknownPurpose(QueryRefused):
    code = "unknown-purpose"


class WebhookAddressRefused(QueryRefused):
    """A webhook address Civic will not send to (not https in production, or not public)."""

    code = "webhook-address-refused"


class BadSubjects(QueryRefused):
    code = "bad-subjects"


class NotGranted(QueryRefused):
    status = 403
    code = "not-granted"


class NoConsent(QueryRefused):
    status = 403
    code = "no-consent"


class ObjectionUpheld(QueryRefused):
    """The person objected to this purpose (GDPR art. 21) and the objection was upheld."""

    status = 403
    code = "objection-upheld"


class ProcessingRestricted(QueryRefused):
    """The person's data is restricted (GDPR art. 18): only the uses art. 18(2) allows."""

    status = 403
    code = "processing-restricted"


class SubjectNotFound(QueryRefused):
    status = 404
    code = "subject-not-found"


class RateLimited(QueryRefused):
    status = 429
    code = "rate-limited"


class StaffNotCleared(QueryRefused):
    """A staff member who may not read personal data now whatever their grants say (their
    data-protection training is not current, for one): the message says why and what to do."""

    status = 403
    code = "staff-not-cleared"
