from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="proactiverun",
            name="error",
            field=models.TextField(blank=True, help_text="Why a stopped run stopped."),
        ),
        migrations.AlterField(
            model_name="proactiverun",
            name="status",
            field=models.CharField(
                choices=[
                    ("running", "running"),
                    ("done", "done"),
                    ("stopped", "stopped by an error; resumes when run again"),
                ],
                default="running",
                max_length=8,
            ),
        ),
    ]
