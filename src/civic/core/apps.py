from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civic.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Every Django process (web, CLI, worker) makes Civic's Celery app the current one, so
        # that `.delay()` goes to the configured broker and queue, never Celery's default app.
        import civic.core.background  # noqa: F401
        from civic.core import events, outbox
        from civic.core.fieldkeys.registry import source_check

        # Every app's events.py declares its handlers (events.handler); importing them here,
        # once every model is loaded, registers them all before the first event.
        events.autodiscover()
        events.recorder_set(outbox.handlings_record)
        # A typo in CIVIC_FIELD_KEYS stops every process at start, naming the known sources.
        source_check()
