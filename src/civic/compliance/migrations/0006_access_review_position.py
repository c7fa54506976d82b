from django.db import migrations, models


def positions_from_ids(apps, schema_editor):
    """A pass made before positions were kept resumes after the highest position among the
    entries it looked at (ids up to its last one)."""
    AccessReviewRun = apps.get_model("compliance", "AccessReviewRun")
    AccessLogEntry = apps.get_model("exchange", "AccessLogEntry")
    last = AccessReviewRun.objects.order_by("-pk").first()
    if last is None:
        return
    seen = AccessLogEntry.objects.filter(pk__lte=last.last_entry, position__isnull=False)
    highest = seen.aggregate(models.Max("position"))["position__max"]
    last.last_position = -1 if highest is None else highest
    last.save(update_fields=["last_position"])


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0005_subject_request_objection_restriction"),
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="accessreviewrun",
            name="last_position",
            field=models.BigIntegerField(
                help_text="The last access-log position looked at: the next pass starts after it",
                null=True,
            ),
        ),
        migrations.RunPython(positions_from_ids, migrations.RunPython.noop),
    ]
