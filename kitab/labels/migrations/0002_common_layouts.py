"""Three common A4 sheets, so labels print on a fresh installation (libraries add their own in the admin)."""

from decimal import Decimal as D

from django.db import migrations

LAYOUTS = [
    # code, name, columns, rows, label w, h, margin top, left, gap between columns, between rows
    ("a4-3x8-70x37", "A4, 3 × 8 labels, 70 × 37 mm", 3, 8, D("70"), D("37"), D("0.5"), D("0"), D("0"), D("0")),
    ("a4-3x7-63x38", "A4, 3 × 7 labels, 63.5 × 38.1 mm", 3, 7, D("63.5"), D("38.1"), D("15.15"), D("7.2"),
     D("2.5"), D("0")),
    ("a4-5x13-38x21", "A4, 5 × 13 labels, 38.1 × 21.2 mm (spine)", 5, 13, D("38.1"), D("21.2"), D("10.7"),
     D("4.75"), D("2.5"), D("0")),
]


def create(apps, schema_editor):
    LabelLayout = apps.get_model("labels", "LabelLayout")
    for code, name, columns, rows, width, height, top, left, gap_h, gap_v in LAYOUTS:
        LabelLayout.objects.get_or_create(code=code, defaults={
            "name": name, "columns": columns, "rows": rows, "label_width": width, "label_height": height,
            "margin_top": top, "margin_left": left, "gap_horizontal": gap_h, "gap_vertical": gap_v,
            "padding": D("1.5") if height < 25 else D("2.5"),
        })


class Migration(migrations.Migration):
    dependencies = [("labels", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
