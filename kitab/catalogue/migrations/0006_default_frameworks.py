"""Store the shipped cataloguing frameworks (kitab.catalogue.frameworks.DEFAULTS)."""

from django.db import migrations


def install(apps, schema_editor):
    from kitab.catalogue.frameworks import install_defaults

    install_defaults(apps.get_model("catalogue", "Framework"), apps.get_model("catalogue", "FrameworkField"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_frameworks_drafts")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
