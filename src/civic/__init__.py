"""Civic: an open-source digital-government platform.

One Django project; one app per capability (see docs/architecture.md).
"""

__version__ = "0.1.0"
