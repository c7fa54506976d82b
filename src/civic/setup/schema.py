"""The JSON Schema of a set-up file, version 1 (`civic setup schema` prints it for editors).

Built here rather than kept as a file so that its word lists (legal grounds, staff roles,
modes, outcomes, event types) are the apps' own and cannot drift from them. What a schema
cannot say (that a purpose names an agency that exists, that a register has an attribute) is
checked afterwards in checks.py.
"""

from __future__ import annotations

from typing import Any

from civic.cases.models import Decision
from civic.decisions.models import RuleSetMode
from civic.documents.models import DocumentType
from civic.exchange.models import LegalGround
from civic.exchange.selectors import register_catalogue
from civic.identity.models import Role

VERSION = 1


def _slug(max_length: int) -> dict:
    return {"type": "string", "pattern": "^[a-z0-9]+(?:[-_][a-z0-9]+)*$", "maxLength": max_length}


TEXT = {
    "type": "object",
    "description": "A text per language: en (required), nl, ...",
    "properties": {"en": {"type": "string", "minLength": 1}},
    "patternProperties": {"^[a-z]{2}$": {"type": "string"}},
    "required": ["en"],
    "additionalProperties": False,
}
#: Agencies and purposes keep an English and a Dutch text only.
TEXT_EN_NL = {
    "type": "object",
    "properties": {"en": {"type": "string", "minLength": 1}, "nl": {"type": "string"}},
    "required": ["en"],
    "additionalProperties": False,
}
WORDS = {
    "type": "object",
    "patternProperties": {"^[a-z]{2}$": {"type": "array", "items": {"type": "string"}}},
    "additionalProperties": False,
}
ATTRIBUTES = {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True}


def _object(required: list[str], properties: dict[str, Any], **more) -> dict:
    return {
        "type": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
        **more,
    }


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


def setup_schema() -> dict[str, Any]:

    event_types = sorted(register_catalogue()["persons"]["events"])
    grantee = {
        "description": "Who may read: a staff role of an agency, a job of an agency, "
        "residents (their own records), or a named API client.",
        "oneOf": [
            _object(
                ["staff_role", "agency"], {"staff_role": {"enum": Role.values}, "agency": _slug(40)}
            ),
            _object(["job", "agency"], {"job": _slug(80), "agency": _slug(40)}),
            _object(["residents"], {"residents": {"const": True}}),
            _object(["api_client"], {"api_client": {"type": "string", "minLength": 1}}),
        ],
    }
    agency = _object(
        ["code", "name", "kind"],
        {"code": _slug(40), "name": TEXT_EN_NL, "kind": {"enum": ["municipality", "national"]}},
    )
    purpose = _object(
        ["code", "controller", "legal_ground", "legal_basis", "name", "description"],
        {
            "code": _slug(80),
            "controller": _slug(40),
            "legal_ground": {"enum": LegalGround.values},
            "legal_basis": {"type": "string", "minLength": 1, "maxLength": 300},
            "confidential": {"type": "boolean"},
            "embargo_days": {"type": "integer", "minimum": 0},
            "name": TEXT_EN_NL,
            "description": TEXT_EN_NL,
        },
    )
    grant = _object(
        ["purpose", "register", "attributes", "to"],
        {"purpose": _slug(80), "register": _slug(40), "attributes": ATTRIBUTES, "to": grantee},
    )
    team = _object(
        ["agency", "name"], {"agency": _slug(40), "name": {"type": "string", "minLength": 1}}
    )
    decision_template = _object(
        ["code", "outcome", "label", "text"],
        {
            "code": _slug(60),
            "outcome": {"enum": Decision.Outcome.values},
            "label": TEXT,
            "text": TEXT,
        },
    )
    workflow = {
        "type": "object",
        "required": ["initial", "states", "transitions"],
        "properties": {"states": {"type": "object"}, "transitions": {"type": "array"}},
    }
    case_type = _object(
        ["code", "purpose", "name", "workflow", "decision_period_days"],
        {
            "code": _slug(50),
            "service": {**_slug(50), "type": ["string", "null"]},
            "agency": _slug(40),
            "purpose": _slug(80),
            "name": TEXT,
            "workflow": {"type": "string"},
            "decision_period_days": {"type": "integer", "minimum": 1},
            "retention_years": {"type": ["integer", "null"], "minimum": 1},
            "decision_templates": _list(decision_template),
            "register_fields": {"type": "object", "additionalProperties": ATTRIBUTES},
            "teams": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
            "objections": {"type": "boolean"},
            "documents": {
                "type": "array",
                "items": {"enum": DocumentType.values},
                "uniqueItems": True,
            },
        },
    )
    texts = {
        name: TEXT
        for name in ("summary", "eligibility", "cost", "duration", "needs", "how_to_apply")
    }
    service = _object(
        ["code", "agency", "name", "summary"],
        {
            "code": _slug(50),
            "agency": _slug(40),
            "name": TEXT,
            **texts,
            "legal_basis": {"type": "string", "maxLength": 300},
            "keywords": WORDS,
            "life_events": {"type": "array", "items": _slug(50), "uniqueItems": True},
            "topics": {"type": "array", "items": _slug(50), "uniqueItems": True},
            "granted_without_application": {"type": "boolean"},
            "urgent": {"type": "boolean"},
        },
    )
    navigator = _object(
        ["code", "title", "start", "nodes"],
        {
            "code": _slug(50),
            "title": TEXT,
            "start": {"type": "string"},
            "nodes": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "required": ["type", "text"],
                    "properties": {"type": {"enum": ["question", "urgent", "services"]}},
                },
            },
        },
    )
    form = _object(
        ["code", "service", "purpose", "title", "steps"],
        {
            "code": _slug(50),
            "service": _slug(50),
            "purpose": _slug(80),
            "title": TEXT,
            "steps": {"type": "array", "minItems": 1, "items": {"type": "object"}},
        },
    )
    rules = _object(
        [],
        {
            "proactive": _object(
                ["agency", "purpose"],
                {
                    "agency": _slug(40),
                    "purpose": _slug(80),
                    "life_events": {
                        "type": "array",
                        "items": {"enum": event_types},
                        "uniqueItems": True,
                    },
                },
            ),
            "modes": {
                "type": "object",
                "propertyNames": _slug(50),
                "additionalProperties": {"enum": RuleSetMode.Mode.values},
            },
        },
    )
    catalogue = _object(
        [],
        {
            "life_events": _list(
                _object(["code", "name"], {"code": _slug(50), "name": TEXT, "description": TEXT})
            ),
            "topics": _list(_object(["code", "name"], {"code": _slug(50), "name": TEXT})),
            "services": _list(service),
            "navigators": _list(navigator),
        },
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://civic.invalid/schemas/setup-v1.json",
        "title": "Civic: a jurisdiction's set-up, version 1",
        "type": "object",
        "required": ["version"],
        "additionalProperties": False,
        "properties": {
            "version": {"const": VERSION},
            "name": {"type": "string"},
            "agencies": _list(agency),
            "purposes": _list(purpose),
            "grants": _list(grant),
            "teams": _list(team),
            "workflows": {
                "type": "object",
                "propertyNames": _slug(50),
                "additionalProperties": workflow,
            },
            "case_types": _list(case_type),
            "catalogue": catalogue,
            "forms": _list(form),
            "rules": rules,
        },
    }
