"""OpenFisca's Web API for the jurisdiction's rule package, at /api/rules/v1/, behind Civic's
API authentication: other agencies compute with the same law Civic decides with.

The routes and answers are those of ``openfisca serve`` (``calculate``, ``trace``, ``spec``,
``parameters``, ``parameter/<id>``, ``variables``, ``variable/<name>``, ``entities``), built
with openfisca_web_api's own loader and handlers from the package Civic has loaded and tested;
only the authentication (an API client, HTTP Basic) and the refusals (problem+json) are
Civic's. A situation is the caller's own data: nothing is read from the registers and nothing
is stored or logged. The reform API (what-if runs) is in reform_api.py.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from ninja import Body, Path, Router
from openfisca_core.errors import PeriodMismatchError, SituationParsingError
from openfisca_web_api import handlers
from openfisca_web_api.loader import build_data

from civic.core.errors import CivicError, NotFound
from civic.decisions.engine import rule_system
from civic.exchange.api import partner

router = Router(tags=["rules (OpenFisca Web API)"], auth=partner)

#: Persons per situation: a computation is for households, not for a population.
MAX_PERSONS = 200

JSON_OBJECT = dict[str, Any]
SITUATION = Body(..., description="An OpenFisca situation, as `openfisca serve` takes it")


class SituationInvalid(CivicError):
    """The situation cannot be computed; ``errors`` says where, as OpenFisca does."""

    code = "situation-invalid"

    def __init__(self, message: str, *, items: list[str] | None = None) -> None:
        super().__init__(message)
        self.items = items or []


@cache
def _data() -> dict:
    return build_data(rule_system())


def _computed(handler, situation: dict) -> dict:
    if not isinstance(situation, dict) or not situation:
        raise SituationInvalid(_("Send a situation: entities with their members and variables."))
    persons = situation.get("persons")
    if isinstance(persons, dict) and len(persons) > MAX_PERSONS:
        raise SituationInvalid(
            _("A situation has at most %(count)s persons.") % {"count": MAX_PERSONS}
        )
    try:
        return handler(_data()["tax_benefit_system"], situation)
    except (SituationParsingError, PeriodMismatchError) as error:
        raise SituationInvalid(
            _("The situation cannot be computed: %(error)s")
            % {"error": " ".join(str(error.error).split())[:1000]},
            items=_paths(error.error),
        ) from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError) as error:
        # OpenFisca's handlers trust the shape of what they are given; a wrong one is the
        # request's fault, said in the request's terms.
        raise SituationInvalid(
            _("The situation cannot be computed: %(error)s")
            % {"error": " ".join(str(error).split())[:1000] or type(error).__name__}
        ) from None


def _paths(errors, prefix: str = "") -> list[str]:
    if not isinstance(errors, dict):
        return [prefix] if prefix else []
    found: list[str] = []
    for key, value in errors.items():
        found.extend(_paths(value, f"{prefix}/{key}" if prefix else str(key)))
    return found[:50]


@router.post(
    "/calculate",
    response=JSON_OBJECT,
    summary="Calculate variables for a situation",
)
def calculate(request, situation: JSON_OBJECT = SITUATION):
    """OpenFisca's ``/calculate``: the situation with every ``null`` value computed (entities
    keyed by their plural, variables by period). Refused with problem+json, ``items`` naming
    the paths at fault, when it cannot be computed."""
    return _computed(handlers.calculate, situation)


@router.post("/trace", response=JSON_OBJECT, summary="Calculate with the computation's trace")
def trace(request, situation: JSON_OBJECT = SITUATION):
    """OpenFisca's ``/trace``: ``requestedCalculations``, ``entitiesDescription`` and the
    ``trace`` of every variable and parameter the computation used, with their values."""
    return _computed(handlers.trace, situation)


@router.get("/spec", response=JSON_OBJECT, summary="The OpenFisca Web API's own OpenAPI document")
def spec(request):
    """The package's OpenAPI document as ``openfisca serve`` gives it, its server this API."""
    document = dict(_data()["openAPI_spec"])
    document["servers"] = [{"url": request.build_absolute_uri(request.path[: -len("spec")])}]
    return document


@router.get("/parameters", response=JSON_OBJECT, summary="The parameters of the law")
def parameters(request):
    """Every parameter (leaf) with its description and where to read it."""
    base = request.build_absolute_uri(request.path[: -len("parameters")])
    return {
        p["id"]: {"description": p["description"], "href": f"{base}parameter/{name}"}
        for name, p in _data()["parameters"].items()
        if p.get("subparams") is None
    }


@router.get("/parameter/{name}", response=JSON_OBJECT, summary="One parameter and its values")
def parameter(request, name: str = Path(..., max_length=200)):
    """Its values by start date, references and metadata (``a.b`` or ``a/b``)."""
    known = _data()["parameters"]
    found = known.get(name.replace(".", "/")) or known.get(name)
    if found is None:
        raise NotFound(_("There is no parameter “%(name)s”.") % {"name": name[:200]})
    return found


@router.get("/variables", response=JSON_OBJECT, summary="The variables of the law")
def variables(request):
    base = request.build_absolute_uri(request.path[: -len("variables")])
    return {
        name: {"description": v["description"], "href": f"{base}variable/{name}"}
        for name, v in _data()["variables"].items()
    }


@router.get("/variable/{name}", response=JSON_OBJECT, summary="One variable and its formulas")
def variable(request, name: str = Path(..., max_length=200)):
    """Its entity, period, type, default, references and formulas' source, as OpenFisca
    describes it."""
    found = _data()["variables"].get(name)
    if found is None:
        raise NotFound(_("There is no variable “%(name)s”.") % {"name": name[:200]})
    return found


@router.get("/entities", response=JSON_OBJECT, summary="The entities and their roles")
def entities(request):
    return _data()["entities"]
