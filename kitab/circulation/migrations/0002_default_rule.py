"""Every installation starts with the default circulation rule (any branch, any category, any item type)."""

from django.db import migrations


def create_default_rule(apps, schema_editor):  # type: ignore[no-untyped-def]
    rule = apps.get_model("circulation", "CirculationRule")
    if not rule.objects.filter(branch=None, patron_category=None, item_type=None).exists():
        rule.objects.create(loan_period=14, loan_unit="days", max_loans=10, renewals_allowed=2, holds_allowed=True,
                            max_holds=5)


class Migration(migrations.Migration):
    dependencies = [("circulation", "0001_initial")]

    operations = [migrations.RunPython(create_default_rule, migrations.RunPython.noop)]
