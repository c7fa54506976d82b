"""What the authorisation matrix tries: every /staff/ and /admin/ route, found by walking the
URL resolver, turned into attempts on the Municipality's things (pages, searches, forged writes
read from the back office's own forms). A route nobody classified here is reported."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver

from civic.identity.models import Role, User
from tests.security.builders import (
    A_SCHEMA,
    Estate,
    newest_of,
    owned_by,
    scoped_admins,
    unique,
)
from tests.security.html_forms import form_data, form_fields, with_one_text_changed

# --- the URLs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str
    name: str | None


def staff_and_back_office_routes() -> Iterator[Route]:
    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            else:
                name = f"{namespace}{pattern.name}" if pattern.name else None
                yield Route(prefix + str(pattern.pattern), name)

    for route in walk(get_resolver().url_patterns):
        if route.route.startswith(("staff/", "admin/")):
            yield route


@dataclass
class Attempt:
    method: str
    url: str
    data: dict[str, Any] | None = None
    #: The page is about one thing of the Municipality: nobody else gets a 200.
    owned: bool = False


def _staff_attempts(name: str, a: Estate) -> list[Attempt] | None:
    """The staff pages, with forged writes naming the Municipality's things."""
    case, version = a.case, a.case.version
    on_case = f"/staff/cases/{case.reference}/"
    template = case.case_type.decision_templates[0]["code"]
    on_alert = f"/staff/privacy/alerts/{a.alert.pk}/"
    on_request = f"/staff/privacy/requests/{a.subject_request.pk}/"
    on_review = f"/staff/privacy/reviews/{a.review.pk}/"
    on_breach = f"/staff/privacy/breaches/{a.breach.pk}/"
    on_advisory = f"/staff/sensors/advisories/{a.advisory.pk}/"
    on_document = f"/staff/documents/{a.document.pk}/"
    on_feedback = f"/staff/feedback/{a.feedback.pk}/"
    on_consultation = f"/staff/feedback/consultations/{a.consultation.slug}/"
    advisory_texts = {"severity": "Severe"} | {
        f"{key}_{code}": "forged" for key in ("headline", "description") for code in ("en", "nl")
    }
    pages: dict[str, list[Attempt]] = {
        "identity:staff-login": [Attempt("GET", "/staff/login/")],
        # The second step of the login: a code is tried by tests/identity (a wrong one here
        # would lock the half-logged-in visitors out before they tried everything else).
        "identity:staff-login-code": [Attempt("GET", "/staff/login/code/")],
        "identity:staff-login-recovery": [Attempt("GET", "/staff/login/recovery/")],
        "identity:staff-login-enrol": [
            Attempt("GET", "/staff/login/enrol/"),
            Attempt("POST", "/staff/login/enrol/", {"code": "not-a-code"}),
        ],
        "identity:staff-recovery-codes": [Attempt("GET", "/staff/recovery-codes/")],
        "identity:staff-home": [Attempt("GET", "/staff/")],
        "cases:queue": [Attempt("GET", "/staff/cases/"), Attempt("GET", "/staff/cases/?sort=-age")]
        + [
            Attempt("POST", "/staff/cases/", {"case": [case.reference], "bulk": bulk})
            for bulk in ("assign-me", "unassign", "start_review", f"team:{case.case_type.teams[0]}")
        ],
        "cases:backlog": [
            Attempt("GET", "/staff/cases/backlog/?format=json"),
            Attempt("GET", f"/staff/cases/backlog/?case_type={case.case_type.code}"),
        ],
        "insights:kpis": [
            Attempt("GET", "/staff/insights/"),
            Attempt("GET", "/staff/insights/?days=365"),
        ],
        "insights:case-type": [
            Attempt("GET", f"/staff/insights/{case.case_type.code}/", owned=True),
            Attempt("GET", f"/staff/insights/{case.case_type.code}/?days=30", owned=True),
        ],
        "cases:case": [
            Attempt("GET", on_case, owned=True),
            Attempt("GET", f"{on_case}?show=register", owned=True),
        ]
        + [
            Attempt("POST", on_case, {"version": version, **fields}, owned=True)
            for fields in (
                {"action": "transition", "transition": "start_review"},
                {"action": "assign-me"},
                {"action": "note", "note-text": "forged note"},
                {"action": "message", "message-text": "forged message"},
                {"action": "information", "question": "forged?", "answer_due": "2099-01-01"},
                {"action": "decision", "template": template, "reasons": "forged"},
                {"action": "task", "title": "forged task"},
                {"action": "task-done", "task": a.task.pk},
            )
        ],
        "cases:answer-document": [
            Attempt("GET", f"{on_case}answers/{a.answer_document.pk}/", owned=True),
        ],
        "cases:document": [
            Attempt("GET", f"{on_case}documents/{a.upload.pk}/", owned=True),
        ],
        "forms:preview": [Attempt("GET", f"/staff/forms/{a.version.pk}/preview/", owned=True)],
        "rules:index": [Attempt("GET", "/staff/rules/")],
        # Documents: the queue shows only the agency's own; one document, its page and a
        # forged correction are the Municipality's.
        "documents:queue": [Attempt("GET", "/staff/documents/")],
        "documents:document": [
            Attempt("GET", on_document, owned=True),
            Attempt("POST", on_document, {"document_type": "invoice", "note": "x"}, owned=True),
        ],
        "documents:route": [
            Attempt(
                "POST", f"{on_document}route/", {"route-agency": "tax-administration"}, owned=True
            ),
        ],
        "documents:page": [Attempt("GET", f"{on_document}pages/1.png", owned=True)],
        "documents:original": [Attempt("GET", f"{on_document}original", owned=True)],
        "documents:redacted": [Attempt("GET", f"{on_document}redacted.pdf", owned=True)],
        # Feedback: the page lists only the agency's services' comments; a forged moderation
        # and "what we did" name the Municipality's comment.
        "feedback-staff:overview": [Attempt("GET", "/staff/feedback/")],
        "feedback-staff:moderate": [
            Attempt("POST", f"{on_feedback}moderate/", {"keep": "0"}, owned=True)
        ],
        "feedback-staff:act-on": [
            Attempt("POST", f"{on_feedback}act/", {"what_we_did": "forged"}, owned=True)
        ],
        "feedback-staff:consultations": [Attempt("GET", "/staff/feedback/consultations/")],
        "feedback-staff:consultation": [
            Attempt("GET", on_consultation, owned=True),
            Attempt(
                "POST",
                on_consultation,
                {"action": "publish", "outcome_en": "forged", "outcome_nl": "forged"},
                owned=True,
            ),
        ],
        "sensors-operator:overview": [Attempt("GET", "/staff/sensors/")],
        # The city's sensors are open data (every agency's operator may watch them).
        "sensors-operator:datastream": [Attempt("GET", "/staff/sensors/datastreams/1/")],
        # So is a stream's forecast, made from its open readings.
        "insights:stream-forecast": [Attempt("GET", "/staff/insights/streams/1/")],
        "sensors-operator:advisory": [
            Attempt("GET", on_advisory, owned=True),
            Attempt("POST", on_advisory, {"action": "discard", "severity": "Severe"}, owned=True),
            Attempt("POST", on_advisory, {"action": "issue", **advisory_texts}, owned=True),
        ],
        "rules:reforms": [Attempt("GET", "/staff/rules/reforms/")],
        "rules:reforms-compare": [
            Attempt("GET", f"/staff/rules/reforms/compare/?run={a.reform_run.pk}", owned=True)
        ],
        "rules:reform-run": [
            Attempt("GET", f"/staff/rules/reforms/runs/{a.reform_run.pk}/", owned=True)
        ],
        "rules:reform-export-json": [
            Attempt("GET", f"/staff/rules/reforms/runs/{a.reform_run.pk}.json", owned=True)
        ],
        "rules:reform-export-csv": [
            Attempt("GET", f"/staff/rules/reforms/runs/{a.reform_run.pk}.csv", owned=True)
        ],
        "compliance:alerts": [
            Attempt("GET", "/staff/privacy/alerts/"),
            Attempt("GET", "/staff/privacy/alerts/?show=all"),
        ],
        "compliance:retention": [Attempt("GET", "/staff/privacy/retention/")],
        "compliance:alert": [
            Attempt("GET", on_alert, owned=True),
            Attempt("POST", on_alert, {"action": "acknowledge", "note": "forged"}, owned=True),
            Attempt("POST", on_alert, {"action": "revoke", "confirm": "yes"}, owned=True),
        ],
        "compliance:requests": [
            Attempt("GET", "/staff/privacy/requests/"),
            Attempt("GET", "/staff/privacy/requests/?show=all"),
        ],
        "compliance:request": [
            Attempt("GET", on_request, owned=True),
            Attempt("POST", on_request, {"action": "extend", "text": "forged"}, owned=True),
            Attempt("POST", on_request, {"action": "complete", "text": "forged"}, owned=True),
            Attempt("POST", on_request, {"action": "lift", "text": "forged"}, owned=True),
            Attempt(
                "POST",
                on_request,
                {
                    "action": "decide",
                    "granted": "yes",
                    "text": "forged",
                    "purpose": "proactive-eligibility",
                },
                owned=True,
            ),
        ],
        "compliance:processing": [Attempt("GET", "/staff/privacy/processing/")],
        # The visitor's own agency's team page; the forged writes name the Municipality's staff.
        "compliance:privacy-team": [
            Attempt("GET", "/staff/privacy/team/"),
            Attempt(
                "POST",
                "/staff/privacy/team/",
                {"member": a.staff[Role.CASEWORKER].pk, "action": "join"},
            ),
            Attempt(
                "POST",
                "/staff/privacy/team/",
                {"member": a.staff[Role.DATA_PROTECTION_OFFICER].pk, "action": "leave"},
            ),
        ],
        "compliance:processing-pdf": [Attempt("GET", "/staff/privacy/processing.pdf")],
        # Access review and the breach register: the officer's pages, each thing forged by id.
        "compliance:reviews": [
            Attempt("GET", "/staff/privacy/reviews/"),
            Attempt("GET", "/staff/privacy/reviews/?show=all"),
        ],
        "compliance:review": [
            Attempt("GET", on_review, owned=True),
            Attempt("POST", on_review, {"decision": "justified", "note": "forged"}, owned=True),
        ],
        # Break-glass under the Municipality's purpose (granted to none of the visitors) and
        # without a reason: refused, nothing read, nothing written.
        "compliance:break-glass": [
            Attempt("GET", "/staff/privacy/break-glass/"),
            Attempt(
                "POST",
                "/staff/privacy/break-glass/",
                {
                    "personal_number": case.subject,
                    "purpose": a.purpose.code,
                    "reason": "forged reason for a read",
                },
            ),
            Attempt(
                "POST",
                "/staff/privacy/break-glass/",
                {"personal_number": case.subject, "purpose": a.purpose.code, "reason": ""},
            ),
        ],
        "compliance:breaches": [
            Attempt("GET", "/staff/privacy/breaches/"),
            Attempt("GET", "/staff/privacy/breaches/?show=all"),
        ],
        "compliance:breach-new": [Attempt("GET", "/staff/privacy/breaches/new/")],
        "compliance:breach": [
            Attempt("GET", on_breach, owned=True),
            *(
                Attempt("POST", on_breach, data, owned=True)
                for data in (
                    {"step": "assess", "risk": "high"},
                    {"step": "assess", "risk": "unlikely", "reason": "forged"},
                )
            ),
        ],
        "rules:case-type": [
            Attempt("GET", f"/staff/rules/{case.case_type.code}/", owned=True),
            *(
                Attempt("POST", f"/staff/rules/{case.case_type.code}/", {"mode": m}, owned=True)
                for m in ("deciding", "shadow", "off")
            ),
        ],
    }
    return pages.get(name)


