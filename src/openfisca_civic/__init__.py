"""The law of the demo jurisdiction Havenstad as an OpenFisca country package.

Laid out like OpenFisca's country template: ``entities.py``, formulas in ``variables/``,
parameters as YAML in ``parameters/`` and YAML tests in ``tests/``. Civic loads the package named
by ``CIVIC_RULES_PACKAGE`` (this one by default) and builds ``CountryTaxBenefitSystem()``.
"""

import importlib.metadata
from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from openfisca_civic import entities

PACKAGE_DIR = Path(__file__).resolve().parent
PARAMETERS_DIR = PACKAGE_DIR / "parameters"
VARIABLES_DIR = PACKAGE_DIR / "variables"
TESTS_DIR = PACKAGE_DIR / "tests"

__all__ = ["PARAMETERS_DIR", "TESTS_DIR", "VARIABLES_DIR", "CountryTaxBenefitSystem"]


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """Havenstad's rules: the persons and households, every variable and every parameter."""

    def __init__(self) -> None:
        super().__init__(entities.entities)
        self.add_variables_from_directory(str(VARIABLES_DIR))
        self.load_parameters(str(PARAMETERS_DIR))

    def get_package_metadata(self) -> dict[str, str]:
        """The package ships inside Civic's distribution, so its metadata is Civic's."""
        if self.baseline:
            return self.baseline.get_package_metadata()
        try:
            version = importlib.metadata.version("civic")
        except importlib.metadata.PackageNotFoundError:
            version = "0.0.0"
        return {
            "name": "openfisca_civic",
            "version": version,
            "repository_url": "",
            "location": str(PACKAGE_DIR.parent),
        }
