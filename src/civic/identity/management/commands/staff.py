"""civic staff totp|reset-second-factor|join-team: staff accounts from the command line.

``totp USERNAME`` prints a code a demo account (one whose factor `civic demo` made, with the
seed its banner prints) may log in with; any other account, and any production installation,
is refused. ``reset-second-factor USERNAME`` is the operator's way back in when nobody else
can reset their factor in the back office: it needs the server, as `civic createsuperuser` does.
``join-team USERNAME TEAM`` makes a staff member one of a team of their agency (the *Privacy*
team sees the data-subject requests besides the data protection officer).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civic.core.errors import CivicError
from civic.identity import selectors, services
from civic.identity.models import User


class Command(BaseCommand):
    help = "Staff accounts: a demo account's current code, a second factor's reset, a team."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        totp = sub.add_parser("totp", help="print a demo account's current authenticator code")
        totp.add_argument("username")
        reset = sub.add_parser(
            "reset-second-factor",
            help="remove an account's second factor: it sets up its app again at its next login",
        )
        reset.add_argument("username")
        join = sub.add_parser(
            "join-team", help="make a staff member one of a team of their agency (e.g. Privacy)"
        )
        join.add_argument("username")
        join.add_argument("team")

    def handle(self, *args, action, username, **options):
        if action == "totp":
            self._totp(username)
        elif action == "join-team":
            self._join(username, options["team"])
        else:
            self._reset(username)

    def _join(self, username: str, team: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        try:
            services.staff_team_join(user=user, team=team)
        except CivicError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{username} is one of the team {team.strip()!r} of {user.agency}")

    def _totp(self, username: str) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "civic staff totp shows demo accounts' codes; it refuses to run with "
                "CIVIC_ENV=production."
            )
        found = selectors.second_factor_demo_code(username=username)
        if found is None:
            raise CommandError(
                f"{username!r} has no second factor made by `civic demo`; only demo accounts' "
                "codes are shown."
            )
        code, starts, ends = found
        if starts:
            self.stderr.write(f"(the code after the one just used: it works in {starts} s)")
        self.stderr.write(f"(valid for {ends} s)")
        self.stdout.write(code)

    def _reset(self, username: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if services.second_factor_reset(user=user, by=None):
            self.stdout.write(f"reset: {username} sets up an authenticator app at their next login")
        else:
            self.stdout.write(f"{username} had no second factor")
