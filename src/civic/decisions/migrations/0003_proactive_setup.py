from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0002_proactive_run_stopped"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProactiveSetup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "agency",
                    models.CharField(help_text="Agency code of the proactive job.", max_length=40),
                ),
                (
                    "purpose",
                    models.CharField(
                        help_text="Purpose code of every proactive read.", max_length=80
                    ),
                ),
                ("updated_at", models.DateTimeField()),
            ],
        ),
    ]
