"""civic onetimecode NUMBER: issue a resident's login code and deliver it to their outbox."""

from django.core.management.base import BaseCommand, CommandError

from civic.core.errors import CivicError
from civic.core.numbers import personal_number_clean
from civic.identity import services
from civic.identity.login.contrib.onetimecode.delivery import code_deliver, deliveries_wait
from civic.identity.persons import person_is_registered


class Command(BaseCommand):
    help = "Issue a one-time login code for a resident (development and support)."

    def add_arguments(self, parser):
        parser.add_argument("personal_number")

    def handle(self, *args, personal_number, **options):
        try:
            # Cleaned here too, so that "1234.56.782" reaches the same outbox as "123456782".
            number = personal_number_clean(personal_number)
            if not person_is_registered(personal_number=number):
                raise CommandError(f"{number} is not a living person in the persons register.")
            code = services.one_time_code_issue(personal_number=number)
        except CivicError as error:
            raise CommandError(str(error)) from None
        code_deliver(personal_number=number, code=code, registered=True)
        deliveries_wait()
        self.stdout.write(code)
