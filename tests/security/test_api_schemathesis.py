"""Schemathesis over every OpenAPI document Civic serves, against the Django app in-process
(WSGI, in the test's own transaction), with two partner clients of two agencies.

Each operation gets schemathesis' coverage cases and fuzzing, positive and negative, and
values at the edges of what the databases store; each document gets stateful runs (subscribe,
list, cancel). Every answer conforms to the document, none is a 5xx, and every error is
problem+json with status, title and detail. Client B tries every operation that takes an
object id with client A's ids and never gets, lists or changes A's objects; a revoked client
and a caller without credentials get 401 wherever a document asks for credentials. The
documents are found in the URLconf, so an API added later is tested without touching this file.
"""

from __future__ import annotations

import hypothesis
import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis.stateful import run_state_machine_as_test
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civic.identity import services as identity
from tests.builders import a_registered_resident
from tests.exchange.builders import create_purpose
from tests.security.apis import (
    CHECKS,
    EDGES,
    PROBLEM_JSON,
    Partner,
    a_partner,
    content_type,
    database_state,
    edge_parameters,
    load,
    ninja_operation_paths,
    openapi_documents,
    operations_of,
    rolled_back,
    vocabulary,
)

#: Bounded and derandomized: the same requests on every run, the whole file in about a minute
#: on two cores (more examples found nothing more when the suite was written).
HYPOTHESIS = hypothesis.settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
DOCUMENTS = openapi_documents()
EDGE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    CHECKS[0],
]


@pytest.fixture
def wsgi_app(db, settings):
    """The real WSGI handler, run in this test's transaction: Django's request signals would
    close the connection (and the transaction) after every request, so they are held off."""
    # A fuzzing client is not a flood: its limits fit the fuzzing (a 429 is documented too).
    settings.EXCHANGE_RATE_LIMIT = 10**9
    settings.EXCHANGE_SUBJECTS_PER_MINUTE = settings.EXCHANGE_SUBJECTS_PER_DAY = 10**9
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def partners(wsgi_app) -> tuple[Partner, Partner]:
    return a_partner("a"), a_partner("b")


@pytest.fixture
def resident_session(db, settings) -> str:
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    browser = Client()
    browser.force_login(identity.resident_account_ensure(personal_number=a_registered_resident()))
    return browser.cookies[settings.SESSION_COOKIE_NAME].value


def test_every_api_operation_is_in_an_openapi_document_this_file_tests(client, db):
    assert "/api/openapi.json" in DOCUMENTS
    documented = set()
    for url in DOCUMENTS:
        response = client.get(url)
        assert response.status_code == 200
        documented |= set(response.json()["paths"])
    assert ninja_operation_paths() <= documented


@pytest.mark.parametrize("url", DOCUMENTS)
def test_every_operation_answers_as_its_document_says(
    url, wsgi_app, partners, resident_session, subtests
):
    a, _b = partners
    schema = load(
        url, wsgi_app, partner=a, session=resident_session, extra=vocabulary(a, probability=0.7)
    )
    for operation in operations_of(schema):
        with subtests.test(msg=operation.label):
            config = schema.config.generation_for(operation=operation)
            coverage = schema.iter_coverage_cases(
                operation, generation_modes=list(GenerationMode), generation_config=config
            )
            for case in coverage:
                with rolled_back():
                    case.call_and_validate(additional_checks=CHECKS)
            for mode in GenerationMode:
                fuzz(operation, mode)


def fuzz(operation, mode):
    @HYPOTHESIS
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        with rolled_back():
            case.call_and_validate(additional_checks=CHECKS)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE  # an operation without input has no wrong one


@pytest.mark.parametrize("url", DOCUMENTS)
def test_values_at_the_edges_of_the_databases_are_answered_or_refused_never_a_crash(
    url, wsgi_app, partners, resident_session, subtests
):
    """A NUL character, a number past 64 bits, a moment outside the years 1 to 9999 in UTC:
    each in every parameter of its kind, in an otherwise good request."""
    a, _b = partners
    good = vocabulary(a, probability=1.0, only_good=True)
    schema = load(url, wsgi_app, partner=a, session=resident_session, extra=good)
    for operation in operations_of(schema):
        with subtests.test(msg=operation.label):
            try_edges(operation, list(edge_parameters(operation, schema.raw_schema)))


def try_edges(operation, edges):
    @hypothesis.settings(HYPOTHESIS, max_examples=1)
    @hypothesis.given(case=operation.as_strategy())
    def run(case):
        for location, name, kind, is_list in edges:
            for value in EDGES[kind]:
                request = case.derive(keep_auth=True)
                containers = {
                    "body": request.body,
                    "query": request.query,
                    "path": request.path_parameters,
                }
                containers[location][name] = [value] if is_list else value
                with rolled_back():
                    # Not schema_valid_requests_pass_validation: the case was valid before its
                    # edge went in.
                    request.call_and_validate(checks=EDGE_CHECKS)

    run()


