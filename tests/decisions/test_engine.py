"""Loading the rule package: a package whose YAML test fails is refused, naming the test."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from civic.decisions.engine import RulePackageRefused, package_load, rule_system

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "openfisca_civic"


@pytest.fixture
def broken_package(tmp_path):
    """A copy of the country package under another name with one expected value wrong."""
    copy = tmp_path / "openfisca_broken"
    shutil.copytree(PACKAGE, copy)
    test = copy / "tests" / "dog_tax.yaml"
    text = test.read_text()
    first = text.index("- name:")
    name = text[first + len("- name:") :].splitlines()[0].strip().strip("'\"")
    test.write_text(text.replace("dog_tax_amount: ", "dog_tax_amount: 9999 # ", 1))
    sys.path.insert(0, str(tmp_path))
    yield name
    sys.path.remove(str(tmp_path))
    for module in [m for m in sys.modules if m.startswith("openfisca_broken")]:
        del sys.modules[module]


def test_the_demo_package_loads_with_every_yaml_test_passing():
    system = rule_system()
    assert "child_benefit_amount" in system.variables


def test_a_package_failing_a_yaml_test_is_refused_with_the_test_named(broken_package):
    with pytest.raises(RulePackageRefused) as refused:
        package_load("openfisca_broken")
    message = str(refused.value)
    assert "dog_tax.yaml" in message and "dog_tax_amount" in message
    assert broken_package in message


def test_a_package_that_does_not_import_is_refused():
    with pytest.raises(RulePackageRefused, match="does not load"):
        package_load("openfisca_no_such_package")
