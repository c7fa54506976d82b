"""civic onetimecode NUMBER: issue a resident's login code and deliver it to their outbox."""

from django.core.management.base import BaseCommand, CommandError

from civic.core.errors import CivicError
from civic.identity import services
from civic.identity.login.contrib.onetimecode.delivery import code_deliver


class Command(BaseCommand):
    help = "Issue a one-time login code for a resident (development and support)."

    def add_arguments(self, parser):
        parser.add_argument("personal_number")

    def handle(self, *args, personal_number, **options):
        try:
            code = services.one_time_code_issue(personal_number=personal_number)
        except CivicError as error:
            raise CommandError(str(error)) from None
        code_deliver(personal_number=personal_number, code=code)
        self.stdout.write(code)