@pytest.mark.parametrize("url", DOCUMENTS)
def test_stateful_runs_answer_as_the_document_says(url, wsgi_app, partners, resident_session):
    """Sequences the document's links allow (and schemathesis infers): subscribe, then cancel
    what was made; list, then cancel what was listed."""
    a, _b = partners
    # Mostly Civic's words here: a sequence only goes on from a step that succeeded.
    words = vocabulary(a, probability=0.95)
    schema = load(url, wsgi_app, partner=a, session=resident_session, extra=words)
    steps = []

    class Workflow(schema.as_state_machine()):
        def setup(self):
            self.savepoint = rolled_back()
            self.savepoint.__enter__()

        def teardown(self):
            self.savepoint.__exit__(None, None, None)

        def after_call(self, response, case):
            super().after_call(response, case)
            steps.append((case.operation.method.upper(), response.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            super().validate_response(response, case, additional_checks=CHECKS, **kwargs)

    run_state_machine_as_test(
        Workflow, settings=hypothesis.settings(HYPOTHESIS, max_examples=15, stateful_step_count=8)
    )
    assert ("POST", 201) in steps and ("DELETE", 204) in steps  # it got past refusals


#: For each path parameter that names an object a client owns, client A's objects of that
#: kind. An operation with another object id fails the test below until it is added here.
OBJECTS_OF_A = {
    "subscription_id": Partner.subscription_ids,
    "case_subscription_id": Partner.case_subscription_ids,
    "reference": Partner.case_references,
    "document_id": Partner.document_ids,
    "reform_id": Partner.reform_ids,
    "run_id": Partner.run_ids,
}


def object_id_names(operation) -> list[str]:
    return [
        p.name
        for p in operation.path_parameters
        if p.definition.get("schema", {}).get("type") == "integer"
        or p.name.endswith("_id")
        or p.name == "reference"
    ]


def answers(operation, examples=3, **path_parameters) -> list:
    """The answers to a few schema-valid requests to ``operation``, as the schema's caller."""
    found = []

    @hypothesis.settings(HYPOTHESIS, max_examples=examples)
    @hypothesis.given(case=operation.as_strategy(path_parameters=path_parameters or None))
    def run(case):
        found.append(case.call())

    run()
    return found


@pytest.mark.parametrize("url", DOCUMENTS)
def test_client_b_never_gets_lists_or_changes_client_a_objects(url, wsgi_app, partners):
    a, b = partners
    as_b = load(url, wsgi_app, partner=b, extra=vocabulary(b, probability=0.7))
    a_objects = {name: ids(a) for name, ids in OBJECTS_OF_A.items()}
    before = database_state()
    tried = 0
    for operation in operations_of(as_b):
        names = object_id_names(operation)
        unknown = [n for n in names if n not in OBJECTS_OF_A]
        assert not unknown, f"{operation.label}: add client A's {unknown} to OBJECTS_OF_A"
        for name in names:
            for object_id in a_objects[name]:
                others = {n: OBJECTS_OF_A[n](b)[0] for n in names if n != name}
                for response in answers(operation, **{name: object_id}, **others):
                    tried += 1
                    assert response.status_code in (403, 404), (operation.label, object_id)
                    assert content_type(response) == PROBLEM_JSON
                    assert a.marker not in response.text
        if not names and operation.method.upper() == "GET":
            for response in answers(operation):
                assert a.marker not in response.text, operation.label
    assert tried >= len(a_objects["subscription_id"])
    assert database_state() == before
    assert a.subscription_ids() == a_objects["subscription_id"]
    # The same operations reach B's own objects: the refusals above were about A's. (A state
    # change may still be refused for the case's state, a 400 or 409 about the case.)
    for operation in operations_of(as_b):
        names = object_id_names(operation)
        own = {name: OBJECTS_OF_A[name](b)[0] for name in names}
        if names:
            [response] = answers(operation, examples=1, **own)
            assert response.status_code not in (401, 403, 404), (operation.label, response.text)


@pytest.mark.parametrize("url", DOCUMENTS)
@pytest.mark.parametrize("who", ["a revoked client", "no credentials", "a client id with NUL"])
def test_without_valid_credentials_every_protected_operation_is_a_401(url, who, wsgi_app, partners):
    a, _b = partners
    caller = None
    if who == "a revoked client":
        caller = a_partner("revoked")
        identity.api_client_revoke(client=caller.client)
    elif who == "a client id with NUL":
        caller = Partner("nul", a.client_id + "\x00", a.secret)
    schema = load(
        url, wsgi_app, partner=caller, credentials=False, extra=vocabulary(a, probability=0.7)
    )
    before = database_state()
    protected = [op for op in operations_of(schema) if op.definition.raw.get("security")]
    assert protected
    for operation in protected:
        for response in answers(operation):
            assert response.status_code == 401, (operation.label, response.text)
            assert content_type(response) == PROBLEM_JSON
            assert a.marker not in response.text
    assert database_state() == before
