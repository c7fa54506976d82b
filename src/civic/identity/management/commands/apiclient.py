"""civic apiclient create|revoke|list: partner systems' API credentials."""

from django.core.management.base import BaseCommand, CommandError

from civic.identity import selectors, services
from civic.identity.models import ApiClient


class Command(BaseCommand):
    help = (
        "Create, list or revoke API clients of an agency (secrets are shown once, stored hashed)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--agency", required=True, help="agency code, e.g. havenstad")
        create.add_argument("--name", required=True)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("client_id")
        sub.add_parser("list")

    def handle(self, *args, action, **options):
        if action == "create":
            agency = selectors.agency_get(code=options["agency"])
            if agency is None:
                raise CommandError(f"There is no agency with code {options['agency']!r}.")
            client, secret = services.api_client_create(agency=agency, name=options["name"])
            self.stdout.write(
                f"client id: {client.client_id}\nsecret:    {secret}\n(the secret is not stored; keep it now)"
            )
        elif action == "revoke":
            client = ApiClient.objects.filter(client_id=options["client_id"]).first()
            if client is None:
                raise CommandError(f"There is no API client {options['client_id']!r}.")
            services.api_client_revoke(client=client)
            self.stdout.write(f"revoked {client.client_id}")
        else:
            for client in ApiClient.objects.select_related("agency").order_by("client_id"):
                state = "revoked" if client.revoked_at else "active"
                self.stdout.write(
                    f"{client.client_id}\t{client.agency.code}\t{state}\t{client.name}"
                )
