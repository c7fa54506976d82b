"""civic catalog load: the catalogue's content from its data files (agencies, life events,
topics, services, navigators)."""

from django.core.management.base import BaseCommand, CommandError

from civic.catalog.services import catalogue_load
from civic.core.errors import CivicError


class Command(BaseCommand):
    help = "Load the service catalogue (services, life events, navigators) from its data files."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])

    def handle(self, *args, action, **options):
        try:
            counts = catalogue_load()
        except CivicError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{counts['services']} services, {counts['life_events']} life events, "
            f"{counts['navigators']} navigators"
        )
