"""The demo-history forecast benchmark's page: one row per kind of case, saying whether it
beats seasonal naive and when its 80 % intervals fall outside 75–85 %."""

from __future__ import annotations

from benchmarks.insights.forecast_demo import render


def _kind(mase: float, naive: float, coverage_80: float) -> dict:
    return {
        "cases": 1_234,
        "seconds": 5.0,
        "origins": 4,
        "first_origin": "2026-08-15",
        "calibration_days": 189,
        "series": {"first_date": "2025-12-06", "last_date": "2026-12-05", "days": 365},
        "mase": mase,
        "mase_seasonal_naive": naive,
        "mase_exponential_smoothing": 0.8,
        "coverage_80": coverage_80,
        "coverage_95": 0.93,
    }


def test_each_kind_of_case_says_whether_it_beats_seasonal_naive_and_misses_coverage():
    figures = {
        "cases": 3_160,
        "libraries": "LightGBM x",
        "load_at_end": "1.00 / 1.00 / 1.00",
        "kinds": {"dog-tax": _kind(0.7, 1.0, 0.78), "parking-permit": _kind(1.2, 1.1, 0.72)},
    }
    machine = {"cpu": "CPU", "memory": "1 GiB", "date": "2026-12-06 10:57 UTC"}
    page = render(figures, machine, {"residents": 5_000, "origins": 4, "horizon": 28})

    assert "| dog tax | 1,234 | 0.700 | 1.000 | 0.800 | yes | 78.0% | 93.0% | 4 | 5 s |" in page
    assert "| parking permit | 1,234 | 1.200 | 1.100 | 0.800 | ✗ no | 72.0% (✗ outside" in page
    assert "Coverage over 112 forecast days" in page
