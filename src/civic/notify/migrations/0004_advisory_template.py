"""The message template of public advisories (sensors), added to a database that has the
others: the same load as 0002, which makes only the templates that are missing."""

from importlib import import_module

from django.db import migrations

load = import_module("civic.notify.migrations.0002_templates").load


class Migration(migrations.Migration):
    dependencies = [("notify", "0003_message_texts")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
