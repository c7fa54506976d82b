"""Dutch labels for the demo jurisdiction's country package (src/openfisca_civic/translations).

Residents read automated-decision explanations in Dutch, so every variable and every parameter
of the package needs a Dutch label, and the Dutch file names nothing the package does not have.
"""

from __future__ import annotations

import pytest
import yaml
from openfisca_core.parameters import Parameter

from openfisca_civic import CountryTaxBenefitSystem
from openfisca_civic.translations import TRANSLATIONS_DIR, labels


@pytest.fixture(scope="module")
def system() -> CountryTaxBenefitSystem:
    return CountryTaxBenefitSystem()


@pytest.fixture(scope="module")
def leaf_parameters(system: CountryTaxBenefitSystem) -> set[str]:
    return {p.name for p in system.parameters.get_descendants() if isinstance(p, Parameter)}


def test_every_variable_has_a_dutch_label(system: CountryTaxBenefitSystem) -> None:
    dutch = labels("nl")["variables"]
    missing = sorted(name for name in system.variables if not dutch.get(name, "").strip())
    assert not missing, f"variables without a Dutch label: {missing}"


def test_every_parameter_has_a_dutch_label(leaf_parameters: set[str]) -> None:
    dutch = labels("nl")["parameters"]
    assert leaf_parameters, "the package has no parameters"
    missing = sorted(name for name in leaf_parameters if not dutch.get(name, "").strip())
    assert not missing, f"parameters without a Dutch label: {missing}"


def test_no_dutch_label_names_something_that_does_not_exist(
    system: CountryTaxBenefitSystem, leaf_parameters: set[str]
) -> None:
    dutch = labels("nl")
    assert not sorted(set(dutch["variables"]) - set(system.variables))
    assert not sorted(set(dutch["parameters"]) - leaf_parameters)


def test_the_file_has_only_the_two_mappings_and_no_duplicate_keys() -> None:
    class _NoDuplicates(yaml.SafeLoader):
        pass

    def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
        keys = [loader.construct_object(key) for key, _ in node.value]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        assert not duplicates, f"keys given twice in nl.yaml: {duplicates}"
        return loader.construct_mapping(node)

    _NoDuplicates.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    text = (TRANSLATIONS_DIR / "nl.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_NoDuplicates)  # noqa: S506 - a SafeLoader subclass
    assert set(data) == {"variables", "parameters"}


def test_an_unknown_language_has_empty_labels() -> None:
    assert labels("xx") == {"variables": {}, "parameters": {}}
    assert labels("../nl") == {"variables": {}, "parameters": {}}


def test_a_regional_code_falls_back_to_the_language() -> None:
    assert labels("nl-NL") == labels("nl")
    assert labels("nl_nl") == labels("nl")


def test_labels_are_read_once_and_returned_as_copies() -> None:
    first = labels("nl")
    first["variables"]["age"] = "changed"
    assert labels("nl")["variables"]["age"] == "Leeftijd in hele jaren op 1 januari van het jaar"
