"""The register catalogue as JSON: ``GET /api/registers/`` and ``/api/registers/{key}``.

Served by the exchange, the registers' one door, like everything else about them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema

from civic.core.errors import NotFound
from civic.exchange import selectors

router = Router(tags=["registers"])


class RetentionOut(Schema):
    years: int | None
    description: str


class AttributeOut(Schema):
    name: str
    description: str
    type: str
    classification: str
    retention: RetentionOut


class RecordOut(Schema):
    key: str
    description: str
    attributes: list[AttributeOut]


class RegisterOut(Schema):
    key: str
    name: str
    authority: str
    authority_name: str
    legal_basis: str
    description: str
    subject: str
    always_delivered: list[str]
    records: list[RecordOut]


@router.get("/", response=list[RegisterOut], summary="The register catalogue")
def catalogue(request):
    """Every base register with its authority, legal basis and every attribute's
    classification and retention."""
    return selectors.catalogue_list()


@router.get("/{key}", response=RegisterOut, summary="One register of the catalogue")
def register_detail(request, key: str):
    register = selectors.catalogue_register(key=key)
    if register is None:
        raise NotFound(_("There is no register called “%(key)s”.") % {"key": key})
    return register
