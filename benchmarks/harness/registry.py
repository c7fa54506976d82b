"""Every benchmark section: its name, what it measures, its sizes in a full run and in a smoke
run, and how it is called. ``benchmarks --list`` prints this table; docs/benchmarks.md has it
too. A section runs as ``run(sizes, options)`` of its module, returning what failed; the
databases it runs on come from ``--only``, limited to the ones it supports."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def _wrk_missing() -> str:
    return "" if shutil.which("wrk") else "wrk (the HTTP load generator) is not installed"


@dataclass(frozen=True)
class Section:
    name: str
    module: str  # benchmarks.NAME.section, with run(sizes, options) -> list[str]
    about: str
    full: dict[str, Any]
    smoke: dict[str, Any]
    databases: tuple[str, ...] = ("sqlite", "postgres")
    #: Why the measuring part cannot run here ("" when it can). In a smoke run a section with a
    #: reason still imports and builds its data, then says SKIPPED with the reason.
    smoke_skip: Callable[[], str] = field(default=lambda: "")
    #: The one database a section of both is proved on in a smoke run ("" for both). A smoke
    #: run proves the section's code runs; ``make bench`` measures it on both. make test runs
    #: the two engines' smoke runs side by side, so these are shared out to even them: each
    #: engine has about five minutes of sections of its own (documents and OpenFisca on
    #: SQLite; sensors, load and faults on PostgreSQL), and the production database takes the
    #: exchange and the access export.
    smoke_on: str = ""

    def sizes(self, smoke: bool) -> dict[str, Any]:
        return dict(self.smoke if smoke else self.full)

    def runs_on(self, smoke: bool) -> tuple[str, ...]:
        """The databases the section runs on, in a smoke run or a full one."""
        return (self.smoke_on,) if smoke and self.smoke_on else self.databases


SECTIONS: tuple[Section, ...] = (
    Section(
        "foundation",
        "benchmarks.foundation.section",
        "generating the jurisdiction; the bitemporal point query",
        full={"residents": (100_000, 1_000_000), "samples": 2_000},
        smoke={"residents": (200, 400), "samples": 20},
        smoke_on="sqlite",
    ),
    Section(
        "exchange",
        "benchmarks.exchange.section",
        "query rate through the server, log appends, the integrator, verify, the data tracker",
        full={"entries": 10_000_000},
        smoke={
            "entries": 3_000,
            "residents": 300,
            "calls": 10,
            "requests": 10,
            "samples": 10,
            "durations": (1, 1),
        },
        smoke_on="postgres",
    ),
    Section(
        "exchange_speed",
        "benchmarks.exchange.speed",
        "the partner query's rate against GET /health and a bare probe, in the same run",
        full={"workers": 4, "threads": 2, "connections": 8, "seconds": 15, "rounds": 2},
        smoke={
            "workers": 1,
            "threads": 2,
            "connections": 2,
            "seconds": 1,
            "warmup": 1,
            "rounds": 1,
            "residents": 300,
        },
        smoke_on="sqlite",
    ),
    Section(
        "portal",
        "benchmarks.portal.section",
        "page times and weight of the resident pages; the finder's accuracy",
        full={"requests": 300, "residents": 50_000},
        smoke={"requests": 3, "residents": 300},
        smoke_on="sqlite",
    ),
    Section(
        "cases",
        "benchmarks.cases.section",
        "the caseworker's queue and case pages; concurrent submissions",
        full={"requests": 300, "seconds": 30, "drafts": 2_400},
        smoke={
            "requests": 3,
            "seconds": 1,
            "drafts": 10,
            "residents": 300,
            "open_cases": 50,
            "closed_cases": 20,
            "resident_cases": 5,
        },
        smoke_on="sqlite",
    ),
    Section(
        "proactive",
        "benchmarks.proactive.section",
        "the nightly proactive run over the population; OpenFisca; decisions",
        full={"residents": (100_000, 1_000_000)},
        smoke={"residents": (300,), "decisions": 5, "repeats": 1, "large_chunk": 0},
        smoke_on="sqlite",
    ),
    Section(
        "rules",
        "benchmarks.rules.section",
        "monthly periods against yearly in OpenFisca; what-if reform runs (SQLite)",
        full={"persons": 200_000, "repeats": 3, "residents": 20_000, "chunk_size": 5_000},
        smoke={"persons": 500, "repeats": 1, "residents": 300, "chunk_size": 100},
        databases=("sqlite",),
    ),
    Section(
        "documents",
        "benchmarks.documents.section",
        "pages per second: PDF text layers, and scans against tesseract alone (no database); "
        "document-type classification on unseen templates",
        full={
            "pages": 200,
            "scans": 24,
            "lines": 30,
            "workers": 2,
            "rounds": 2,
            "classify_samples": 720,
            "classify_clean": 1200,
            "classify_passages": 150,
        },
        smoke={
            "pages": 2,
            "scans": 2,
            "lines": 3,
            "workers": 2,
            "rounds": 1,
            "classify_samples": 80,
            "classify_clean": 0,
            "classify_passages": 10,
        },
        databases=("sqlite",),
    ),
    Section(
        "documents_extraction",
        "benchmarks.documents.extraction",
        "personal numbers, IBANs and names found in OCR'd, degraded pages (no database)",
        full={"pages": 24, "workers": 2, "corpus_records": 0},
        # The first 60 of the corpus's 720 samples: the scoring runs, Civic's and Presidio's.
        smoke={"pages": 2, "workers": 2, "corpus_records": 60},
        databases=("sqlite",),
    ),
    Section(
        "documents_backlog",
        "benchmarks.documents.backlog",
        "a mixed backlog end to end (`civic documents process`): time and peak memory (SQLite)",
        full={"documents": 10_000, "scan_every": 10, "workers": 2},
        smoke={"documents": 12, "scan_every": 5, "workers": 2},
        databases=("sqlite",),
    ),
    Section(
        "insights",
        "benchmarks.insights.section",
        "the forecaster on a real daily demand series with weather: MASE, interval coverage",
        full={"origins": 26, "horizon": 28},
        smoke={"origins": 1, "horizon": 28},
        databases=("sqlite",),
    ),
    Section(
        "forecast_demo",
        "benchmarks.insights.forecast_demo",
        "the forecaster on the demo's own case history, per kind of case: MASE, coverage",
        full={"residents": 5_000, "origins": 4, "horizon": 28},
        smoke={"residents": 300, "origins": 1, "horizon": 28},
        databases=("sqlite",),
    ),
    Section(
        "kpis",
        "benchmarks.insights.kpis",
        "the KPI pages, a kind of case's forecast page, the public page and API at 100,000 cases",
        full={"residents": 2_000, "cases": 100_000, "samples": 100, "warmup": 3},
        smoke={"residents": 300, "cases": 300, "samples": 2, "warmup": 1},
        smoke_on="sqlite",
    ),
    Section(
        "maturity",
        "benchmarks.insights.maturity",
        "the digital-maturity index recomputed for the 1,000,000-resident jurisdiction",
        full={"residents": 1_000_000, "repeats": 3},
        smoke={"residents": 300, "repeats": 1},
        databases=("postgres",),
    ),
    Section(
        "flood_risk",
        "benchmarks.insights.flood_risk",
        "flood-risk probabilities: Brier skill against climatology, reliability, warnings' lead",
        full={"years": 6, "seeds": 3},
        smoke={"years": 1, "seeds": 1},
        databases=("sqlite",),
    ),
    Section(
        "sensors",
        "benchmarks.sensors.section",
        "observations/s: CreateObservations over HTTP, MQTT ingest, the ingest service, raw COPY",
        full={"observations": 200_000, "batch": 5_000, "messages": 1_000, "tuned_messages": 50_000},
        smoke={"observations": 2_000, "batch": 500, "messages": 300, "tuned_messages": 500},
        databases=("postgres",),
    ),
    Section(
        "sensors_volume",
        "benchmarks.sensors.filter_volume",
        "a $filter for one day over 100 million readings of one datastream (monthly partitions)",
        full={"observations": 100_000_000, "samples": 50},
        smoke={"observations": 200_000, "samples": 3},
        databases=("postgres",),
    ),
    Section(
        "advisories",
        "benchmarks.sensors.advisory_latency",
        "from a reading over the line (MQTT) to every subscriber's inbox, Celery on RabbitMQ",
        full={"residents": 50_000, "subscribers": 2_000, "samples": 20},
        smoke={"residents": 300, "subscribers": 12, "samples": 1},
        databases=("postgres",),
    ),
    Section(
        "privacy",
        "benchmarks.privacy.section",
        "a complete access export: 1,000 cases and 10,000 log entries",
        full={
            "residents": 5_000,
            "cases": 1_000,
            "entries": 10_000,
            "repeats": 3,
            **{"history": 20, "vehicles": 10, "businesses": 6, "drafts": 20},
            **{"files": 100, "file_kib": 256, "consents": 5},
        },
        smoke={
            "residents": 200,
            "cases": 20,
            "entries": 200,
            "repeats": 1,
            **{"history": 2, "vehicles": 1, "businesses": 2, "drafts": 2},
            **{"files": 2, "file_kib": 4, "consents": 1},
        },
        smoke_on="postgres",
    ),
    Section(
        "opendata",
        "benchmarks.opendata.section",
        "regenerating every open dataset; CKAN's package_search p95 with many datasets",
        full={"residents": 1_000_000, "datasets": 10_000, "samples": 100, "repeats": 1},
        smoke={"residents": 300, "datasets": 120, "samples": 3, "repeats": 1},
        smoke_on="sqlite",
    ),
    Section(
        "privacy_store",
        "benchmarks.privacy_store.section",
        "a retention run over the jurisdiction; field encryption's cost on the query rate",
        full={
            "residents": (1_000_000,),
            "encryption_residents": 100_000,
            "log_queries": 2_000,
            "queries": 50,
            "rounds": 40,
            "population_repeats": 3,
        },
        smoke={
            "residents": (300,),
            "encryption_residents": 300,
            "log_queries": 20,
            "queries": 20,
            "rounds": 2,
            "population_repeats": 1,
        },
        databases=("postgres",),
    ),
    Section(
        "tracing",
        "benchmarks.tracing.section",
        "what OpenTelemetry traces cost a request",
        full={"requests": 200, "rounds": 5, "residents": 5_000},
        smoke={"requests": 5, "rounds": 1, "residents": 300},
        databases=("sqlite",),
    ),
    Section(
        "load",
        "benchmarks.load.section",
        "locust against 1, 2 and 4 web processes with Celery workers (PostgreSQL)",
        full={"processes": (1, 2, 4), "seconds": 60, "users": 200},
        smoke={"processes": (1,), "seconds": 8, "users": 8},
        databases=("postgres",),
    ),
    Section(
        "faults",
        "benchmarks.faults.section",
        "a worker, the broker, the database or the web server killed; a full media disk",
        full={},  # fixed: benchmarks/faults/scenarios.py FULL, as root
        # Faults 1 and 4 only, on the shared servers (benchmarks/faults/smoke.py).
        smoke={"chunk": 25, "by_email": 20, "applicants": 12, "threads": 2},
        databases=("postgres",),
    ),
)


def section_get(name: str) -> Section:
    return next(s for s in SECTIONS if s.name == name)
