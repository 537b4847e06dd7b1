"""A default barcode pattern, so the copy wizard can generate barcodes on a fresh installation."""

from django.db import migrations


def create(apps, schema_editor):
    BarcodePattern = apps.get_model("items", "BarcodePattern")
    if not BarcodePattern.objects.exists():
        BarcodePattern.objects.create(code="branch-sequence", name="Branch code + 7 digits", prefix="",
                                      include_branch=True, width=7, check_digit="none", is_default=True)


class Migration(migrations.Migration):
    dependencies = [("items", "0002_copy_cataloguing")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
