"""The privacy-store benchmark's summary of alternating clear/sealed rounds: what the page
reports as field encryption's cost must follow from the rounds, and one disturbed pair must
not move the median."""

from __future__ import annotations

import pytest
from benchmarks.privacy_store.encryption import summary


def _round(rate: float, cpu_ms: float, server_ms: float, queries: int = 100) -> dict:
    return {
        "queries": queries,
        "wall_s": queries / rate,
        "rate": rate,
        "cpu_ms_per_query": cpu_ms,
        "server_cpu_ms_per_query": server_ms,
        "nationality_seen": True,
    }


def test_cost_is_the_share_of_the_clear_rate_lost_and_one_noisy_pair_does_not_move_it():
    steady = [
        {"load": 8.0, "clear": _round(100, 1.5, 0.5), "sealed": _round(95, 1.6, 0.5)}
        for _ in range(4)
    ]
    noisy = {"load": 15.0, "clear": _round(30, 4.0, 1.0), "sealed": _round(200, 1.0, 0.4)}
    figures = summary([*steady, noisy])

    assert figures["cost"]["median"] == pytest.approx(0.05)
    assert figures["cost"]["min"] < 0  # the disturbed pair stays visible in the spread
    assert figures["cpu_cost"]["median"] == pytest.approx(1 - 2.0 / 2.1)
    assert figures["rounds"] == 5
    assert figures["load"]["max"] == 15.0
    # Pooled: all queries of a kind over all their time, not an average of the rates.
    clear_queries, clear_wall = 500, 4 * 1.0 + 100 / 30
    assert figures["pooled"]["rate"]["clear"] == pytest.approx(clear_queries / clear_wall)


def test_a_single_pair_is_summarised_without_quartiles_failing():
    figures = summary([{"load": 1.0, "clear": _round(50, 2, 1), "sealed": _round(50, 2, 1)}])
    assert figures["cost"]["median"] == 0
    assert figures["cost"]["q1"] == figures["cost"]["q3"] == 0
