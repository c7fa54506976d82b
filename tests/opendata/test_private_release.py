"""The optional differentially private release (OpenDP): every cell of the grid with discrete
Laplace noise, ε and the accuracy stated, no new noise while the counts stay the same, and the
stated accuracy holding over many draws."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from civic.exchange.models import AccessLogEntry
from civic.exchange.selectors import AGE_BANDS
from civic.opendata.datasets import definitions
from civic.opendata.datasets.private import NAME, noise_measure
from civic.opendata.models import DatasetVersion
from civic.opendata.services import dataset_regenerate
from civic.registers.models import Residence
from tests.opendata.builders import catalogue_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def epsilon(settings):
    settings.OPENDATA_DP_EPSILON = 1.0
    return 1.0


def test_the_release_gives_every_cell_with_noise_and_states_epsilon_and_accuracy(epsilon):
    assert catalogue_published()[NAME] == "v1"
    version = DatasetVersion.objects.get(dataset__name=NAME)
    rows = version.table["rows"]
    neighbourhoods = sorted({r[0] for r in rows})
    assert [r[:2] for r in rows] == [[n, band] for n in neighbourhoods for band, _ in AGE_BANDS]
    assert all(isinstance(r[2], int) and r[2] >= 0 for r in rows)
    _measure, accuracy = noise_measure(epsilon)
    residents = Residence.objects.filter(recorded_to=None, valid_to=None).count()
    # Each of the cells is within ±accuracy for 95 % of releases; their sum is far closer
    # than every cell off by that much.
    assert abs(sum(r[2] for r in rows) - residents) < accuracy * len(rows)
    described = version.table["fields"][2]["description"]
    assert "ε = 1" in described and f"±{accuracy:.0f}" in described
    # The counts read once for both releases of them: one access-log entry.
    assert AccessLogEntry.objects.filter(kind="counts", register="persons").count() == 2


def test_unchanged_counts_are_not_released_again_with_new_noise(epsilon):
    catalogue_published()
    first = DatasetVersion.objects.get(dataset__name=NAME)
    again = dataset_regenerate(name=NAME)
    assert again.pk == first.pk and again.table["rows"] == first.table["rows"]


def test_the_stated_accuracy_holds_over_many_draws(epsilon):
    measure, accuracy = noise_measure(epsilon)
    true = [0, 7, 120, 3_000] * 5_000
    noisy = measure(true)
    within = sum(abs(n - t) <= accuracy for n, t in zip(noisy, true, strict=True)) / len(true)
    assert within >= 0.945  # 20,000 draws: the stated 95 % less three standard errors


def test_switched_off_there_is_no_such_dataset_and_the_command_says_so(settings):
    settings.OPENDATA_DP_EPSILON = 0
    assert NAME not in [d.name for d in definitions()]
    with pytest.raises(CommandError, match=NAME):
        call_command("opendata", "regenerate", NAME)
