"""The digital-maturity index: the six dimensions of the OECD Digital Government Policy
Framework scored from Civic's own live figures (``inputs``), recorded once a day so that its
history can be followed (``MaturitySnapshot``), and published with its method.

Scoring: every input is a share from 0 to 1 (higher is better); a dimension's score is 100
times the mean of its inputs that have a value; the index is the mean of the dimensions that
have a score. Nothing is weighted by hand, so the method fits in a sentence on the public page.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from statistics import fmean

from django.utils.translation import gettext_lazy as _

from civic.core import clock
from civic.insights.maturity.inputs import INPUTS, WINDOW_DAYS, input_read


@dataclass(frozen=True)
class Dimension:
    key: str
    name: object
    meaning: object
    inputs: tuple[str, ...]


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "digital_by_design",
        _("Digital by design"),
        _("Services are digital from the start, not paper put online."),
        ("services_digital",),
    ),
    Dimension(
        "data_driven",
        _("Data-driven"),
        _("Data the government holds is used, so people are asked once only."),
        ("register_answers",),
    ),
    Dimension(
        "government_as_a_platform",
        _("Government as a platform"),
        _("Agencies build their services on shared components."),
        ("agencies_on_platform",),
    ),
    Dimension(
        "open_by_default",
        _("Open by default"),
        _("Data and the workings of automated decisions are open to the public."),
        ("datasets_published", "decisions_explained"),
    ),
    Dimension(
        "user_driven",
        _("User-driven"),
        _("Services meet people's needs, in time, and listen to them."),
        ("decided_on_time", "feedback_acted_on"),
    ),
    Dimension(
        "proactive",
        _("Proactive"),
        _("The government acts before people have to ask."),
        ("offers_taken_up",),
    ),
)


def _score(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(100 * fmean(known), 1) if known else None


def maturity_compute(*, now: dt.datetime | None = None) -> dict:
    """The index as of ``now``: every input with its counts, every dimension with its score,
    the index, and how long the computation took (seconds)."""
    started = time.perf_counter()
    now = now or clock.now()
    inputs = {key: input_read(key, now=now) for key in INPUTS}
    dimensions = [
        {
            "key": d.key,
            "inputs": list(d.inputs),
            "score": _score([inputs[key]["value"] for key in d.inputs]),
        }
        for d in DIMENSIONS
    ]
    return {
        "computed_at": now.isoformat(),
        "window_days": WINDOW_DAYS,
        "index": _score([d["score"] / 100 for d in dimensions if d["score"] is not None]),
        "dimensions": dimensions,
        "inputs": inputs,
        "seconds": round(time.perf_counter() - started, 3),
    }
