"""Three common A4 sheets, so labels print on a fresh installation (libraries add their own in the admin)."""

from django.db import migrations

from kitab.labels.defaults import create_default_layouts


def create(apps, schema_editor):
    create_default_layouts(apps.get_model("labels", "LabelLayout"))


class Migration(migrations.Migration):
    dependencies = [("labels", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
