"""Administrators belong to their agency: a staff member of an agency is no superuser of the
whole installation (their roles give them the back office within their agency). Only the
installation's operator, a superuser without an agency, sees every agency."""

from django.db import migrations


def agency_staff_are_not_superusers(apps, schema_editor):
    User = apps.get_model("identity", "User")
    User.objects.filter(agency__isnull=False, is_superuser=True).update(is_superuser=False)


class Migration(migrations.Migration):
    dependencies = [("identity", "0004_login_limits")]

    operations = [
        migrations.RunPython(agency_staff_are_not_superusers, migrations.RunPython.noop),
    ]
