"""Authorities in a real browser: find a heading by a variant form, browse, open the authority, change its heading
in the text editor, follow the heading update's progress bar (a background thread; the page polls), and find the
works in the OPAC by the old form, now a variant.

Screenshots of each step go to test-artifacts/screenshots/authorities-*.png.
"""

from __future__ import annotations

import pytest

from tests.browser.chromium import chromium, shot, staff_sign_in
from tests.browser.test_accessibility import AXE, _violations

pytestmark = pytest.mark.browser

PASSWORD = "authorities browser password"


@pytest.fixture
def catalogue(transactional_db, live_server, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Built before the browser starts (Playwright's event loop forbids database calls in this thread)."""
    settings.KITAB_JOBS_SYNC = False  # the editor starts the job in a thread of the server, as in production

    from kitab.authorities import services
    from kitab.catalogue.services import import_file
    from kitab.core.actor import Actor
    from tests.authorities.records import iso, sample_authorities, sample_bibs
    from tests.staff_accounts import staff_user

    staff_user("cataloguer", role="cataloguer", password=PASSWORD)
    authorities = tmp_path / "authorities.mrc"
    authorities.write_bytes(b"".join(iso(*sample_authorities())))
    bibs = tmp_path / "bibs.mrc"
    bibs.write_bytes(b"".join(iso(*sample_bibs())))
    services.import_file(authorities, actor=Actor.system())
    import_file(bibs, actor=Actor.system())


@pytest.fixture
def browser(catalogue):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _accessible(page) -> None:  # type: ignore[no-untyped-def]
    """WCAG 2.1 AA by axe-core, when it is installed (npm ci)."""
    if AXE.exists():
        assert _violations(page) == []


def test_find_browse_edit_heading_and_follow_the_update(catalogue, live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    staff_sign_in(page, live_server.url, "cataloguer", PASSWORD)
    page.click("nav.staff-bar >> text=Authorities")
    page.wait_for_url("**/staff/authorities/")
    shot(page, "authorities-01-browse")
    _accessible(page)
    assert page.locator("table.authorities tbody tr").count() == 4

    page.fill("#id_q", "mehmed zilli")
    with page.expect_navigation():
        page.click("form.filter-form button[type=submit]")
    rows = page.locator("table.authorities tbody tr")
    assert rows.count() == 1 and "Çelebi, Evliya, 1611-1682" in rows.nth(0).inner_text()
    assert rows.nth(0).locator("td.num").inner_text() == "2"
    shot(page, "authorities-02-search-by-variant")

    with page.expect_navigation():
        rows.nth(0).locator("a").click()
    assert "Evliya Efendi, 1611-1682" in page.content() and "Seyahatname" in page.content()
    shot(page, "authorities-03-authority")
    _accessible(page)

    with page.expect_navigation():
        page.click(".page-head >> text=Edit")
    editor = page.locator("textarea#id_marc")
    text = editor.input_value()
    assert "100 1\\ $aÇelebi, Evliya,$d1611-1682" in text
    editor.fill(text.replace("$aÇelebi, Evliya,$d1611-1682", "$aEvliya Çelebi,$d1611-1682")
                + "400 1\\ $aÇelebi, Evliya,$d1611-1682\n")
    shot(page, "authorities-04-editor")
    _accessible(page)
    with page.expect_navigation():
        page.click("form.stacked-form button[type=submit]")
    # The heading update runs in a thread of the server; the page polls and reloads when it has finished.
    page.wait_for_selector(".job-progress[data-active='0']", timeout=30_000)
    assert page.locator("[data-field=status_label]").inner_text() == "finished"
    assert page.locator("[data-field=changed]").inner_text() == "2"
    assert page.locator("#job-bar").get_attribute("value") == "100"
    shot(page, "authorities-05-update-finished")
    _accessible(page)

    page.goto(live_server.url + "/search?q=" + "Evliya Efendi")
    assert "Seyahatname" in page.content() and "Книга путешествия" in page.content()
    page.goto(live_server.url + "/search?q=" + "Çelebi, Evliya")
    assert "Seyahatname" in page.content()
    shot(page, "authorities-06-opac-variant")


def test_authority_pages_in_persian_are_right_to_left(catalogue, live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fa-IR").new_page()
    staff_sign_in(page, live_server.url, "cataloguer", PASSWORD)
    page.goto(live_server.url + "/staff/authorities/?q=Bakou")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "مستندات" in page.locator("h1").inner_text()
    with page.expect_navigation():
        page.locator("table.authorities tbody a").first.click()
    assert "Baku (Azerbaijan)" in page.content()
    shot(page, "authorities-07-persian")
    _accessible(page)
