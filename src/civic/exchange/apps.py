from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "civic.exchange"
    label = "exchange"
    verbose_name = _("Exchange")

    def ready(self) -> None:
        from civic.core.metrics import gauges_register
        from civic.exchange.metrics import exchange_gauges

        gauges_register(exchange_gauges)
        from civic.exchange.persons_port import ExchangePersons
        from civic.identity.persons import port_fill

        # Identity lies below the exchange and may not read the registers: it asks its
        # questions about the persons register through this port, answered by logged queries.
        port_fill(ExchangePersons())
        from civic.core.memo import bump_on_change
        from civic.exchange.models import Grant, ProcessingLimit, Purpose

        # The memo of purposes and grants the query path reads (query.py, authorisation.py),
        # and whether any objection or restriction is in force (processing_limits.py).
        bump_on_change(Purpose, Grant, ProcessingLimit)
