"""The label sheets shipped with Kitab (created by a migration; tests that flush the database recreate them)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

LAYOUTS = [
    # code, name, columns, rows, label w, h, margin top, left, gap between columns, between rows (mm)
    ("a4-3x8-70x37", "A4, 3 × 8 labels, 70 × 37 mm", 3, 8, D(70), D(37), D("0.5"), D(0), D(0), D(0)),
    ("a4-3x7-63x38", "A4, 3 × 7 labels, 63.5 × 38.1 mm", 3, 7, D("63.5"), D("38.1"), D("15.15"), D("7.2"),
     D("2.5"), D(0)),
    ("a4-5x13-38x21", "A4, 5 × 13 labels, 38.1 × 21.2 mm (spine)", 5, 13, D("38.1"), D("21.2"), D("10.7"),
     D("4.75"), D("2.5"), D(0)),
]


def create_default_layouts(model: Any) -> None:
    """Create the shipped layouts that are missing (`model`: LabelLayout, or the migration's historical one)."""
    for code, name, columns, rows, width, height, top, left, gap_h, gap_v in LAYOUTS:
        model.objects.get_or_create(code=code, defaults={
            "name": name, "columns": columns, "rows": rows, "label_width": width, "label_height": height,
            "margin_top": top, "margin_left": left, "gap_horizontal": gap_h, "gap_vertical": gap_v,
            "padding": D("1.5") if height < 25 else D("2.5"),
        })
