"""civic cases access grant|revoke|list: which API clients reach which case types' cases
through the case API (/api/cases/v1/), and in which workflow role.

civic cases decision-days [--case-type CODE]: count the KPIs' summary of decisions per kind of
case and day again from the decisions (after a bulk load or a restore; the services that decide
keep it up to date otherwise)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from civic.cases import services
from civic.cases.models import CaseApiAccess, CaseType
from civic.cases.services.decision_days import decision_days_rebuild
from civic.core.errors import CivicError
from civic.identity.models import ApiClient


class Command(BaseCommand):
    help = "Give API clients access to the cases of a case type (the case API), or take it away."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        access = sub.add_parser("access", help="API clients' access to cases")
        verbs = access.add_subparsers(dest="verb", required=True)
        grant = verbs.add_parser("grant", help="a client reaches a case type's cases, in a role")
        grant.add_argument("--client", required=True, help="the API client's id")
        grant.add_argument("--case-type", required=True, help="the case type's code")
        grant.add_argument(
            "--role", default="caseworker", help="the workflow role it acts in (caseworker)"
        )
        revoke = verbs.add_parser("revoke", help="take a client's access to a case type away")
        revoke.add_argument("--client", required=True)
        revoke.add_argument("--case-type", required=True)
        verbs.add_parser("list", help="every client's access")
        days = sub.add_parser(
            "decision-days", help="count the KPIs' decisions per kind of case and day again"
        )
        days.add_argument("--case-type", help="only this case type's (its code)")

    def handle(self, *args, action, verb=None, **options):
        if action == "decision-days":
            self._decision_days(options.get("case_type"))
            return
        if verb == "list":
            for access in CaseApiAccess.objects.select_related("api_client", "case_type").order_by(
                "api_client__client_id", "case_type__code"
            ):
                self.stdout.write(
                    f"{access.api_client.client_id}  {access.case_type.code}  as {access.role}"
                    f"  (since {access.granted_at:%Y-%m-%d}, by {access.granted_by})"
                )
            return
        client = ApiClient.objects.filter(client_id=options["client"]).first()
        case_type = CaseType.objects.filter(code=options["case_type"]).first()
        if client is None:
            raise CommandError(f"there is no API client {options['client']}")
        if case_type is None:
            raise CommandError(f"there is no case type {options['case_type']}")
        try:
            if verb == "grant":
                services.case_api_access_grant(
                    api_client=client, case_type=case_type, role=options["role"], granted_by="cli"
                )
                self.stdout.write(
                    f"{client.client_id} reaches the {case_type.code} cases as {options['role']}"
                )
            elif services.case_api_access_revoke(api_client=client, case_type=case_type):
                self.stdout.write(
                    f"{client.client_id} no longer reaches the {case_type.code} cases"
                )
            else:
                self.stdout.write(f"{client.client_id} had no access to {case_type.code} cases")
        except CivicError as error:
            raise CommandError(str(error)) from None

    def _decision_days(self, code: str | None) -> None:
        ids = None
        if code:
            ids = list(CaseType.objects.filter(code=code).values_list("pk", flat=True))
            if not ids:
                raise CommandError(f"there is no case type {code}")
        counted = decision_days_rebuild(
            case_type_ids=ids, progress=lambda n: self.stderr.write(f"{n:,} decisions counted")
        )
        self.stdout.write(
            f"{counted:,} decisions counted into the summary per kind of case and day"
        )
