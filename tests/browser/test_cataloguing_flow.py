"""The record editor and duplicate merge in a real browser (Debian's Chromium driven by Playwright).

A cataloguer starts a book from its framework, fills the title and imprint, adds a field and a subfield with
the buttons and the keyboard, reorders them, saves, and finds the new title in the OPAC search at once; then
merges two records that share an ISBN, moving the copy onto the record kept.
Screenshots go to test-artifacts/screenshots/cataloguing-*.png (git-ignored).
"""

from __future__ import annotations

import pytest

from tests.browser.chromium import chromium, shot, staff_sign_in

pytestmark = pytest.mark.browser

PASSWORD = "cataloguing browser password"
TITLE = "Gəncə xalçaları"


@pytest.fixture
def library(transactional_db, live_server, settings):  # type: ignore[no-untyped-def]
    """Built before the browser starts (Playwright's event loop forbids database calls in its thread).
    Transactional tests flush what migrations stored, so the frameworks and the role are stored again."""

    from kitab.catalogue import editing, frameworks
    from kitab.catalogue.models import Framework, FrameworkField
    from kitab.core.actor import Actor
    from tests.catalogue.marcdata import book
    from tests.circulation.factories import ItemFactory
    from tests.patrons.factories import BranchFactory
    from tests.staff_accounts import staff_user

    frameworks.install_defaults(Framework, FrameworkField)
    staff_user("cataloguer", role="cataloguer", password=PASSWORD)
    main = BranchFactory(code="MAIN", name="Main library")
    actor = Actor(channel="staff", username="seed")
    first = editing.save_record(
        record=None,
        marc=book("Azərbaycan xalq dastanları", isbn="0-19-852663-6"),
        actor=actor,
        channel="editor",
    )
    second = editing.save_record(
        record=None,
        marc=book("Azərbaycan xalq dastanları.", isbn="9780198526636", author="Ergin, M."),
        actor=actor,
        channel="editor",
    )
    ItemFactory(record=second, home_branch=main, barcode="52000001")
    return {"first": first.pk, "second": second.pk}


@pytest.fixture
def browser(library):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _login(page, url: str) -> None:  # type: ignore[no-untyped-def]
    staff_sign_in(page, url, "cataloguer", PASSWORD)


def _field(page, tag: str):  # type: ignore[no-untyped-def]
    return page.locator(f'#marc-fields > li.mf[data-tag="{tag}"]').first


def test_create_a_record_in_the_marc_editor_and_find_it_in_the_opac(library, live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB").new_page()
    _login(page, live_server.url)
    page.click("nav.staff-bar a:has-text('Cataloguing')")
    page.click(".framework-buttons a:has-text('Book')")
    page.wait_for_url("**/staff/cataloguing/new/?framework=book")
    shot(page, "cataloguing-01-new-book")

    title = _field(page, "245")
    title.locator(".sf-value").first.fill(TITLE)
    imprint = _field(page, "264").locator(".sf-value")
    imprint.nth(0).fill("Bakı :")
    imprint.nth(1).fill("Elm,")
    imprint.nth(2).fill("2024")
    _field(page, "300").locator(".sf-value").first.fill("212 səhifə")
    page.locator(".fixed-field[data-fixed='008'] input[data-start='7']").fill("2024")
    page.locator(".fixed-field[data-fixed='008'] input[data-start='35']").fill("aze")

    # a new field from the tag box, then a second subfield with the keyboard, then reordered with the buttons
    page.fill("#new-tag", "650")
    page.click("button[data-act='field-new']")
    subject = _field(page, "650")
    subject.locator(".sf-value").first.fill("Xalçaçılıq")
    subject.locator(".sf-value").first.press("Control+Enter")
    assert subject.locator(".sf").count() == 2
    page.keyboard.type("z")  # focus moved to the new subfield's code
    subject.locator(".sf-value").nth(1).fill("Azərbaycan")
    subject.locator(".sf").nth(1).locator("[data-act='sf-up']").click()
    assert subject.locator(".sf-code").first.input_value() == "z"
    subject.locator(".sf").first.locator("[data-act='sf-down']").click()
    assert subject.locator(".sf-code").first.input_value() == "a"
    page.fill("#reason", "new acquisition")
    shot(page, "cataloguing-02-filled")

    # the guided form shows the same record, and switching back keeps it
    page.click("button[value='guided']")
    assert page.locator("#g-title").input_value() == TITLE
    assert "Xalçaçılıq -- Azərbaycan" in page.locator("#g-subjects").input_value()
    shot(page, "cataloguing-03-guided")
    page.click("button[value='marc']")
    assert _field(page, "650").locator(".sf-value").nth(1).input_value() == "Azərbaycan"

    page.click("button[data-save]")
    page.wait_for_url("**/staff/record/*/edit/**")
    assert "saved" in page.locator(".flash").inner_text()
    shot(page, "cataloguing-04-saved")

    # typed without the Azerbaijani letters, as many keyboards would: the folded form finds it
    page.goto(live_server.url + "/search/?q=xalcalari")
    assert TITLE in page.locator("main").inner_text()
    shot(page, "cataloguing-05-opac-search")


def test_merge_two_duplicates_side_by_side(library, live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB").new_page()
    _login(page, live_server.url)
    first, second = library["first"], library["second"]
    page.goto(f"{live_server.url}/staff/record/{first}/edit/")
    page.click(".page-head a:has-text('Find duplicates')")
    assert "same ISBN" in page.locator(".side-by-side").inner_text()
    shot(page, "cataloguing-06-duplicates")
    page.click(".candidate a:has-text('Compare and merge')")
    page.wait_for_url(f"**/staff/record/{first}/merge/{second}/")
    shot(page, "cataloguing-07-merge")
    page.check(f"input[name=survivor][value='{first}']")
    page.click("form.merge-form button[type=submit]")
    page.wait_for_url(f"**/staff/record/{first}/edit/")
    assert "1 copies" in page.locator(".flash").inner_text() or "1 cop" in page.locator(".flash").inner_text()
    shot(page, "cataloguing-08-merged")
    page.goto(f"{live_server.url}/staff/record/{first}/history/")
    assert "merge" in page.locator("table.history").inner_text()
    shot(page, "cataloguing-09-history")


def test_persian_interface_and_right_to_left_text_in_the_editor(library, live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-GB").new_page()
    _login(page, live_server.url)
    page.locator(".language-switcher button[value=fa]").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.goto(f"{live_server.url}/staff/record/{library['first']}/edit/")
    value = _field(page, "245").locator(".sf-value").first
    value.fill("دستان‌های خلق آذربایجان")
    assert value.get_attribute("dir") == "auto"
    page.click("button[data-save]")
    # the other record with the same ISBN is shown side by side first; this one describes another edition
    assert page.locator("#duplicates .candidate").count() == 1
    shot(page, "cataloguing-10-persian-duplicates")
    with page.expect_navigation():
        page.click("button[data-save]")
    page.wait_for_url(f"**/staff/record/{library['first']}/edit/**")
    assert page.locator(".flash .notice-success").count() == 1
    assert page.locator("#duplicates").count() == 0
    assert _field(page, "245").locator(".sf-value").first.input_value().startswith("دستان‌های خلق آذربایجان")
    shot(page, "cataloguing-11-persian-saved")
    page.click("button[value='guided']")
    assert page.locator("#g-title").input_value() == "دستان‌های خلق آذربایجان"
    shot(page, "cataloguing-12-persian-guided")
