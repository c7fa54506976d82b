# Offers are announced once a run, after its last chunk (decisions.proactive.offers_announce).

from django.db import migrations, models


def offers_made_before_were_told(apps, schema_editor):
    # Until now each chunk told its residents as it wrote their offers: every existing offer
    # has been announced, when it was made.
    Offer = apps.get_model("decisions", "Offer")
    Offer.objects.filter(told_at__isnull=True).update(told_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0005_reforms_saved_and_run"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="told_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(offers_made_before_were_told, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                condition=models.Q(("told_at__isnull", True)),
                fields=["run", "personal_number"],
                name="offer_untold",
            ),
        ),
    ]
