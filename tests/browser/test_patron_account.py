"""A new patron's path through their account in a real browser (Debian's Chromium driven by Playwright), in
several interface languages.

Register (the confirmation link is read from the mail outbox), confirm, sign in with the new card number, search
the catalogue and reserve a title for pickup at another branch, switch on the reading history, borrow a book at
the desk, renew it online, see it in the reading history and download the history as CSV; the loans page is also
photographed on a phone-sized screen. Steps are checked by ids and URLs, so the same walk runs in every language.
Screenshots go to test-artifacts/screenshots/patron-<language>-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.chromium import chromium, in_db_thread, shot, staff_sign_in
from tests.browser.test_accessibility import AXE, _violations
from tests.opac.catalogue import VERNACULAR_TURK_DILI, build_catalogue

pytestmark = pytest.mark.browser

PASSWORD = "kitabxana parolu 2025"
# Persian is written right to left; the others left to right.
LANGUAGES = ["en", "az", "fa"]
AXE_CHECKED = {"02-check-email", "03-confirm", "04-welcome", "06-reserve", "09-renew-all"}


@pytest.fixture
def library(transactional_db, live_server, tmp_path, settings):  # type: ignore[no-untyped-def]
    """Built before the browser starts: Playwright's event loop forbids database calls in this thread."""
    from tests.circulation.factories import default_rule
    from tests.patrons.factories import PatronCategoryFactory

    settings.KITAB_LOGIN_MAX_FAILURES = 50  # the walk signs in several times from one address
    default_rule()
    PatronCategoryFactory(code="ADULT", name="Adult")
    return build_catalogue(tmp_path / "catalogue")


@pytest.fixture
def browser(library):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _lend_a_book(card_number: str) -> str:
    """At the desk: lend the patron an available copy of some other title; returns its title."""
    from kitab.circulation import services as circulation
    from kitab.core import clock
    from kitab.core.actor import Actor
    from kitab.items.models import Item
    from kitab.patrons.models import Patron

    patron = Patron.objects.get(card_number=card_number)
    item = (Item.objects.filter(status=Item.Status.AVAILABLE, holding_branch__code="CENTRAL")
            .exclude(record__control_number=VERNACULAR_TURK_DILI).exclude(record__title="")
            .select_related("record").order_by("pk").first())
    circulation.checkout(item, patron, actor=Actor(channel="staff", username="desk", branch_code="CENTRAL"),
                         at=clock.now())
    return item.record.title


