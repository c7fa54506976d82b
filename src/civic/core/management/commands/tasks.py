"""civic tasks dead | replay [--all | ID ...]: background work that failed for good.

A task that kept failing after its retries (or that a worker refused) is kept in the
installation's dead-letter queue, `<CIVIC_INSTANCE>.dead`, with why it died. Operators look at
it here and send it back to the workers once the cause is mended; every task is idempotent.
"""

from __future__ import annotations

from amqp import Message
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from civic.core.background import DEAD_LETTER_SUFFIX, app, dead_letter_queue_declare


class Command(BaseCommand):
    help = "List background tasks that failed for good (dead letters), or send them back."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("dead", help="list the dead-lettered tasks")
        replay = sub.add_parser("replay", help="send dead-lettered tasks back to the workers")
        replay.add_argument("ids", nargs="*", help="task ids (from `civic tasks dead`)")
        replay.add_argument("--all", action="store_true", help="replay every dead letter")

    def handle(self, *args, action, **options):
        queue = settings.INSTANCE
        dead = queue + DEAD_LETTER_SUFFIX
        dead_letter_queue_declare(app, queue)
        with app.connection_for_write() as connection:
            channel = connection.default_channel
            # Take every dead letter off the queue (unacknowledged), act, then put back the rest.
            held = []
            while (message := channel.basic_get(dead, no_ack=False)) is not None:
                held.append(message)
            settled: set[int] = set()
            try:
                if action == "dead":
                    self._list(held)
                    return
                wanted = set(options["ids"])
                if not wanted and not options["all"]:
                    raise CommandError("name the task ids to replay, or give --all")
                for message in held:
                    headers = dict(message.headers or {})
                    if not (options["all"] or headers.get("id") in wanted):
                        continue
                    headers.pop("x-death", None)
                    properties = {
                        k: v for k, v in message.properties.items() if k != "application_headers"
                    }
                    channel.basic_publish(
                        Message(message.body, application_headers=headers, **properties),
                        exchange=queue,
                        routing_key=queue,
                    )
                    channel.basic_ack(message.delivery_tag)
                    settled.add(message.delivery_tag)
                self.stdout.write(f"sent {len(settled)} task(s) back to queue {queue!r}")
            finally:
                for message in held:
                    if message.delivery_tag not in settled:
                        channel.basic_reject(message.delivery_tag, requeue=True)

    def _list(self, held) -> None:
        if not held:
            self.stdout.write("no dead letters")
            return
        for message in held:
            headers = message.headers or {}
            death = (headers.get("x-death") or [{}])[0]
            args = headers.get("argsrepr") or "?"
            self.stdout.write(
                f"{headers.get('id')}  {headers.get('task')}  args={args}  "
                f"died={death.get('time', '?')}  reason={death.get('reason', '?')}  "
                f"times={death.get('count', 1)}"
            )