def _admin_site_attempts(name: str | None, route: str, a: Estate) -> list[Attempt] | None:
    """The back office's own pages (not of one model)."""
    if name is None and route.endswith("(?P<url>.*)$"):
        return [Attempt("GET", "/admin/nothing-here/")]
    if name == "admin:autocomplete":
        return _autocomplete_attempts()
    if name == "admin:view_on_site":
        return [
            Attempt("GET", f"/admin/r/{ContentType.objects.get_for_model(model).pk}/{obj.pk}/")
            for model in scoped_admins()
            if owned_by(model) and (obj := newest_of(model, a.agency)) is not None
        ]
    if name == "admin:app_list":
        labels = {model._meta.app_label for model in scoped_admins()}
        return [Attempt("GET", f"/admin/{label}/") for label in sorted(labels)]
    pages = {
        "admin:index": "/admin/",
        "admin:login": "/admin/login/",
        # Logging out and changing one's own password touch nothing of another agency.
        "admin:logout": None,
        "admin:password_change": "/admin/password_change/",
        "admin:password_change_done": "/admin/password_change/done/",
        "admin:jsi18n": "/admin/jsi18n/",
    }
    if name not in pages:
        return None
    return [Attempt("GET", pages[name])] if pages[name] else []


def _autocomplete_attempts() -> list[Attempt]:
    """The autocomplete view answers for any model with search fields, through any foreign
    key that points at it."""
    attempts = []
    for model, model_admin in scoped_admins().items():
        if not model_admin.search_fields:
            continue
        source = next(
            (
                (other, field)
                for other in scoped_admins()
                for field in other._meta.get_fields()
                if field.is_relation and field.concrete and field.related_model is model
            ),
            None,
        )
        if source is None:
            continue
        other, field = source
        query = f"app_label={other._meta.app_label}&model_name={other._meta.model_name}&field_name={field.name}"
        attempts += [
            Attempt("GET", f"/admin/autocomplete/?{query}&term="),
            Attempt("GET", f"/admin/autocomplete/?{query}&term=marker"),
        ]
    return attempts


