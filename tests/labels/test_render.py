"""Label PDFs: the barcodes read back (rendered page decoded with zxing-cpp), the sheet geometry, refusals."""

from __future__ import annotations

import io

import pytest

from kitab.labels.callnumbers import spine_lines
from kitab.labels.errors import LabelError
from kitab.labels.models import LabelLayout
from kitab.labels.services import Label, labels_for_range, page_count, render_pdf, render_preview_png

zxingcpp = pytest.importorskip("zxingcpp")
pypdfium2 = pytest.importorskip("pypdfium2")


def pages(pdf: bytes, dpi: int = 300):  # type: ignore[no-untyped-def]
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72).to_pil() for i in range(len(document))]
    finally:
        document.close()


def decoded(image) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(text, format) of every barcode on the image, top to bottom, left to right."""
    found = zxingcpp.read_barcodes(image)
    found.sort(key=lambda b: (round(b.position.top_left.y / 50), b.position.top_left.x))
    return [(b.text, b.format.name) for b in found]


@pytest.fixture
def layout(db: None) -> LabelLayout:
    return LabelLayout.objects.get(code="a4-3x8-70x37")


def test_the_migration_ships_layouts_that_fit_a4(db):
    layouts = list(LabelLayout.objects.all())
    assert len(layouts) >= 3
    assert all(layout.problems() == [] for layout in layouts)


@pytest.mark.parametrize(("symbology", "format_name"), [("code128", "Code128"), ("code39", "Code39")])
def test_every_barcode_reads_back(layout, symbology, format_name):
    labels = [Label(barcode=f"KT{n:06d}", call_number="PL 314 .K5") for n in range(1, 6)]
    pdf = render_pdf(labels, layout=layout, symbology=symbology, library_name="Milli Kitabxana")
    [page] = pages(pdf)
    assert decoded(page) == [(f"KT{n:06d}", format_name) for n in range(1, 6)]


def test_small_spine_sheet_barcodes_still_read(db):
    layout = LabelLayout.objects.get(code="a4-5x13-38x21")
    labels = [Label(barcode=f"31000{n:03d}") for n in range(1, 66)]
    pdf = render_pdf(labels, layout=layout, library_name="Bakı")
    [page] = pages(pdf)
    assert [text for text, _format in decoded(page)] == [label.barcode for label in labels]


def test_labels_fill_sheets_from_the_start_position(layout):
    labels = [Label(barcode=f"A{n:04d}", call_number="891.7 Tol") for n in range(1, 31)]
    pdf = render_pdf(labels, layout=layout, start_at=20)  # 5 on the first sheet, 24 on the next, 1 after
    images = pages(pdf, dpi=200)
    assert len(images) == page_count(30, layout=layout, kind="barcode", start_at=20) == 3
    assert [t for t, _f in decoded(images[0])] == [f"A{n:04d}" for n in range(1, 6)]
    assert len(decoded(images[1])) == 24


def test_both_kinds_print_a_barcode_then_a_spine_label(layout):
    pdf = render_pdf([Label("B0001", "QA76.73.P98 L84 2020")], layout=layout, kind="both")
    [page] = pages(pdf)
    assert decoded(page) == [("B0001", "Code128")]
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    for line in ["QA76.73", ".P98", "L84", "2020"]:
        assert line in text


def test_preview_is_a_png_of_the_first_page(layout):
    png = render_preview_png(render_pdf([Label("C0001")], layout=layout, outlines=True))
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert abs(image.width / image.height - 210 / 297) < 0.01
    assert decoded(image.convert("L").resize((image.width * 3, image.height * 3))) == [("C0001", "Code128")]


def test_range_labels_carry_call_numbers_of_existing_copies(db):
    from tests.circulation.factories import ItemFactory

    ItemFactory(barcode="R0002", call_number="PL 314")
    assert labels_for_range("R0001-R0003") == [Label("R0001"), Label("R0002", "PL 314"), Label("R0003")]


@pytest.mark.parametrize(("labels", "options", "code"), [
    ([], {}, "nothing_to_print"),
    ([Label("")], {}, "no_barcode"),
    ([Label("abc1")], {"symbology": "code39"}, "barcode_not_encodable"),
    ([Label("A1")], {"start_at": 25}, "invalid_start"),
])
def test_refusals(layout, labels, options, code):
    with pytest.raises(LabelError) as excinfo:
        render_pdf(labels, layout=layout, **options)
    assert excinfo.value.code == code


def test_a_layout_off_the_page_is_refused(layout):
    layout.columns = 4
    with pytest.raises(LabelError) as excinfo:
        render_pdf([Label("A1")], layout=layout)
    assert excinfo.value.code == "layout_does_not_fit"
    assert "right edge" in excinfo.value.message


def test_spine_lines():
    assert spine_lines("PL 314 .K5 2004") == ["PL", "314", ".K5", "2004"]
    assert spine_lines("QA76.73.P98 L84") == ["QA76.73", ".P98", "L84"]
    assert spine_lines("891.7 Tol") == ["891.7", "Tol"]
    assert spine_lines("a b c d e f g h", max_lines=3) == ["a", "b", "c d e f g h"]
    assert spine_lines("") == []
