"""Privacy's public API, version 1: the record of processing activities (GDPR art. 30) as
JSON, one entry per purpose. ``GET /processing`` is an agency's full record, for its data
protection officer or administrator logged in to Civic (a staff session, as the staff pages
use); ``GET /processing/public`` is every controller's record for anyone, without which grant
or partner system. Refusals are problem+json (civic.api)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema
from ninja.security import django_auth

from civic.compliance import selectors

router = Router(tags=["privacy"])


class ProcessingRetentionOut(Schema):
    years: int | None = Field(..., description="Years kept after the record closes; null: for good")
    description: str


class ProcessingAttributeOut(Schema):
    name: str = Field(..., description="The catalogue's name, e.g. identity.birth_date")
    description: str
    classification: str = Field(..., description="public, personal, sensitive or special_category")
    retention: ProcessingRetentionOut


class CategoryOut(Schema):
    register_key: str = Field(..., alias="register")
    register_name: str
    authority: str = Field(..., description="The agency code of the register's keeper")
    authority_name: str
    register_legal_basis: str
    data_subjects: str = Field(..., description="What a subject of the register is: person, ...")
    attributes: list[ProcessingAttributeOut]


class RecipientOut(Schema):
    kind: str = Field(..., description="api_client, staff_role, job or residents")
    agency: str = Field(..., description="The recipient's agency code (empty for residents)")
    agency_name: str
    staff_role: str
    job: str
    register_key: str = Field(..., alias="register")
    attributes: list[str]
    valid_from: dt.datetime
    valid_until: dt.datetime | None
    grant: int | None = Field(None, description="The grant's id (full record only)")
    api_client: str | None = Field(
        None, description="The partner system's client id (full record only)"
    )
    api_client_name: str | None = None


class PeriodOut(Schema):
    years: int | None
    description: str
    attributes: list[str] = Field(..., description="register:attribute kept for this period")


class ActivityOut(Schema):
    code: str = Field(..., description="The purpose's code, as every access-log entry names it")
    name: str
    description: str
    controller: str
    controller_name: str
    legal_ground: str = Field(..., description="GDPR art. 6(1): consent, contract, ...")
    legal_ground_label: str
    legal_basis: str = Field(..., description="The law and article the processing rests on")
    confidential: bool
    embargo_days: int
    data_subjects: list[str]
    data_categories: list[CategoryOut]
    recipients: list[RecipientOut] = Field(..., description="One per grant in force")
    retention: list[PeriodOut]


class ProcessingRecordOut(Schema):
    generated_at: dt.datetime
    controller: str = Field(..., description="The controller's agency code; empty: every one")
    controller_name: str
    purposes: list[ActivityOut]


@router.get(
    "/processing",
    auth=django_auth,
    response=ProcessingRecordOut,
    by_alias=True,
    summary="The record of processing activities of your agency",
)
def processing(request):
    """The art. 30 record of the logged-in data protection officer's (or administrator's)
    agency as controller, with each grant and partner system named. Anyone else: 403."""
    return selectors.processing_record_of(user=request.auth)


@router.get(
    "/processing/public",
    response=ProcessingRecordOut,
    by_alias=True,
    summary="The public record of processing activities",
)
def processing_public(request):
    """Every controller's record: purposes, legal grounds, data categories, the agencies and
    kinds of recipient, and retention; without grant ids or partner systems' names."""
    return selectors.processing_record_public()
