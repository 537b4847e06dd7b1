"""Barcode and spine labels as PDF on a label sheet layout, and a PNG preview of a page.

What is printed comes from the copies (or from a barcode range, for labels printed before the books arrive).
A barcode label carries the library name, the bars (Code 128 or Code 39, with quiet zones) and the barcode in
digits; a spine label carries the call number split over lines (kitab.labels.callnumbers). Errors are
LabelError with the codes in kitab/labels/errors.py.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.barcode.code39 import Standard39
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kitab.items.models import Item

from .callnumbers import spine_lines
from .errors import LabelError
from .models import LabelLayout

KINDS = ("barcode", "spine", "both")
SYMBOLOGIES = ("code128", "code39")
MAX_LABELS = 5000
CODE39_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-. $/+%")
QUIET_MODULES = 10  # the quiet zone both symbologies ask for on each side, in narrow bars
# Fonts with Azerbaijani, Turkish, Turkic Cyrillic and Tajik letters (fonts-dejavu-core); Helvetica only covers
# Western European text, so it is the last resort.
FONT_FILES = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
              Path("/usr/share/fonts/dejavu/DejaVuSans.ttf")]
_font_name: str | None = None


@dataclass(frozen=True, slots=True)
class Label:
    barcode: str
    call_number: str = ""


def _font() -> str:
    global _font_name
    if _font_name is None:
        _font_name = "Helvetica"
        for path in FONT_FILES:
            if path.exists():
                pdfmetrics.registerFont(TTFont("KitabSans", str(path)))
                _font_name = "KitabSans"
                break
    return _font_name


def labels_for_items(items: Iterable[Item]) -> list[Label]:
    return [Label(barcode=item.barcode or "", call_number=item.call_number) for item in items]


def labels_for_range(text: str) -> list[Label]:
    """Labels for every barcode of a range such as A0001-A0100; a barcode already on a copy gets its call number.
    Raises ItemError range_invalid, range_reversed, range_too_long."""
    from kitab.items.selectors import copies_by_barcodes
    from kitab.items.services import barcodes_in_range

    barcodes = barcodes_in_range(text, limit=MAX_LABELS)
    items, _missing = copies_by_barcodes(barcodes)
    call_numbers = {item.barcode: item.call_number for item in items}
    return [Label(barcode=b, call_number=call_numbers.get(b, "")) for b in barcodes]


def _check(labels: Sequence[Label], *, layout: LabelLayout, kind: str, symbology: str, start_at: int) -> None:
    if kind not in KINDS or symbology not in SYMBOLOGIES:
        raise ValueError(f"unknown label kind or symbology: {kind}, {symbology}")
    problems = layout.problems()
    if problems:
        raise LabelError("layout_does_not_fit", " ".join(problems))
    if not labels:
        raise LabelError("nothing_to_print", _("Nothing to print: choose copies or a barcode range."))
    if len(labels) > MAX_LABELS:
        raise LabelError("too_many_labels", _("Print at most %(limit)d labels at once.") % {"limit": MAX_LABELS})
    if not 1 <= start_at <= layout.per_sheet:
        raise LabelError("invalid_start", _("Start at a position from 1 to %(count)d on the first sheet.")
                         % {"count": layout.per_sheet})
    if kind in ("barcode", "both"):
        missing = sum(1 for label in labels if not label.barcode)
        if missing:
            raise LabelError("no_barcode", ngettext(
                "%(count)d of the chosen copies has no barcode; give it one first.",
                "%(count)d of the chosen copies have no barcode; give them one first.", missing,
            ) % {"count": missing})
        if symbology == "code39":
            bad = [label.barcode for label in labels if not set(label.barcode) <= CODE39_CHARS]
            if bad:
                raise LabelError("barcode_not_encodable", _(
                    "Code 39 holds only capital letters, digits and - . $ / + %%: %(barcodes)s. Choose Code 128.")
                    % {"barcodes": ", ".join(bad[:5])})


def render_pdf(labels: Sequence[Label], *, layout: LabelLayout, kind: str = "barcode", symbology: str = "code128",
               library_name: str | None = None, start_at: int = 1, outlines: bool = False) -> bytes:
    """The labels as a PDF, filling the sheets row by row from position `start_at` (1 = top left) so a sheet
    that was partly used can be fed again. kind: barcode, spine, or both (a barcode label then the spine label
    of each copy). `outlines` draws the label edges (for previews). Raises LabelError layout_does_not_fit,
    nothing_to_print, too_many_labels, invalid_start, no_barcode, barcode_not_encodable."""
    _check(labels, layout=layout, kind=kind, symbology=symbology, start_at=start_at)
    name = settings.KITAB_LIBRARY_NAME if library_name is None else library_name
    page_w, page_h = float(layout.page_width) * mm, float(layout.page_height) * mm
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_w, page_h), pageCompression=1)
    canvas.setTitle(_("Labels"))
    canvas.setCreator("Kitab")
    jobs = [(label, part) for label in labels
            for part in (("barcode", "spine") if kind == "both" else (kind,))]
    position = start_at - 1
    for label, part in jobs:
        if position == layout.per_sheet:
            canvas.showPage()
            position = 0
        x, y, w, h = _cell(layout, position, page_h)
        if outlines:
            canvas.setStrokeGray(0.75)
            canvas.setLineWidth(0.3)
            canvas.roundRect(x, y, w, h, 1.5 * mm)
        pad = float(layout.padding) * mm
        if part == "barcode":
            _barcode_label(canvas, label, symbology, name, x + pad, y + pad, w - 2 * pad, h - 2 * pad)
        else:
            _spine_label(canvas, label, x + pad, y + pad, w - 2 * pad, h - 2 * pad)
        position += 1
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cell(layout: LabelLayout, position: int, page_h: float) -> tuple[float, float, float, float]:
    """The label at `position` (row by row from the top left) as x, y (bottom left, PDF points), width, height."""
    row, column = divmod(position, layout.columns)
    w, h = float(layout.label_width) * mm, float(layout.label_height) * mm
    x = (float(layout.margin_left) + column * float(layout.label_width + layout.gap_horizontal)) * mm
    top = (float(layout.margin_top) + row * float(layout.label_height + layout.gap_vertical)) * mm
    return x, page_h - top - h, w, h


def _fit_size(text: str, font: str, width: float, size: float, smallest: float = 4.0) -> float:
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _barcode_label(canvas: Canvas, label: Label, symbology: str, library_name: str, x: float, y: float, w: float,
                   h: float) -> None:
    font = _font()
    text_size = min(8.0, h * 0.16)
    name_size = _fit_size(library_name, font, w, text_size) if library_name else 0.0
    bars_h = h - name_size * 1.6 - text_size * 1.3
    if library_name:
        canvas.setFont(font, name_size)
        canvas.drawCentredString(x + w / 2, y + h - name_size, library_name)
    symbol = _symbol(label.barcode, symbology, width=w, height=bars_h)
    symbol.drawOn(canvas, x + (w - symbol.width) / 2, y + text_size * 1.3)
    canvas.setFont(font, _fit_size(label.barcode, font, w, text_size))
    canvas.drawCentredString(x + w / 2, y + text_size * 0.2, label.barcode)


def _symbol(value: str, symbology: str, *, width: float, height: float) -> Code128 | Standard39:
    """Bars as wide as the label allows: the narrow bar width is chosen so bars and quiet zones fill `width`."""
    def make(bar_width: float) -> Code128 | Standard39:
        quiet = {"quiet": True, "lquiet": QUIET_MODULES * bar_width, "rquiet": QUIET_MODULES * bar_width}
        if symbology == "code39":
            return Standard39(value, barWidth=bar_width, barHeight=height, checksum=0, stop=1, **quiet)
        return Code128(value, barWidth=bar_width, barHeight=height, humanReadable=False, **quiet)

    unit = make(1.0)
    return make(min(width / unit.width, 0.5 * mm))  # wider than 0.5 mm only makes the label harder to scan


def _spine_label(canvas: Canvas, label: Label, x: float, y: float, w: float, h: float) -> None:
    font = _font()
    lines = spine_lines(label.call_number) or [label.barcode]
    size = min(14.0, h / (len(lines) * 1.15))
    size = min(_fit_size(line, font, w, size) for line in lines)
    canvas.setFont(font, size)
    block = len(lines) * size * 1.15
    top = y + (h + block) / 2 - size
    for number, line in enumerate(lines):
        canvas.drawCentredString(x + w / 2, top - number * size * 1.15, line)


def render_preview_png(pdf: bytes, *, page: int = 0, dpi: int = 96) -> bytes:
    """One page of a label PDF as a PNG (what the staff preview shows)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[min(page, len(document) - 1)].render(scale=dpi / 72)
        out = io.BytesIO()
        bitmap.to_pil().save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        document.close()


def page_count(labels: int, *, layout: LabelLayout, kind: str, start_at: int = 1) -> int:
    total = labels * (2 if kind == "both" else 1) + start_at - 1
    return max(1, -(-total // layout.per_sheet))


