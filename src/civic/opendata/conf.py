"""Settings of the open-data catalogue. Gathered by ``civic.settings``; imports nothing but
``core.config``."""

from __future__ import annotations

from civic.core.config import env

OPENDATA_PURPOSE = env(
    "CIVIC_OPENDATA_PURPOSE",
    default="statistics",
    help="Exchange purpose under which the open-data job reads register counts. The purpose's "
    "controller publishes the catalogue; its job `open-data` needs a grant for the attributes "
    "each dataset counts (the jurisdiction's set-up file).",
    group="Open data",
)
OPENDATA_THRESHOLD = env(
    "CIVIC_OPENDATA_THRESHOLD",
    default=10,
    kind=int,
    help="The smallest non-zero count a published table may show; smaller ones are withheld, "
    "with enough others that none can be solved for from the totals.",
    group="Open data",
)
OPENDATA_DP_EPSILON = env(
    "CIVIC_OPENDATA_DP_EPSILON",
    default=0.0,
    kind=float,
    help="Privacy loss ε of the differentially private population release (OpenDP, the "
    "`differential-privacy` extra): residents by neighbourhood and age band with discrete "
    "Laplace noise of scale 1/ε. 0 (the default) publishes no such dataset; 1.0 gives counts "
    "within about ±3 of the truth for 95 % of cells. A new release is drawn only when the "
    "counts change.",
    group="Open data",
)

#: Periodic work of the open-data app, for `celery -A civic beat`: every dataset regenerated
#: nightly; a dataset whose content did not change keeps its version.
OPENDATA_BEAT_SCHEDULE = {
    "opendata-regenerate-nightly": {
        "task": "civic.opendata.datasets_regenerate",
        "schedule": 24 * 3600.0,
        "options": {"expires": 3600.0},
    },
}
