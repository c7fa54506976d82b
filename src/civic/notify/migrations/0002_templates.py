"""Every database starts with the message templates in notify/data/templates.json, so that
notifications work from the first migrate. Later changes to the file reach an existing
database through `civic notify templates` (staff edits are kept unless --overwrite)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "data" / "templates.json"


def load(apps, schema_editor):
    Template = apps.get_model("notify", "Template")
    for item in json.loads(DATA.read_text(encoding="utf-8")):
        Template.objects.get_or_create(
            code=item["code"],
            defaults={
                "subject": item["subject"],
                "body": item["body"],
                "description": item.get("description", ""),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
