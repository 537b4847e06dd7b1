"""A patron's path through the OPAC in a real browser (Debian's Chromium driven by Playwright).

Search from the home page, narrow by a facet, open a record with Arabic-script 880 fields, switch the interface to
Azerbaijani. Screenshots of every step go to test-artifacts/screenshots/ (git-ignored) for people to look at.
"""

from __future__ import annotations

import pytest

from tests.browser.chromium import chromium, shot, staff_sign_in
from tests.opac.catalogue import VERNACULAR_TURK_DILI, build_catalogue

pytestmark = pytest.mark.browser

STAFF_PASSWORD = "browser test password"


@pytest.fixture
def catalogue(transactional_db, live_server, tmp_path):  # type: ignore[no-untyped-def]
    """Built before the browser starts: Playwright's event loop forbids database calls in this thread."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("librarian", password=STAFF_PASSWORD, is_staff=True)
    return build_catalogue(tmp_path / "catalogue")


@pytest.fixture
def browser(catalogue):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    shot(page, name)


def test_search_facet_record_and_language_switch(catalogue, live_server, browser):
    record_id = catalogue.pk(VERNACULAR_TURK_DILI)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()

    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    _shot(page, "01-home-en")

    page.fill("#home-q", "Azerbaijani")
    page.press("#home-q", "Enter")
    page.wait_for_url("**/search/?q=Azerbaijani")
    assert "records found" in page.locator(".result-count").inner_text()
    all_hits = page.locator(".hit").count()
    assert all_hits > 0
    _shot(page, "02-results-en")

    language_facet = page.locator("section.facet", has=page.locator("#facet-language"))
    language_facet.get_by_role("link", name="Azerbaijani").first.click()
    page.wait_for_url("**language=aze**")
    chip = page.locator("a.chip")
    assert chip.count() == 1 and "Azerbaijani" in chip.inner_text()
    assert page.locator("section.facet li.selected").count() == 1
    _shot(page, "03-results-facet-en")

    page.get_by_role("link", name="Türk dīlī", exact=False).first.click()
    page.wait_for_url(f"**/record/{record_id}/")
    romanised = page.locator("h1#record-title")
    vernacular = page.locator(".vern-title")
    assert "Türk dīlī" in romanised.inner_text()
    assert vernacular.get_attribute("dir") == "rtl"
    assert "تورک ديلى" in vernacular.inner_text()
    # beside, not below, on a wide screen: the two boxes share a row
    rom_box, vern_box = romanised.bounding_box(), vernacular.bounding_box()
    assert rom_box and vern_box and vern_box["x"] > rom_box["x"] + rom_box["width"] - 1
    assert page.locator("table.copies-table tbody tr").count() == 2
    assert page.locator("text=MARC view").count() == 0  # anonymous patrons see no MARC
    _shot(page, "04-record-en")

    page.locator(".language-switcher button[value=az]").click()
    page.wait_for_url(f"**/record/{record_id}/")
    assert page.locator("html").get_attribute("lang") == "az"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("#copies-title").inner_text() == "Nüsxələr"
    assert page.locator(".language-switcher button[aria-current=true]").inner_text() == "Azərbaycanca"
    _shot(page, "05-record-az")

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Kitabxana kataloqunda kitab və digər materialları tapın"
    _shot(page, "06-home-az")

    page.goto(live_server.url + "/search/?q=Azerbaijani")
    assert "yazı tapıldı" in page.locator(".result-count").inner_text()
    _shot(page, "07-results-az")

    # staff: sign in, see the MARC view on the record page, open the staff MARC page
    staff_sign_in(page, live_server.url, "librarian", STAFF_PASSWORD)
    assert page.locator("h1").inner_text() == "İdarə paneli"
    _shot(page, "08-staff-dashboard-az")
    page.goto(f"{live_server.url}/record/{record_id}/")
    page.locator("details.marc-details summary").click()
    assert page.locator("details.marc-details tr.marc-880").count() >= 3
    page.goto(f"{live_server.url}/staff/record/{record_id}/marc/")
    rtl_values = page.locator("tr.marc-880 bdi[dir=rtl]")
    assert rtl_values.count() >= 3
    _shot(page, "09-staff-marc-az")
    page.locator(".language-switcher button[value=en]").click()
    page.wait_for_url(f"**/staff/record/{record_id}/marc/")
    assert page.locator("h1").inner_text() == "MARC record"
    _shot(page, "10-staff-marc-en")
    context.close()

    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/record/{record_id}/")
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "11-record-phone-en")
    page.goto(f"{live_server.url}/search/?q=Azerbaijani")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "12-results-phone-en")
    phone.close()