ADMIN_SUFFIXES = ("changelist", "add", "history", "delete", "change", "password_change")


def _admin_model(name: str | None, route: str):
    """(model, what) of a back-office route of one model, or None."""
    if name == "admin:auth_user_password_change":  # named after auth.User by Django
        return User, "password_change"
    for model in scoped_admins():
        meta = model._meta
        if name is None and route == f"admin/{meta.app_label}/{meta.model_name}/<path:object_id>/":
            return model, "object"
        for suffix in ADMIN_SUFFIXES:
            if name == f"admin:{meta.app_label}_{meta.model_name}_{suffix}":
                return model, suffix
    return None


# --- what a forged write sends --------------------------------------------------------------


def _required_fields(a: Estate) -> dict[type, Callable[[], dict[str, Any]]]:
    """What a new row needs besides its relations, for each model a role may add."""
    from civic.catalog.models import Service
    from civic.compliance.training.models import TrainingRecord
    from civic.exchange.models import Grant, Purpose
    from civic.forms.models import FormDefinition, FormVersion

    def json_text(text):
        return f'{{"en": "{text}", "nl": "{text}"}}'

    return {
        Service: lambda: {
            "code": unique("forged-service"),
            **{
                name: json_text("Forged")
                for name in (
                    "name",
                    "summary",
                    "eligibility",
                    "cost",
                    "duration",
                    "needs",
                    "how_to_apply",
                    "keywords",
                )
            },
        },
        FormDefinition: lambda: {
            "code": unique("forged-form"),
            "service": a.free_service.pk,
            "purpose": a.purpose.code,
            "title": json_text("Forged"),
        },
        FormVersion: lambda: {"form": a.form.pk, "schema": json.dumps(A_SCHEMA)},
        Purpose: lambda: {
            "code": unique("forged-purpose"),
            "name": "Forged",
            "description": "Forged",
            "legal_ground": "public_task",
            "legal_basis": "Forged",
            "embargo_days": "0",
        },
        Grant: lambda: {
            "purpose": a.purpose.pk,
            "register": "persons",
            "attributes": '["identity.birth_date"]',
            "staff_role": "caseworker",
            "agency": a.agency.pk,
            "api_client": "",
            "valid_from_0": "2026-01-01",
            "valid_from_1": "00:00:00",
        },
        TrainingRecord: lambda: {
            "course": "data-protection",
            "completed_on": "2026-01-01",
            "valid_until": "2027-01-01",
        },
        User: lambda: {
            "username": unique("forged-user"),
            "password1": "Tulip-harbour-lantern-4417!",
            "password2": "Tulip-harbour-lantern-4417!",
            "usable_password": "true",
            "agency": a.agency.pk,
        },
    }


