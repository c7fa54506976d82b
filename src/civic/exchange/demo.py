"""The demo's processing activities, staff grants and partner system (used by `civic demo`).

A real deployment records its own purposes and grants in the back office; these show what
they look like for the synthetic municipality.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

from civic.exchange import services
from civic.exchange.models import Grant, LegalGround, Purpose
from civic.identity import services as identity
from civic.identity.models import ApiClient, Role
from civic.identity.selectors import agency_get

PURPOSES = (
    # code, controller, ground, basis, confidential, embargo, (en name, description), (nl name, description)
    (
        "show-own-data",
        "havenstad",
        LegalGround.PUBLIC_TASK,
        "Wet basisregistratie personen, art. 2.55",
        False,
        0,
        ("Show you your own data", "You looked at the data the registers hold about you."),
        (
            "Uw eigen gegevens tonen",
            "U hebt de gegevens bekeken die de registraties over u hebben.",
        ),
    ),
    (
        "child-benefit-assessment",
        "social-insurance-bank",
        LegalGround.LEGAL_OBLIGATION,
        "Algemene Kinderbijslagwet, art. 14",
        False,
        0,
        (
            "Decide on child benefit",
            "We check who your children are and where they live, to pay child benefit.",
        ),
        (
            "Kinderbijslag vaststellen",
            "Wij kijken wie uw kinderen zijn en waar zij wonen, om kinderbijslag te betalen.",
        ),
    ),
    (
        "benefit-fraud-investigation",
        "social-insurance-bank",
        LegalGround.LEGAL_OBLIGATION,
        "Algemene Kinderbijslagwet, art. 15a",
        True,
        180,
        ("Investigate a benefit claim", "We checked whether a benefit was paid correctly."),
        (
            "Onderzoek naar een uitkering",
            "Wij hebben gecontroleerd of een uitkering juist is betaald.",
        ),
    ),
    (
        "parking-permit",
        "havenstad",
        LegalGround.PUBLIC_TASK,
        "Parkeerverordening Havenstad, art. 3",
        False,
        0,
        (
            "Decide on a parking permit",
            "We check your address and your car to give a parking permit.",
        ),
        (
            "Parkeervergunning beoordelen",
            "Wij kijken naar uw adres en uw auto om een parkeervergunning te geven.",
        ),
    ),
)

PARTNER_GRANTS = {
    "child-benefit-assessment": (
        "persons",
        [
            "identity.given_names",
            "identity.family_name_prefix",
            "identity.family_name",
            "identity.birth_date",
            "residence.address",
            "parentage.child",
        ],
    ),
    "benefit-fraud-investigation": ("income", ["income.year", "income.source", "income.amount"]),
}
CASEWORKER_GRANTS = {
    "parking-permit": [
        ("persons", ["identity.given_names", "identity.family_name", "residence.address"]),
        ("vehicles", ["vehicle.fuel", "vehicle.emissions_class", "ownership.owner"]),
    ],
}
PARTNER_NAME = "Child benefit system (demo partner)"


def purposes_ensure() -> None:
    for code, controller, ground, basis, confidential, embargo, (name, text), (
        name_nl,
        text_nl,
    ) in PURPOSES:
        services.purpose_ensure(
            code=code,
            name=name,
            description=text,
            name_nl=name_nl,
            description_nl=text_nl,
            controller=agency_get(code=controller),
            legal_ground=ground,
            legal_basis=basis,
            confidential=confidential,
            embargo_days=embargo,
        )


def staff_grants_ensure() -> None:
    havenstad = agency_get(code="havenstad")
    for code, grants in CASEWORKER_GRANTS.items():
        purpose = Purpose.objects.get(code=code)
        for register, attributes in grants:
            if not Grant.objects.filter(
                purpose=purpose, register=register, staff_role=Role.CASEWORKER
            ).exists():
                services.grant_create(
                    purpose=purpose,
                    register=register,
                    attributes=attributes,
                    staff_role=Role.CASEWORKER,
                    agency=havenstad,
                )


def partner_ensure() -> tuple[str, str]:
    """The demo partner's client id and secret; the secret is kept in var/ so reruns can show it."""
    credentials_file = Path(settings.VAR_DIR) / "demo-partner.json"
    client = ApiClient.objects.filter(name=PARTNER_NAME, revoked_at__isnull=True).first()
    if client and credentials_file.exists():
        return client.client_id, json.loads(credentials_file.read_text())["secret"]
    if client:
        identity.api_client_revoke(client=client)
    client, secret = identity.api_client_create(
        agency=agency_get(code="social-insurance-bank"), name=PARTNER_NAME
    )
    for code, (register, attributes) in PARTNER_GRANTS.items():
        services.grant_create(
            purpose=Purpose.objects.get(code=code),
            register=register,
            attributes=attributes,
            api_client=client,
        )
    credentials_file.write_text(json.dumps({"client_id": client.client_id, "secret": secret}))
    credentials_file.chmod(0o600)
    return client.client_id, secret


def demo_exchange_ensure() -> tuple[str, str]:
    purposes_ensure()
    staff_grants_ensure()
    return partner_ensure()
