"""The upload scanners by key, and the one CIVIC_UPLOAD_SCANNER chooses."""

from __future__ import annotations

from django.conf import settings

from civic.core.plugins import Registry
from civic.forms.scanning.base import Scanner

scanners: Registry[type[Scanner]] = Registry(
    "upload scanner",
    Scanner,
    contrib=["civic.forms.scanning.contrib.none", "civic.forms.scanning.contrib.clamd"],
)


def scanner_class() -> type[Scanner]:
    """The class CIVIC_UPLOAD_SCANNER names (a key, or a dotted path to a Scanner subclass);
    ImproperlyConfigured naming the known keys otherwise (checked when Civic starts)."""
    return scanners.resolve(settings.UPLOAD_SCANNER, setting="CIVIC_UPLOAD_SCANNER")


def scanner() -> Scanner:
    return scanner_class()()
