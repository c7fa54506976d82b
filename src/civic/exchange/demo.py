"""What `civic demo` and the demo builders need from the exchange: the demo's partner system (an
API client of the Social Insurance Bank whose secret the demo can show again on every start; its
grants are in src/civic/setup/data/havenstad/demo-partner.yaml), and the synthetic jurisdiction
of the base registers, which only the exchange may reach: generating it, and picking demo
residents from it. Synthetic people, no purpose: these never run in production."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from civic.identity import services as identity
from civic.identity.models import ApiClient
from civic.identity.selectors import agency_get
from civic.registers import selectors as registers
from civic.registers import services as register_services

PARTNER_NAME = "Child benefit system (demo partner)"
PARTNER_AGENCY = "social-insurance-bank"


def partner_ensure() -> tuple[str, str]:
    """The demo partner's client id and secret; the secret is kept in var/ so reruns can show it."""
    credentials_file = Path(settings.VAR_DIR) / "demo-partner.json"
    client = ApiClient.objects.filter(name=PARTNER_NAME, revoked_at__isnull=True).first()
    if client and credentials_file.exists():
        return client.client_id, json.loads(credentials_file.read_text())["secret"]
    if client:
        identity.api_client_revoke(client=client)
    client, secret = identity.api_client_create(
        agency=agency_get(code=PARTNER_AGENCY), name=PARTNER_NAME
    )
    credentials_file.write_text(json.dumps({"client_id": client.client_id, "secret": secret}))
    credentials_file.chmod(0o600)
    return client.client_id, secret


def jurisdiction_exists() -> bool:
    return registers.jurisdiction_get() is not None


def jurisdiction_generate(*, residents: int, seed: int, progress=None) -> None:
    """Generate the synthetic jurisdiction (registers.services.jurisdiction_generate)."""
    register_services.jurisdiction_generate(residents=residents, seed=seed, progress=progress)


def demo_resident() -> str | None:
    """The demo's own resident: the personal number the demo logs in with."""
    return registers.demo_resident_personal_number()


def demo_move_target(*, personal_number: str) -> str | None:
    """An address the demo resident could move to (for the demo's register-change example)."""
    return registers.demo_move_target(personal_number=personal_number)


def residents_sample(*, count: int, seed: int = 1) -> list[str]:
    """``count`` residents picked with ``seed``, for the demo's history of applications."""
    return registers.residents_sample(count=count, seed=seed)
