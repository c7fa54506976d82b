"""The optional differentially private release (OpenDP, the ``differential-privacy`` extra):
residents by neighbourhood and age band with discrete Laplace noise, instead of suppression.

Each resident is in exactly one cell, so adding or removing one person changes the vector of
counts by 1 in L1: noise of scale 1/ε makes the release ε-differentially private, and OpenDP
says how far a noisy count is from the true one at 95 %. Every cell of the fixed grid (every
neighbourhood × every band) is released, zeros too, and no margin (a margin would spend more
budget); a reader adds cells up. Noisy counts under 0 are published as 0 (post-processing).

Each release spends ε again, so a regeneration whose counts did not change (the exchange's
release id is the same) republishes the stored noisy table instead of drawing new noise.
"""

from __future__ import annotations

from django.conf import settings

from civic.exchange.selectors import AGE_BANDS, aggregate_read
from civic.opendata.datasets.base import Column, Context, Definition, Table
from civic.opendata.models import DatasetVersion

NAME = "population-by-neighbourhood-age-dp"
#: The accuracy stated with the release: 95 % of the noisy counts are this close or closer.
ALPHA = 0.05


def available() -> bool:
    """Whether the release is switched on and OpenDP is installed."""
    if settings.OPENDATA_DP_EPSILON <= 0:
        return False
    try:
        import opendp.prelude  # noqa: F401
    except ImportError:
        return False
    return True


def noise_measure(epsilon: float):
    """OpenDP's discrete Laplace mechanism over vectors of counts, L1 sensitivity 1; and the
    accuracy at 1 − ALPHA of one noisy count."""
    import opendp.prelude as dp

    dp.enable_features("contrib")
    scale = 1.0 / epsilon
    space = dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int)
    measure = space >> dp.m.then_laplace(scale=scale)
    assert abs(measure.map(d_in=1) - epsilon) < 1e-9
    return measure, dp.discrete_laplacian_scale_to_accuracy(scale=scale, alpha=ALPHA)


def _columns(epsilon: float, accuracy: float) -> list[Column]:
    return [
        Column("neighbourhood", "string", "Neighbourhood", "Neighbourhood code"),
        Column("age_band", "string", "Age band", "Age in whole years on the reference day"),
        Column(
            "residents",
            "integer",
            "Residents (with noise)",
            f"Differentially private (ε = {epsilon:g}, discrete Laplace): 95 % of these counts "
            f"are within ±{accuracy:.0f} of the true count; under 0 published as 0",
        ),
    ]


def _build(context: Context) -> Table:
    epsilon = settings.OPENDATA_DP_EPSILON
    counts = aggregate_read(
        actor=context.actor, purpose=context.purpose, aggregate="population", on=context.on
    )
    release = f"{counts.release}:dp:{epsilon:g}"
    stored = (
        DatasetVersion.objects.filter(dataset__name=NAME, release=release)
        .order_by("-number")
        .first()
    )
    measure, accuracy = noise_measure(epsilon)
    columns = _columns(epsilon, accuracy)
    if stored is not None:  # the same counts: no new noise, no more budget spent
        return Table(columns=columns, rows=stored.table["rows"], release=release)
    cells: dict[tuple[str, str], int] = {}
    for neighbourhood, band, _sex, count in counts.cells:
        cells[(neighbourhood, band)] = cells.get((neighbourhood, band), 0) + count
    grid = [
        (neighbourhood, band)
        for neighbourhood in sorted({cell[0] for cell in counts.cells})
        for band, _age in AGE_BANDS
    ]
    noisy = measure([cells.get(key, 0) for key in grid])
    rows = [[*key, max(0, int(value))] for key, value in zip(grid, noisy, strict=True)]
    return Table(columns=columns, rows=rows, release=release)


DEFINITION = Definition(
    name=NAME,
    title={
        "en": "Population by neighbourhood and age band (differentially private)",
        "nl": "Bevolking naar wijk en leeftijdsklasse (differentieel privaat)",
    },
    notes={
        "en": "Residents living in each neighbourhood today by age band, every count with "
        "random noise (OpenDP's discrete Laplace mechanism) instead of withheld cells: no "
        "count is left out, and no person's presence can be told from the release. The "
        "privacy loss ε and the accuracy are stated with the residents column.",
        "nl": "Inwoners die vandaag in elke wijk wonen naar leeftijdsklasse, elk aantal met "
        "willekeurige ruis (het discrete Laplace-mechanisme van OpenDP) in plaats van "
        "weggelaten cellen: geen aantal ontbreekt, en of iemand erin zit is niet af te leiden. "
        "Het privacyverlies ε en de nauwkeurigheid staan bij de kolom inwoners.",
    },
    theme="SOCI",
    frequency="DAILY",
    build=_build,
    tags=("population", "neighbourhood", "age", "differential privacy"),
)
