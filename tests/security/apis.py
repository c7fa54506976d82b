"""What the schemathesis tests need besides the tests: the OpenAPI documents Civic serves
(found in the URLconf), partner clients with objects of their own, Civic's vocabulary for
generated requests, values at the edges of what the databases store, and Civic's own checks.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field

import schemathesis
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from schemathesis import GenerationMode

from civic.exchange import services as exchange
from civic.exchange.models import Subscription
from civic.identity import services as identity
from tests.builders import a_registered_resident, create_agency
from tests.exchange.builders import create_purpose

PROBLEM_JSON = "application/problem+json"
#: What each partner is granted: enough to subscribe to moves and births.
GRANTED = [
    "identity.given_names",
    "identity.family_name",
    "identity.birth_date",
    "residence.address",
    "residence.valid_from",
    "parentage.parent",
]
EVENTS = ["org.civic.persons.moved", "org.civic.persons.born"]


# -- the documents -----------------------------------------------------------------------


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield "/" + prefix + str(pattern.pattern), pattern.callback


def openapi_documents() -> list[str]:
    """Every OpenAPI document in the URLconf: django-ninja serves each API's document with its
    ``openapi_json`` view bound to that API, wherever the API is included."""
    from ninja.openapi.views import openapi_json

    return [
        route
        for route, view in _routes(get_resolver().url_patterns)
        if getattr(view, "func", None) is openapi_json
    ]


def ninja_operation_paths() -> set[str]:
    """The path of every django-ninja operation in the URLconf, written as OpenAPI writes it."""
    return {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route, view in _routes(get_resolver().url_patterns)
        if getattr(view, "__module__", "") == "ninja.operation"
    }


# -- who calls ---------------------------------------------------------------------------


@dataclass
class Partner:
    name: str
    client_id: str
    secret: str
    client: object = None
    purpose: object = None
    marker: str = field(init=False)

    def __post_init__(self):
        # Every object of this partner carries its marker, so a leak shows in any answer.
        self.marker = f"{self.name}.partner.example"

    def subscription_ids(self) -> list[int]:
        """Its subscriptions to register events (the exchange API's)."""
        rows = Subscription.objects.filter(api_client=self.client, cancelled_at__isnull=True)
        return list(rows.exclude(register="").order_by("pk").values_list("pk", flat=True))

    def case_subscription_ids(self) -> list[int]:
        """Its webhooks for case events (the case API's)."""
        rows = Subscription.objects.filter(
            api_client=self.client, cancelled_at__isnull=True, register=""
        )
        return list(rows.order_by("pk").values_list("pk", flat=True))

    def case_references(self) -> list[str]:
        from civic.cases.models import Case

        cases = Case.objects.filter(agency_id=self.client.agency_id).order_by("pk")
        return list(cases.values_list("reference", flat=True))

    def reform_ids(self) -> list[int]:
        """Its agency's what-if reforms (the reform API's)."""
        from civic.decisions.models import Reform

        rows = Reform.objects.filter(agency=self.client.agency.code)
        return list(rows.order_by("pk").values_list("pk", flat=True))

    def run_ids(self) -> list[int]:
        from civic.decisions.models import ReformRun

        rows = ReformRun.objects.filter(reform__agency=self.client.agency.code)
        return list(rows.order_by("pk").values_list("pk", flat=True))

    def document_ids(self) -> list[int]:
        from civic.forms.models import Upload

        uploads = Upload.objects.filter(draft__submission__case__agency_id=self.client.agency_id)
        return list(uploads.order_by("pk").values_list("pk", flat=True))


def _a_reform(partner: Partner, agency) -> None:
    """A what-if reform of the partner's agency with a run (not computed), named with its
    marker."""
    from civic.core import clock
    from civic.decisions.reform_runs import reform_save, run_start
    from civic.decisions.reforms import reform_parse

    spec = reform_parse({"name": f"reform of {partner.marker}", "parameters": {}})
    run_start(reform=reform_save(agency=agency.code, spec=spec), year=clock.today().year)


def a_partner(name: str) -> Partner:
    """An API client of an agency of its own, granted GRANTED for a purpose of its own, with a
    webhook subscription for each of EVENTS, and one for the events of its case type."""
    from civic.cases.services import case_events_subscribe

    agency = create_agency(code=f"schemathesis-{name}", name=f"Agency {name.upper()}")
    client, secret = identity.api_client_create(agency=agency, name=f"Partner {name.upper()}")
    purpose = create_purpose(code=f"schemathesis-{name}")
    exchange.grant_create(
        purpose=purpose, register="persons", attributes=GRANTED, api_client=client
    )
    partner = Partner(name, client.client_id, secret, client, purpose)
    _a_case_with_a_document(partner, agency)
    _a_reform(partner, agency)
    for event in EVENTS:
        exchange.subscription_create(
            purpose=purpose,
            register="persons",
            event_types=[event],
            api_client=client,
            url=f"https://{partner.marker}/{event}",
        )
    case_events_subscribe(
        api_client=client, url=f"https://{partner.marker}/cases", event_types=[], case_types=[]
    )
    return partner


def _a_case_with_a_document(partner: Partner, agency) -> None:
    """A case type of the partner's agency that the partner reaches through the case API, and
    one case of it with a document, each carrying the partner's marker."""
    from django.core.files.base import ContentFile

    from civic.cases.models import Case, CaseType
    from civic.cases.services import case_api_access_grant
    from civic.core import clock
    from civic.forms.models import Draft, FormDefinition, Submission, Upload

    parking = CaseType.objects.get(code="parking-permit")
    case_type = CaseType.objects.create(
        code=f"schemathesis-{partner.name}",
        agency=agency,
        name={"en": partner.marker},
        purpose=partner.purpose.code,
        workflow=parking.workflow,
        decision_period_days=56,
    )
    resident = a_registered_resident()
    version = FormDefinition.objects.get(code="parking-permit").versions.order_by("-pk").first()
    draft = Draft.objects.create(version=version, applicant=resident, subject=resident)
    now = clock.now()
    submission = Submission.objects.create(
        reference=f"SUB-{partner.name.upper()}",
        draft=draft,
        version=version,
        applicant=resident,
        subject=resident,
        answers={},
        submitted_at=now,
    )
    content = f"a document of {partner.marker}".encode()
    Upload.objects.create(
        draft=draft,
        field="proof",
        file=ContentFile(content, name="proof.txt"),
        name="proof.txt",
        content_type="text/plain",
        size=len(content),
        scan=Upload.Scan.CLEAN,
    )
    Case.objects.create(
        reference=f"SCH-{partner.name.upper()}-1",
        case_type=case_type,
        agency=agency,
        submission=submission,
        subject=resident,
        applicant=resident,
        state=parking.workflow["initial"],
        opened_at=now,
        deadline=now.date(),
    )
    case_api_access_grant(
        api_client=partner.client, case_type=case_type, role="caseworker", granted_by="test"
    )


# -- what generated requests say ---------------------------------------------------------


def vocabulary(partner: Partner, *, probability: float, only_good: bool = False) -> dict:
    """Civic's words, which generated requests use with ``probability``, so that they get past
    "no such purpose" into the queries themselves; ``only_good`` leaves out the words that are
    refused (another purpose, a field outside the grant, an unknown person or register)."""
    from tests.identity.builders import an_unregistered_personal_number

    words = {
        "purposes": [partner.purpose.code],
        "fields": list(GRANTED),
        "subjects": [a_registered_resident()],
        "registers": ["persons"],
        "events": EVENTS,
        "urls": [f"https://{partner.marker}/hook"],
    }
    if not only_good:
        words["purposes"].append("apply-parking-permit")
        words["fields"].append("identity.nationality")
        words["subjects"] += [an_unregistered_personal_number(), "123456789"]
        words["registers"] += ["businesses", "pets"]
    bound = {
        "body.purpose": "purposes",
        "body.fields[*]": "fields",
        "body.subjects[*]": "subjects",
        "path.register": "registers",
        "path.key": "registers",
        "body.register": "registers",
        "body.event_types[*]": "events",
        "body.url": "urls",
    }
    return {
        "dictionaries": {name: {"values": values} for name, values in words.items()},
        "parameters": {
            key: {"dictionary": name, "probability": probability} for key, name in bound.items()
        },
    }


def load(url, app, *, partner=None, session=None, credentials=True, examples=25, extra=None):
    """The document at ``url``, its requests sent to ``app`` as ``partner`` (and with the
    resident's ``session`` where an operation asks for one). Without ``credentials``,
    schemathesis makes up none for the operations that need them."""
    auth = {}
    if partner is not None:
        auth["PartnerAuth"] = {"username": partner.client_id, "password": partner.secret}
    if session is not None:
        auth["SessionAuth"] = {"api_key": session}
    config = {
        "seed": 1,
        "generation": {
            "mode": "all",
            "max-examples": examples,
            "deterministic": True,
            "with-security-parameters": credentials,
        },
        # Replaced by schema_valid_requests_pass_validation: Civic refuses schema-valid requests
        # for reasons no schema can hold (an unknown purpose, a field outside the grant).
        "checks": {"positive_data_acceptance": {"enabled": False}},
        **(extra or {}),
    }
    if auth:
        config["auth"] = {"openapi": auth}
    return schemathesis.openapi.from_wsgi(url, app, config=schemathesis.Config.from_dict(config))


def operations_of(schema):
    for result in schema.get_all_operations():
        yield result.ok()  # a document schemathesis cannot read fails the test here


#: Values at the edges of what SQLite and PostgreSQL store and compare, by the kind of a
#: parameter: each put in every parameter of its kind, one at a time.
EDGES = {
    "text": ["\x00", "Jansen\x00", "x" * 10_000],
    "integer": [-1, 2**31, 2**63, 10**22],
    "moment": ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00Z"],
    "day": ["0001-01-01", "9999-12-31"],
}


def _resolved(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for variant in schema.get("anyOf", []):  # an optional value: its type or null
        if variant.get("type") != "null":
            return _resolved(variant, document)
    return schema


def _kind(schema: dict) -> str | None:
    if schema.get("type") == "integer":
        return "integer"
    if schema.get("type") == "string":
        return {"date-time": "moment", "date": "day"}.get(schema.get("format"), "text")
    return None


def edge_parameters(operation, document: dict):
    """(location, name, kind, is a list) of every parameter and body member with an edge."""
    raw = operation.definition.raw
    for parameter in raw.get("parameters", []):
        kind = _kind(_resolved(parameter["schema"], document))
        if kind:
            yield parameter["in"], parameter["name"], kind, False
    body = raw.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        for name, member in _resolved(body["schema"], document).get("properties", {}).items():
            member = _resolved(member, document)
            is_list = member.get("type") == "array"
            kind = _kind(_resolved(member["items"], document) if is_list else member)
            if kind:
                yield "body", name, kind, is_list


# -- what must hold ----------------------------------------------------------------------


def content_type(response) -> str:
    value = response.headers.get("content-type", [""])
    return (value[0] if isinstance(value, list) else value).split(";")[0].strip()


def errors_are_problem_json(ctx, response, case):
    """DESIGN.md: bad input gets a clear error, problem+json on APIs."""
    if response.status_code < 400:
        return
    assert content_type(response) == PROBLEM_JSON, f"{response.status_code} is not problem+json"
    problem = response.json()
    assert problem.get("status") == response.status_code, "the problem names another status"
    for member in ("title", "detail"):
        assert isinstance(problem.get(member), str) and problem[member].strip(), f"no {member}"


def schema_valid_requests_pass_validation(ctx, response, case):
    """A request the document allows is never refused by the API's own validation: if it is,
    the document and the validation disagree."""
    mode = case.meta.generation.mode if case.meta else None
    if mode == GenerationMode.POSITIVE and response.status_code == 400:
        kind = response.json().get("type", "")
        assert not kind.endswith("/invalid-request"), f"the document allows it: {response.text}"


CHECKS = [errors_are_problem_json, schema_valid_requests_pass_validation]


@contextlib.contextmanager
def rolled_back():
    """Every generated request (or stateful run) starts from the same database, so a failure
    replays as it happened and one run's writes never steer the next."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def database_state() -> dict[str, str]:
    """A digest of every Civic table; the base registers (large, and never written through the
    API) by their row count."""
    state = {}
    for model in apps.get_models():
        if not model.__module__.startswith("civic."):
            continue
        rows = model._default_manager.order_by("pk")
        if model._meta.app_label == "registers":
            state[model._meta.label] = str(rows.count())
        else:
            digest = hashlib.sha256(repr(list(rows.values_list())).encode()).hexdigest()
            state[model._meta.label] = digest
    return state
