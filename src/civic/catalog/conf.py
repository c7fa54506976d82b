"""Settings of the service catalogue and its finder.

Gathered by ``civic.settings``; imports nothing but ``core.config``.
"""

from __future__ import annotations

from civic.core.config import env

CATALOG_CONTACT_SERVICE = env(
    "CIVIC_CATALOG_CONTACT_SERVICE",
    default="contact-the-municipality",
    help="Code of the catalogue's service that tells residents how to reach a person (phone, "
    "e-mail, desk). The finder offers it with every answer, and with the life events when "
    "nothing fits. Empty, or a code the catalogue lacks: no such offer.",
    group="Catalogue",
)
CATALOG_SEMANTIC = env(
    "CIVIC_CATALOG_SEMANTIC",
    default=False,
    kind=bool,
    help="Let the finder also rank services with a small sentence-embedding model shipped "
    "in a package (`pip install civic[semantic]`: WordLlama, MIT, 16 MB, nothing "
    "downloaded), fused with its word matching. Off by default: it helps on the query sets "
    "written with the catalogue, not on the held-out residents' questions "
    "(docs/catalogue.md).",
    group="Catalogue",
)