def _relations_to(model, a: Estate) -> dict[str, Any]:
    """Every foreign key and many-to-many field of ``model`` set to the Municipality's row."""
    forged = {}
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and not field.auto_created):
            continue
        target = newest_of(field.related_model, a.agency) if owned_by(field.related_model) else None
        if target is not None:
            forged[field.name] = [target.pk] if field.many_to_many else target.pk
    return forged


def may(user: User, model, action: str, obj=None) -> bool:
    """What the back office itself answers: may ``user`` view, add or change ``model``?"""
    request = RequestFactory().get("/admin/")
    request.user = user
    model_admin = admin.site._registry[model]
    if action == "add":
        return model_admin.has_add_permission(request)
    return getattr(model_admin, f"has_{action}_permission")(request, obj)


class Forger:
    """Reads the Municipality's back-office forms as its own administrator would see them (or
    the operator, where no role of an agency may write) and forges writes from them."""

    def __init__(self, a: Estate, operator: User):
        self.a = a
        self.owner_user = a.staff[Role.ADMINISTRATOR]
        self.operator_user = operator
        self.owner = Client()
        self.owner.force_login(self.owner_user)
        self.operator = Client()
        self.operator.force_login(operator)
        self.fill = _required_fields(a)

    def _reader(self, model, action: str, obj=None) -> Client:
        return self.owner if may(self.owner_user, model, action, obj) else self.operator

    def unclassified(self) -> list[str]:
        """Models the Municipality's administrator may add, with no say here of what a new
        one needs: their forged new rows would be refused as incomplete, proving nothing."""
        return [
            f"{model._meta.label}: say what a new one needs"
            for model in scoped_admins()
            if owned_by(model) and may(self.owner_user, model, "add") and model not in self.fill
        ]

    def add(self, model) -> dict[str, Any]:
        """A new row naming the Municipality's things in every relation."""
        meta = model._meta
        page = self._reader(model, "add").get(f"/admin/{meta.app_label}/{meta.model_name}/add/")
        if page.status_code != 200:
            return {}
        data = form_data(page.content.decode(), f"{meta.model_name}_form")
        data.update(_relations_to(model, self.a))
        data.update(self.fill.get(model, dict)())
        return {**data, "_save": "Save"}

    def change(self, model, obj) -> dict[str, Any] | None:
        """The row's own form with one text changed, as its owner would send it; None when
        nothing on it can be changed (a saved form version, a read-only log)."""
        meta = model._meta
        page = self._reader(model, "change", obj).get(
            f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"
        )
        if page.status_code != 200 or f'id="{meta.model_name}_form"' not in page.content.decode():
            return None
        data, kinds = form_fields(page.content.decode(), f"{meta.model_name}_form")
        if with_one_text_changed(data, kinds, keep=("username", "code")) is None:
            return None
        return {**data, "_save": "Save"}


