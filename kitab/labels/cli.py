"""`kitab labels ...`: print barcode and spine labels from the command line (registered in kitab/cli.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
def labels() -> None:
    """Barcode and spine labels as PDF."""


@labels.command("layouts")
def labels_layouts() -> None:
    """List the label sheet layouts."""
    from kitab.cli import _django, _migrate

    _django()
    _migrate()
    from kitab.labels.models import LabelLayout

    for layout in LabelLayout.objects.all():
        click.echo(f"{layout.code}\t{layout.columns}×{layout.rows}\t{layout.label_width}×{layout.label_height} mm\t"
                   f"{layout.name}")


@labels.command("print")
@click.option("--range", "barcode_range", help="Barcode range, e.g. A0001-A0100 (copies need not exist yet).")
@click.option("--barcode", "barcodes", multiple=True, help="A copy's barcode (repeatable).")
@click.option("--list", "list_id", type=int, help="Every copy of the records on this staff record list (its id).")
@click.option("--layout", "layout_code", default="a4-3x8-70x37", show_default=True,
              help="Label sheet layout code (see `kitab labels layouts`).")
@click.option("--kind", type=click.Choice(["barcode", "spine", "both"]), default="barcode", show_default=True)
@click.option("--symbology", type=click.Choice(["code128", "code39"]), default="code128", show_default=True)
@click.option("--start-at", type=int, default=1, show_default=True,
              help="Position of the first label on the first sheet (to reuse a partly used sheet).")
@click.option("--library-name", help="Name printed on barcode labels (default: KITAB_LIBRARY_NAME).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
def labels_print(barcode_range: str | None, barcodes: tuple[str, ...], list_id: int | None, layout_code: str,
                 kind: str, symbology: str, start_at: int, library_name: str | None, output: Path) -> None:
    """Write labels for a barcode range, some copies or a record list to a PDF file."""
    from kitab.cli import _django, _migrate

    _django()
    _migrate()
    from kitab.core.errors import KitabError
    from kitab.items.selectors import copies_by_barcodes
    from kitab.labels import services
    from kitab.labels.models import LabelLayout

    layout = LabelLayout.objects.filter(code=layout_code).first()
    if layout is None:
        click.secho(f"unknown layout {layout_code!r}; see `kitab labels layouts`", fg="red", err=True)
        sys.exit(2)
    try:
        if barcode_range:
            chosen = services.labels_for_range(barcode_range)
        elif list_id is not None:
            from kitab.worklists.models import RecordList
            from kitab.worklists.selectors import copies_of_list

            if not RecordList.objects.filter(pk=list_id).exists():
                click.secho(f"no record list with id {list_id}", fg="red", err=True)
                sys.exit(2)
            chosen = services.labels_for_items(copies_of_list(list_id))
        else:
            items, missing = copies_by_barcodes([b.strip() for b in barcodes])
            if missing:
                click.secho(f"no copy has barcode {', '.join(missing)}", fg="red", err=True)
                sys.exit(2)
            chosen = services.labels_for_items(items)
        pdf = services.render_pdf(chosen, layout=layout, kind=kind, symbology=symbology, start_at=start_at,
                                  library_name=library_name)
    except KitabError as exc:
        click.secho(exc.message, fg="red", err=True)
        sys.exit(2)
    output.write_bytes(pdf)
    pages = services.page_count(len(chosen), layout=layout, kind=kind, start_at=start_at)
    click.echo(f"{len(chosen)} copies, {pages} sheet(s) written to {output}")
