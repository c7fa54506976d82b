"""The demo's partner system (used by `civic demo`): an API client of the Social Insurance
Bank whose secret the demo can show again on every start. Its grants are in the demo
jurisdiction's set-up (src/civic/setup/data/havenstad/demo-partner.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from civic.identity import services as identity
from civic.identity.models import ApiClient
from civic.identity.selectors import agency_get

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
