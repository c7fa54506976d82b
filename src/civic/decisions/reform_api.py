"""The what-if API, version 1, at /api/reforms/v1/: an agency's API client saves a reform
(parameters of the rules with new values), which is then computed over the whole population in
the background; it follows the run and reads its figures (cost, households gaining and losing
by band and neighbourhood, example households without personal data). Another agency's reforms
and runs are not found. Every refusal is problem+json."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db import transaction
from ninja import Field, Router, Schema, Status

from civic.core import clock
from civic.decisions import reform_runner, reform_runs
from civic.decisions.models import Reform, ReformRun
from civic.decisions.reforms import reform_parse
from civic.exchange.api import partner

router = Router(tags=["reforms"], auth=partner)


#: A parameter's new value: a number, or {"set" | "add" | "multiply": a number}.
Change = float | dict[Literal["set", "add", "multiply"], float]


class ReformIn(Schema):
    name: str = Field(..., min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")
    description: str = Field("", max_length=2000, pattern=r"^[^\x00]*$")
    parameters: dict[str, Change] = Field(
        default_factory=dict,
        description="Parameter path (as /api/rules/v1/parameters lists them) -> a number, or "
        "{set|add|multiply: number}. Empty: the law as it is (the run reports no change).",
        json_schema_extra={"propertyNames": {"pattern": r"^[A-Za-z0-9_./]{1,200}$"}},
    )
    year: int | None = Field(None, ge=2000, le=2100, description="Default: this year")


class RunOut(Schema):
    id: int
    year: int
    status: str = Field(..., description="running, done or stopped")
    chunks_done: int
    chunks_total: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    error: str
    result: dict[str, Any] = Field(
        ...,
        description="Once done: cost_before, cost_after, cost_change (EUR a year), "
        "households_gaining, households_losing, bands, neighbourhoods, examples",
    )


class ReformOut(Schema):
    id: int
    name: str
    description: str
    parameters: dict[str, Any]
    created_at: dt.datetime
    runs: list[RunOut]


def _agency(request) -> str:
    return request.auth.agency.code


def run_out(run: ReformRun) -> dict:
    done, total = reform_runs.run_progress(run)
    return {
        "id": run.pk,
        "year": run.year,
        "status": run.status,
        "chunks_done": done,
        "chunks_total": total,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "error": run.error,
        "result": run.result,
    }


def reform_out(reform: Reform) -> dict:
    return {
        "id": reform.pk,
        "name": reform.name,
        "description": reform.description,
        "parameters": reform.parameters,
        "created_at": reform.created_at,
        "runs": [run_out(r) for r in reform.runs.order_by("-started_at")],
    }


@router.get("/reforms", response=list[ReformOut], summary="The agency's reforms")
def reforms_list(request):
    """Newest first, each with its runs (the 100 latest)."""
    return [reform_out(r) for r in reform_runs.reforms_of(agency=_agency(request))]


@router.post("/reforms", response={201: ReformOut}, summary="Save a reform and compute it")
def reform_create(request, body: ReformIn):
    """Saved, then computed over the whole population in the background: follow the run at
    ``/runs/{id}``. A parameter that does not exist or a value that is not a number is
    refused (problem+json, ``items`` naming the parameter) and nothing is saved."""
    spec = reform_parse(
        {"name": body.name, "description": body.description, "parameters": body.parameters}
    )
    with transaction.atomic():
        reform = reform_runs.reform_save(
            agency=_agency(request), spec=spec, user=request.auth.client_id
        )
        run = reform_runs.run_start(reform=reform, year=body.year or clock.today().year)
        reform_runner.run_in_background(run)
    return Status(201, reform_out(reform))


@router.get("/reforms/{reform_id}", response=ReformOut, summary="One reform and its runs")
def reform_detail(request, reform_id: int):
    return reform_out(reform_runs.reform_get(agency=_agency(request), pk=reform_id))


@router.get("/runs/{run_id}", response=RunOut, summary="A run's progress and figures")
def run_detail(request, run_id: int):
    """``chunks_done`` of ``chunks_total`` while it runs; ``result`` once done."""
    return run_out(reform_runs.run_get(agency=_agency(request), pk=run_id))