def _admin_attempts(model, what: str, a: Estate, forger: Forger) -> list[Attempt] | str:
    meta = model._meta
    base = f"/admin/{meta.app_label}/{meta.model_name}/"
    model_admin = admin.site._registry[model]
    obj = newest_of(model, a.agency)
    owned = owned_by(model)
    if what == "changelist":
        attempts = [Attempt("GET", base), Attempt("GET", f"{base}?q=marker")]
        request = RequestFactory().get(base)
        request.user = forger.operator_user
        if obj is not None:
            attempts += [
                Attempt(
                    "POST",
                    base,
                    {"action": action, "_selected_action": [obj.pk], "index": 0, "post": "yes"},
                )
                for action in model_admin.get_actions(request)
            ]
        return attempts
    if what == "add":
        forged = forger.add(model)
        return [Attempt("GET", f"{base}add/")] + (
            [Attempt("POST", f"{base}add/", forged)] if forged else []
        )
    if obj is None:
        return []
    on_object = f"{base}{obj.pk}/"
    if what == "object":
        return [Attempt("GET", on_object, owned=owned)]
    if what == "history":
        return [Attempt("GET", f"{on_object}history/", owned=owned)]
    if what == "delete":
        return [
            Attempt("GET", f"{on_object}delete/", owned=owned),
            Attempt("POST", f"{on_object}delete/", {"post": "yes"}, owned=owned),
        ]
    if what == "change":
        forged = forger.change(model, obj) or {"_save": "Save"}
        return [
            Attempt("GET", f"{on_object}change/", owned=owned),
            Attempt("POST", f"{on_object}change/", forged, owned=owned),
        ]
    if what == "password_change":
        password = "Tulip-harbour-lantern-4417!"
        return [
            Attempt("GET", f"{on_object}password/", owned=owned),
            Attempt(
                "POST",
                f"{on_object}password/",
                {"password1": password, "password2": password, "usable_password": "true"},
                owned=owned,
            ),
        ]
    return f"{base}: no attempts for {what!r}"


def all_attempts(a: Estate, forger: Forger) -> tuple[list[Attempt], list[str]]:
    """Every attempt on every staff and back-office URL, and the URLs nobody classified."""
    attempts, unclassified = [], []
    for route in staff_and_back_office_routes():
        found = _staff_attempts(route.name, a) if route.route.startswith("staff/") else None
        if found is None and route.route.startswith("admin/"):
            found = _admin_site_attempts(route.name, route.route, a)
            if found is None and (model_and_what := _admin_model(route.name, route.route)):
                found = _admin_attempts(*model_and_what, a, forger)
        if found is None or isinstance(found, str):
            unclassified.append(found or f"{route.route} ({route.name})")
        else:
            attempts += found
    return attempts, unclassified
