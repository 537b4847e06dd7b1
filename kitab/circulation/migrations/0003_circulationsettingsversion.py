"""The settings cache token (kitab.circulation.cache), with its one row."""

import secrets

from django.db import migrations, models


def create_token(apps, schema_editor):  # type: ignore[no-untyped-def]
    version = apps.get_model("circulation", "CirculationSettingsVersion")
    version.objects.get_or_create(pk=1, defaults={"token": secrets.randbits(62)})


class Migration(migrations.Migration):
    dependencies = [("circulation", "0002_default_rule")]

    operations = [
        migrations.CreateModel(
            name="CirculationSettingsVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(create_token, migrations.RunPython.noop),
    ]