@pytest.mark.parametrize("language", LANGUAGES)
def test_register_reserve_renew_and_reading_history(library, live_server, browser, language, mailoutbox):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True)
    page = context.new_page()

    def snap(name: str) -> None:
        shot(page, f"patron-{language}-{name}")
        # pages the accessibility test does not visit (it covers the account pages themselves)
        if AXE.exists() and name in AXE_CHECKED:
            assert _violations(page) == [], name

    page.goto(live_server.url + "/")
    if language != "en":
        page.locator(f".language-switcher button[value={language}]").click()
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "fa" else "ltr")

    # the header leads to the sign-in page, and from there to registration
    page.locator("header .account a[href='/account/login/']").click()
    page.wait_for_url("**/account/login/")
    page.locator("a[href='/account/register/']").first.click()
    page.wait_for_url("**/account/register/")
    page.fill("#id_first_name", "Leyla")
    page.fill("#id_last_name", "Həsənova")
    page.fill("#id_email", f"leyla-{language}@example.org")
    page.fill("#id_phone", "+994 50 555 12 34")
    page.select_option("#id_branch", label="Central Library")
    assert page.locator("#id_language").input_value() == language  # the interface language is preselected
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    # the spam trap is out of sight (off screen, on the left or, right to left, on the right)
    assert page.locator("#id_website").evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.right <= 0 || r.left >= window.innerWidth; }")
    snap("01-register")
    page.wait_for_timeout(3200)  # people take a few seconds; forms sent faster are refused as robots
    page.locator("form[action='/account/register/'] button[type=submit]").click()
    page.wait_for_url("**/account/register/sent/")
    snap("02-check-email")

    # the confirmation link from the email
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/account/confirm/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    snap("03-confirm")
    page.locator("form[action*='/account/confirm/'] button[type=submit]").click()
    page.wait_for_load_state()
    card = page.locator("strong.ident").inner_text().strip()
    assert re.fullmatch(r"W\d{8}", card)
    assert card in mailoutbox[-1].body  # the welcome email gives the card number too
    snap("04-welcome")

    # sign in with the new card number
    page.goto(live_server.url + "/account/login/")
    page.fill("#id_identifier", card)
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/account/login/'] button[type=submit]").click()
    page.wait_for_url("**/account/")
    assert page.locator("html").get_attribute("lang") == language
    assert card in page.locator(".account-nav").inner_text()
    snap("05-summary")

    # search and reserve the Türk dili record for pickup at the other branch
    record_id = library.pk(VERNACULAR_TURK_DILI)
    page.fill("#header-q", "Türk dili")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/search/**")
    page.locator(f"a[href='/record/{record_id}/']").first.click()
    page.wait_for_url(f"**/record/{record_id}/")
    page.locator(f"a[href='/record/{record_id}/reserve/']").click()
    page.wait_for_url(f"**/record/{record_id}/reserve/")
    page.select_option("#id_pickup_branch", label="North District Branch")
    snap("06-reserve")
    page.locator(f"form[action='/record/{record_id}/reserve/'] button[type=submit]").click()
    page.wait_for_url("**/account/holds/")
    assert page.locator(".hold-list li").count() == 1
    assert "North District Branch" in page.locator(".hold-list").inner_text()
    assert page.locator(".flash, .messages").first.is_visible()
    snap("07-holds")

    # reading history: off by default, switched on here
    page.goto(live_server.url + "/account/history/")
    page.locator("form[action='/account/history/switch/'] button").click()
    page.wait_for_url("**/account/history/")
    assert page.locator("form[action='/account/history/switch/'] input[name=enabled]").input_value() == "0"

    # a loan made at the desk, renewed online
    title = in_db_thread(lambda: _lend_a_book(card))
    page.goto(live_server.url + "/account/loans/")
    assert page.locator(".account-table tbody tr").count() == 1
    page.locator("form[action$='/renew/'] button").first.click()
    page.wait_for_url("**/account/loans/")
    assert page.locator(".account-table tbody tr td").nth(2).inner_text().strip().startswith("1")  # one renewal
    snap("08-loans-renewed")
    page.locator("form[action='/account/loans/renew-all/'] button").click()
    page.wait_for_url("**/account/loans/")
    assert page.locator("#renew-results-title").is_visible()
    snap("09-renew-all")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                storage_state=context.storage_state())
    phone_page = phone.new_page()
    phone_page.goto(live_server.url + "/account/loans/")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(phone_page, f"patron-{language}-10-loans-phone")
    phone.close()

    page.goto(live_server.url + "/account/history/")
    assert title[:20] in page.locator(".account-table").inner_text()
    with page.expect_download() as download_info:
        page.locator("a[href='/account/history/reading-history.csv']").click()
    csv_text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert title[:20] in csv_text
    snap("11-history")

    # keyboard: on a fresh page the skip link comes first
    page.goto(live_server.url + "/account/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")

    page.locator("header form[action='/account/logout/'] button").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("header .account a[href='/account/login/']").count() == 1
    context.close()


def test_registration_waits_for_a_librarian_when_the_library_requires_it(library, live_server, browser, mailoutbox):
    """The staff side: with approval required, a confirmed registration waits in the staff queue; the librarian
    approves it and the patron can sign in with the card number from the welcome email."""
    from django.contrib.auth import get_user_model

    from kitab.accounts.models import RegistrationSettings

    in_db_thread(lambda: RegistrationSettings.objects.create(branch=None, requires_approval=True, card_prefix="NEW"))
    in_db_thread(lambda: get_user_model().objects.create_superuser("head", password="head librarian pw"))
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    page.goto(live_server.url + "/account/register/")
    page.fill("#id_last_name", "Quliyev")
    page.fill("#id_email", "q@example.org")
    page.select_option("#id_branch", label="North District Branch")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    page.wait_for_timeout(3200)
    page.locator("form[action='/account/register/'] button[type=submit]").click()
    page.wait_for_url("**/account/register/sent/")
    page.goto(re.search(r"https?://\S+/account/confirm/\S+/", mailoutbox[0].body).group(0))
    page.locator("form[action*='/account/confirm/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("strong.ident").count() == 0  # no card yet: a librarian has to approve
    shot(page, "patron-en-20-awaiting-approval")

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
    staff_sign_in(staff, live_server.url, "head", "head librarian pw")
    staff.locator("a[href='/staff/registrations/']").first.click()
    staff.wait_for_url("**/staff/registrations/")
    assert "Quliyev" in staff.locator(".registration-list").inner_text()
    if AXE.exists():
        assert _violations(staff) == []
    shot(staff, "patron-en-21-staff-queue")
    staff.locator(".registration-list form:has(input[value=approve]) button").click()
    staff.wait_for_url("**/staff/registrations/")
    card = re.search(r"NEW\d{8}", mailoutbox[-1].body).group(0)
    assert card in staff.locator("main").inner_text()
    shot(staff, "patron-en-22-staff-approved")

    page.goto(live_server.url + "/account/login/")
    page.fill("#id_identifier", "q@example.org")
    page.fill("#id_password", PASSWORD)
    page.locator("form[action='/account/login/'] button[type=submit]").click()
    page.wait_for_url("**/account/")
    assert card in page.locator(".account-nav").inner_text()
