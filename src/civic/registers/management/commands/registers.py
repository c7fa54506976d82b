"""civic registers move | birth | death: record a change in the persons register, as the
registrar's own system would, and publish its register event (org.civic.persons.*) to the
exchange's subscribers once it commits.

In the demo this is how a partner sees its webhook called: subscribe, then move someone.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from civic.core import clock
from civic.core.errors import CivicError
from civic.registers import changes


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Record a move, birth or death in the persons register and publish its event."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        move = sub.add_parser("move", help="a person moves to another registered address")
        move.add_argument("--person", required=True, help="personal number")
        move.add_argument("--address", required=True, help="address identifier (16 digits)")
        move.add_argument("--on", type=_date, help="date of the move (default: today)")
        birth = sub.add_parser("birth", help="a child is born, at the mother's address")
        birth.add_argument("--mother", required=True, help="the mother's personal number")
        birth.add_argument("--father", help="the father's personal number, if known")
        birth.add_argument("--given-names", required=True)
        birth.add_argument("--sex", choices=["F", "M", "X"], required=True)
        birth.add_argument("--on", type=_date, help="date of birth (default: today)")
        death = sub.add_parser("death", help="a person died")
        death.add_argument("--person", required=True, help="personal number")
        death.add_argument("--on", type=_date, help="date of death (default: today)")

    def handle(self, *args, action, **options):
        on = options["on"] or clock.today()
        try:
            with transaction.atomic():
                if action == "move":
                    event = changes.person_move(
                        personal_number=options["person"], address=options["address"], moved_on=on
                    )
                elif action == "birth":
                    event = changes.person_birth(
                        mother=options["mother"],
                        father=options["father"],
                        given_names=options["given_names"],
                        sex=options["sex"],
                        born_on=on,
                    )
                else:
                    event = changes.person_death(personal_number=options["person"], died_on=on)
        except CivicError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"recorded; event {event.type} {event.id} published to subscribers")
