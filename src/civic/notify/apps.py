from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "civic.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from civic.core.metrics import gauges_register
        from civic.notify.metrics import notify_gauges

        gauges_register(notify_gauges)
        # The one-time-code login (identity, below notify) sends codes to the address a resident
        # registered for messages; it may not import notify, so notify tells it how to look.
        from civic.identity.login.contrib.onetimecode.delivery import CONTACT_ADDRESS_LOOKUPS
        from civic.notify.selectors import contact_email

        if contact_email not in CONTACT_ADDRESS_LOOKUPS:
            CONTACT_ADDRESS_LOOKUPS.append(contact_email)
        # A typo in CIVIC_SMS_PROVIDER stops every process at start (`civic config check`
        # included), naming the providers Civic knows, rather than failing every text later.
        from civic.notify.sms.registry import provider_class

        provider_class()
