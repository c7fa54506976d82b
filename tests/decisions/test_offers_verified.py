"""The independent recomputation (scripts/verify_offers.py) agrees with every offer of a
proactive run over the test jurisdiction, and catches an offer that is wrong."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest
from django.db import connection

from civic.decisions.models import Offer
from civic.decisions.proactive import run_start
from civic.decisions.proactive_runner import run_execute
from civic.registers.models import Person

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_offers.py"


def _checker():
    spec = importlib.util.spec_from_file_location("verify_offers", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("verify_offers", module)
    spec.loader.exec_module(module)
    return module


def _raw():
    connection.ensure_connection()
    return connection.connection


def test_the_checker_uses_nothing_of_civic_or_openfisca():
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"civic", "openfisca_civic", "openfisca_core", "numpy", "django"}


def test_every_offer_of_a_run_agrees_with_the_independent_recomputation(jurisdiction):
    run = run_execute(run_start(chunk_size=400))
    report = _checker().verify(_raw())
    assert report.run == run.pk
    assert report.offers == Offer.objects.filter(run=run).count() > 100
    assert {o for o in Offer.objects.values_list("rule_set", flat=True)} >= {
        "child_benefit",
        "health_care_allowance",
        "housing_allowance",
    }
    assert report.differences == []
    assert report.agreed == report.offers == report.expected


def test_the_checker_finds_a_wrong_amount_a_missing_offer_and_a_non_parent(jurisdiction):
    run_execute(run_start(chunk_size=400))
    offers = Offer.objects.order_by("pk")
    housing = offers.filter(rule_set="housing_allowance").first()
    Offer.objects.filter(pk=housing.pk).update(amount=housing.amount + 50)
    dropped = offers.filter(rule_set="health_care_allowance").first()
    dropped.delete()
    child = offers.filter(rule_set="child_benefit").first()
    stranger = Person.objects.exclude(personal_number=child.personal_number).exclude(
        children_rows__child__personal_number=child.beneficiary
    )[0]
    Offer.objects.filter(pk=child.pk).update(personal_number=stranger.personal_number)

    report = _checker().verify(_raw())
    kinds = {(d["kind"], d["resident"]) for d in report.differences}
    assert ("amount", housing.personal_number) in kinds
    assert ("missing", dropped.personal_number) in kinds
    assert ("child benefit to a non-parent", stranger.personal_number) in kinds
    # the parent who lost the offer to the stranger is missing it
    assert ("missing", child.personal_number) in kinds


def test_co_parents_whose_child_lives_elsewhere_are_one_benefit_unit():
    """What the recomputation found in the test jurisdiction: two adults at one address whose
    only shared child had moved out were judged as two singles (and one was offered income
    support on half the couple's income)."""
    import numpy as np

    from civic.decisions.units import benefit_units

    numbers = np.array(["100000001", "100000002", "100000003"])
    columns = {
        "household": np.array([0, 0, 1]),
        "personal_numbers": numbers,
        "adult": np.array([True, True, True]),
        "parents": np.array([["", ""], ["", ""], ["", ""]]),
        "partner": np.array(["", "", ""]),
    }
    apart = benefit_units(**columns)
    assert apart[0] != apart[1]
    together = benefit_units(
        **columns, co_parents={"100000001": ("100000002",), "100000002": ("100000001",)}
    )
    assert together[0] == together[1] != together[2]
