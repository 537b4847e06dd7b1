"""The copy wizard and label preview in a real browser (Debian's Chromium driven by Playwright).

A cataloguer opens a record, adds three copies with generated barcodes, finds them in the copy search, selects
them and opens the label page; the preview image shows the first sheet, and the PDF downloaded from the same
page decodes back to the three barcodes. Screenshots: test-artifacts/screenshots/copies-*.png.
"""

from __future__ import annotations

import pytest

from tests.browser.chromium import chromium, shot, staff_sign_in

pytestmark = pytest.mark.browser

PASSWORD = "catalogue browser password"


@pytest.fixture
def library(transactional_db, live_server, settings):  # type: ignore[no-untyped-def]
    settings.KITAB_INDEX_AFTER_CIRCULATION = False
    from django.contrib.auth import get_user_model

    from kitab.items.models import BarcodePattern
    from kitab.labels.defaults import create_default_layouts
    from kitab.labels.models import LabelLayout
    from kitab.marc.writer import to_iso2709
    from tests.circulation.factories import ItemTypeFactory, RecordFactory
    from tests.marc.builders import cf, df, make_record
    from tests.patrons.factories import BranchFactory

    create_default_layouts(LabelLayout)  # transactional tests flush what the migration made
    get_user_model().objects.create_user("cataloguer", password=PASSWORD, is_staff=True, is_superuser=True)
    BranchFactory(code="MAIN", name="Central library")
    ItemTypeFactory(code="BOOK", name="Book")
    BarcodePattern.objects.create(code="kt", name="KT + branch + 5 digits", prefix="KT", include_branch=True, width=5,
                                  is_default=True)
    raw = to_iso2709(make_record(cf("001", "wizard1"), df("245", "10", "a", "Kitabi Dədə Qorqud /",
                                                           "c", "tərtib edən H. Araslı.")))
    return RecordFactory(raw=raw, title="Kitabi Dədə Qorqud")


@pytest.fixture
def browser(library):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    shot(page, f"copies-{name}")


def test_add_copies_with_the_wizard_then_preview_and_print_labels(library, live_server, browser, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    pypdfium2 = pytest.importorskip("pypdfium2")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    staff_sign_in(page, live_server.url, "cataloguer", PASSWORD)

    # the record page offers "Add copies"
    page.goto(f"{live_server.url}/staff/record/{library.pk}/marc/")
    _shot(page, "01-record-page")
    page.click(".record-actions >> text=Add copies")
    page.wait_for_url("**/copies/add/")
    # generated barcodes is the default: the range and list fields are hidden until chosen
    assert page.locator("#id_count").is_visible()
    assert not page.locator("#id_barcode_range").is_visible()
    page.check("input[name=barcode_mode][value=range]")
    assert page.locator("#id_barcode_range").is_visible() and not page.locator("#id_count").is_visible()
    page.check("input[name=barcode_mode][value=pattern]")
    page.fill("#id_count", "3")
    page.select_option("#id_pattern", label="KT + branch + 5 digits")
    page.fill("#id_call_number", "PL 314 .K5 2004")
    page.fill("#id_location", "Reading room")
    page.select_option("#id_item_type", label="Book")
    page.fill("#id_price", "12,50")
    page.fill("#id_acquisition_source", "Gift of the author")
    _shot(page, "02-wizard")
    page.click("form[data-copy-wizard] button[type=submit]")
    page.wait_for_url("**/copies/?added=*")
    assert "3 copies added." in page.locator(".flash").inner_text()
    rows = page.locator("table.copies-table tbody tr")
    assert rows.count() == 3
    barcodes = sorted(rows.nth(i).locator("td.ident").first.inner_text() for i in range(3))
    assert barcodes == ["KTMAIN00001", "KTMAIN00002", "KTMAIN00003"]
    _shot(page, "03-added")

    # the copy search finds them; select all and print labels
    page.click(".staff-bar >> text=Copies")
    page.fill("#id_barcode", "KT*")
    page.click("form.filter-form button[type=submit]")
    page.wait_for_url("**/staff/copies/?*")
    assert page.locator("table.copies-table tbody tr").count() == 3
    page.check("[data-check-all]")
    page.select_option("#copy-action", value="labels")
    _shot(page, "04-search-selected")
    page.click(".batch-actions button[type=submit]")
    page.wait_for_url("**/staff/labels/?item=*")
    assert "3 selected copies." in page.locator(".selection").inner_text()
    page.select_option("#id_kind", value="both")
    page.click("text=Update preview")
    page.wait_for_load_state("networkidle")
    preview = page.locator("[data-label-preview]")
    assert preview.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "6 label(s) on 1 sheet" in page.locator(".label-preview").inner_text()
    _shot(page, "05-label-preview")

    # the PDF downloaded from the page decodes back to the three barcodes
    with page.expect_download() as download_info:
        page.click("text=Download PDF")
    path = tmp_path / "labels.pdf"
    download_info.value.save_as(path)
    document = pypdfium2.PdfDocument(path.read_bytes())
    image = document[0].render(scale=300 / 72).to_pil()
    found = sorted(barcode.text for barcode in zxingcpp.read_barcodes(image))
    document.close()
    assert found == barcodes
    context.close()
