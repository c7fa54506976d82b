"""The datasets defined in code, and what a definition is."""

from civic.opendata.datasets.base import JOB, Column, Context, Definition, Table
from civic.opendata.datasets.definitions import DEFINITIONS, definition_get, definitions

__all__ = [
    "DEFINITIONS",
    "JOB",
    "Column",
    "Context",
    "Definition",
    "Table",
    "definition_get",
    "definitions",
]
