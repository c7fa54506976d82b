"""civic apiclient create|limits|revoke|list: partner systems' API credentials and limits."""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civic.core.errors import CivicError
from civic.identity import selectors, services
from civic.identity.models import ApiClient

DEFAULT = "default"


def _limit(text: str) -> int | str:
    """A limit on the command line: a whole number of at least 1, or ``default``."""
    if text == DEFAULT:
        return DEFAULT
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number of at least 1 or 'default'"
        )
    return value


def _or_none(value: int | str | None) -> int | None:
    return None if value in (None, DEFAULT) else int(value)


class Command(BaseCommand):
    help = (
        "Create, list or revoke API clients of an agency (secrets are shown once, stored "
        "hashed), and set how many subjects the exchange releases to one a minute and a day."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--agency", required=True, help="agency code, e.g. havenstad")
        create.add_argument("--name", required=True)
        limits = sub.add_parser(
            "limits",
            help="show or set a client's limits (subjects released a minute and a day)",
        )
        limits.add_argument("client_id")
        for command in (create, limits):
            command.add_argument(
                "--per-minute",
                type=_limit,
                help="subjects released a minute, or 'default' (CIVIC_EXCHANGE_SUBJECTS_PER_MINUTE)",
            )
            command.add_argument(
                "--per-day",
                type=_limit,
                help="subjects released a day, or 'default' (CIVIC_EXCHANGE_SUBJECTS_PER_DAY)",
            )
        revoke = sub.add_parser("revoke")
        revoke.add_argument("client_id")
        sub.add_parser("list")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(options)
        except CivicError as error:
            raise CommandError(str(error)) from None

    def _create(self, options):
        agency = selectors.agency_get(code=options["agency"])
        if agency is None:
            raise CommandError(f"There is no agency with code {options['agency']!r}.")
        client, secret = services.api_client_create(
            agency=agency,
            name=options["name"],
            subjects_per_minute=_or_none(options["per_minute"]),
            subjects_per_day=_or_none(options["per_day"]),
        )
        self.stdout.write(
            f"client id: {client.client_id}\nsecret:    {secret}\n(the secret is not stored; keep it now)"
        )
        self.stdout.write(self._limits_line(client))

    def _limits(self, options):
        client = self._client(options["client_id"])
        if options["per_minute"] is not None or options["per_day"] is not None:
            # An option not given keeps what the client has.
            per_minute = (
                client.subjects_per_minute
                if options["per_minute"] is None
                else _or_none(options["per_minute"])
            )
            per_day = (
                client.subjects_per_day
                if options["per_day"] is None
                else _or_none(options["per_day"])
            )
            services.api_client_limits_set(
                client=client, subjects_per_minute=per_minute, subjects_per_day=per_day
            )
        self.stdout.write(self._limits_line(client))

    def _revoke(self, options):
        client = self._client(options["client_id"])
        services.api_client_revoke(client=client)
        self.stdout.write(f"revoked {client.client_id}")

    def _list(self, options):
        for client in ApiClient.objects.select_related("agency").order_by("client_id"):
            state = "revoked" if client.revoked_at else "active"
            minute, day = self._limits_of(client)
            self.stdout.write(
                f"{client.client_id}\t{client.agency.code}\t{state}\t{client.name}"
                f"\t{minute} a minute\t{day} a day"
            )

    @staticmethod
    def _client(client_id: str) -> ApiClient:
        client = ApiClient.objects.filter(client_id=client_id).first()
        if client is None:
            raise CommandError(f"There is no API client {client_id!r}.")
        return client

    @staticmethod
    def _limits_of(client: ApiClient) -> tuple[str, str]:
        minute = client.subjects_per_minute or f"{settings.EXCHANGE_SUBJECTS_PER_MINUTE} (default)"
        day = client.subjects_per_day or f"{settings.EXCHANGE_SUBJECTS_PER_DAY} (default)"
        return str(minute), str(day)

    def _limits_line(self, client: ApiClient) -> str:
        minute, day = self._limits_of(client)
        return f"{client.client_id}: at most {minute} subjects a minute, {day} a day"
