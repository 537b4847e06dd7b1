"""Staged import in a real browser: upload a file, read the preview, change the rules, run the import (a
background thread; the page polls its progress), read the report, undo the whole batch.

Screenshots of each step go to test-artifacts/screenshots/import-*.png.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.chromium import chromium, shot, staff_sign_in

pytestmark = pytest.mark.browser

PASSWORD = "import browser password"


@pytest.fixture
def catalogue(transactional_db, live_server, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Built before the browser starts (Playwright's event loop forbids database calls in this thread): three
    local records, a cataloguer, and the file to import (one update, two additions, one broken record)."""
    settings.KITAB_IMPORT_JOBS = "thread"
    settings.KITAB_HOME = tmp_path

    from kitab.catalogue.services import import_file
    from kitab.core.actor import Actor
    from kitab.marc.writer import to_iso2709
    from kitab.search import services as search_services
    from tests.catalogue.marcdata import bib, field
    from tests.imports.conftest import with_copy
    from tests.staff_accounts import staff_user

    staff_user("cataloguer", role="cataloguer", password=PASSWORD)
    local = tmp_path / "local.mrc"
    local.write_bytes(b"".join(to_iso2709(r) for r in [
        with_copy(bib("Dədə Qorqud kitabı", control="A1", isbn="9789952000016",
                      extra=[field("590", "a", "Local note")]), "B-0001"),
        bib("Leyli və Məcnun", control="A2", author="Füzuli"),
        bib("Koroğlu", control="A3", author=None, isbn="9789952000023"),
    ]))
    import_file(local, actor=Actor.system())
    search_services.reindex()
    incoming = tmp_path / "vendor-records.mrc"
    incoming.write_bytes(b"".join([
        to_iso2709(bib("Dədə Qorqud kitabı: tam mətn", control="A1", isbn="9789952000016")),
        to_iso2709(with_copy(bib("Əsli və Kərəm", control="N1", author=None), "B-9001")),
        to_iso2709(bib("Koroğlu", control="N2", author=None, isbn="9789952000023")),  # same ISBN as A3
        b"00042nam  2200037   4500garbage\x1e\x1d",
    ]))
    return incoming


@pytest.fixture
def browser(catalogue):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def test_stage_preview_run_report_and_undo(catalogue, live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    staff_sign_in(page, live_server.url, "cataloguer", PASSWORD)
    page.click("nav.staff-bar >> text=Import and export")
    page.wait_for_url("**/staff/batches/")
    page.set_input_files("#id_upload", str(catalogue))
    shot(page, "import-01-stage")
    with page.expect_navigation():
        page.click("form[data-stage-form] button[type=submit]")

    # preview: one update on 001, two new records (one a possible duplicate by ISBN), one rejected
    rows = page.locator("table.preview tbody tr")
    assert rows.count() == 4
    assert "Update" in rows.nth(0).inner_text() and "which is replaced" in rows.nth(0).inner_text()
    assert "New" in rows.nth(1).inner_text()
    assert "same ISBN" in rows.nth(2).inner_text()
    assert "Rejected" in rows.nth(3).inner_text()
    shot(page, "import-02-preview")

    # merge instead of replace: the preview says so
    page.check("input[name=on_match][value=merge]")
    with page.expect_navigation():
        page.click("[data-apply-options]")
    assert "fields merged into it" in page.locator("table.preview tbody tr").nth(0).inner_text()

    with page.expect_navigation():
        page.click("[data-run-batch]")
    # the job runs in a thread of the server; the page polls and reloads when it is done
    page.wait_for_selector("[data-undo-batch]", timeout=30_000)
    assert page.locator("[data-batch-status]").inner_text() == "finished"
    assert page.locator('[data-count="added"]').inner_text() == "2"
    assert page.locator('[data-count="updated"]').inner_text() == "1"
    assert page.locator('[data-count="rejected"]').inner_text() == "1"
    report = page.locator("table.report tbody").inner_text()
    assert "Əsli və Kərəm" in report and "Dədə Qorqud kitabı: tam mətn" in report
    shot(page, "import-03-report")

    page.click(".report-filter a[href='?action=rejected']")
    page.wait_for_url(re.compile(r".*action=rejected"))
    assert page.locator("table.report tbody tr").count() == 1
    shot(page, "import-04-rejected")

    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("[data-undo-batch]")
    assert "Batch undone. Records deleted: 2; records restored: 1." in page.locator(".flash").inner_text()
    assert page.locator("[data-batch-status]").inner_text() == "undone"
    shot(page, "import-05-undone")

    # the same report in Persian, right to left
    with page.expect_navigation():
        page.click("button[name=language][value=fa]")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("[data-batch-status]").inner_text() != "undone"  # translated
    shot(page, "import-07-undone-fa")
    with page.expect_navigation():
        page.click("button[name=language][value=en]")

    page.goto(live_server.url + "/search?q=Qorqud")
    assert "tam mətn" not in page.content()
    page.goto(live_server.url + "/staff/batches/export/")
    shot(page, "import-06-export")
