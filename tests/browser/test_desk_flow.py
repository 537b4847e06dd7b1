"""A day at the circulation desk in a real browser (Debian's Chromium driven by Playwright).

Sign in, register a patron, lend three items, see the fourth refused over the loan limit, renew, move to
another branch and check an item in there (it goes in transit home), place a hold on it, receive it at home
(it goes on the hold shelf), send the hold-ready notice from the patron's notice page and see it in the
notice log and the outbox, and lend the copy to the patron, which fills the hold.
Screenshots of every step go to test-artifacts/screenshots/desk-*.png (git-ignored) for people to look at.
"""

from __future__ import annotations

import importlib

import pytest
from django.core import mail

from tests.browser.chromium import chromium, shot, staff_sign_in

pytestmark = pytest.mark.browser

STAFF_PASSWORD = "desk browser password"
BARCODES = ["41000001", "41000002", "41000003", "41000004"]
TITLES = ["Dədə Qorqud kitabı", "Leyli və Məcnun", "Əli və Nino", "Koroğlu"]


@pytest.fixture
def library(transactional_db, live_server, settings):  # type: ignore[no-untyped-def]
    """Built before the browser starts: Playwright's event loop forbids database calls in this thread. The
    records are bare rows without MARC, so circulation does not reindex them."""
    settings.KITAB_INDEX_AFTER_CIRCULATION = False
    from django.apps import apps as django_apps

    from tests.circulation.factories import ItemFactory, RecordFactory, default_rule
    from tests.patrons.factories import BranchFactory, PatronCategoryFactory
    from tests.staff_accounts import staff_user

    staff_user("librarian", role="desk", password=STAFF_PASSWORD)
    # transactional tests flush what the migrations made: reinstall the notice templates (the hold-ready notice
    # is sent below)
    for migration in ("0002_default_templates", "0003_templates_six_languages"):
        importlib.import_module(f"kitab.notices.migrations.{migration}").add_templates(django_apps, None)
    central = BranchFactory(code="CENTRAL", name="Central library")
    BranchFactory(code="EAST", name="East branch")
    PatronCategoryFactory(code="ADULT", name="Adult")
    default_rule(max_loans=3)
    for barcode, title in zip(BARCODES, TITLES, strict=True):
        ItemFactory(barcode=barcode, home_branch=central, record=RecordFactory(title=title))
    return central


@pytest.fixture
def browser(library):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    shot(page, f"desk-{name}")


def _scan(page, barcode: str) -> None:  # type: ignore[no-untyped-def]
    field = page.locator("form[data-scan-form] input[name=barcode]")
    assert field.evaluate("element => element === document.activeElement")  # autofocus: the scanner types here
    field.fill(barcode)
    with page.expect_navigation():
        field.press("Enter")


def test_register_lend_refuse_renew_and_return_elsewhere(library, live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()

    staff_sign_in(page, live_server.url, "librarian", STAFF_PASSWORD)
    assert page.locator("#desk-branch option:checked").inner_text() == "Central library"
    _shot(page, "01-dashboard")

    # register a patron
    page.click(".staff-bar >> text=Patrons")
    page.click("text=Register a patron")
    page.fill("#id_card_number", "K-2025-0001")
    page.fill("#id_first_name", "Nigar")
    page.fill("#id_last_name", "Hüseynova")
    page.fill("#id_email", "nigar@example.org")
    page.fill("#id_phone", "+994 12 555 01 02")
    page.select_option("#id_category", label="Adult")
    page.select_option("#id_home_branch", label="Central library")
    _shot(page, "02-register")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url("**/staff/patrons/*/")
    assert "registered with card K-2025-0001" in page.locator(".flash").inner_text()
    _shot(page, "03-patron")

    # the desk: scan the card, lend three items
    page.click(".staff-bar >> text=Desk")
    page.fill("#desk-card", "K-2025-0001")
    page.press("#desk-card", "Enter")
    page.wait_for_url("**/staff/desk/patron/*/")
    for barcode in BARCODES[:3]:
        _scan(page, barcode)
        first = page.locator(".scan-result").first
        assert barcode in first.inner_text() and "Checked out." in first.inner_text()
    assert page.locator("table.loans tbody tr").count() == 3
    _shot(page, "04-three-loans")

    # the fourth is over the limit: the reason shows; the desk role may go past the loan limit, so the
    # Override button is offered (and not pressed)
    _scan(page, BARCODES[3])
    refused = page.locator(".scan-result").first
    assert "already has 3 of 3 loans allowed" in refused.inner_text()
    assert "scan-refused" in refused.get_attribute("class")
    assert refused.locator(".override-form button").inner_text() == "Override"
    assert page.locator("table.loans tbody tr").count() == 3
    _shot(page, "05-fourth-refused")

    # renew one loan
    with page.expect_navigation():
        page.locator("table.loans tbody tr", has_text=BARCODES[0]).get_by_role("button", name="Renew").click()
    renewed = page.locator(".scan-result").first
    assert BARCODES[0] in renewed.inner_text() and "Renewed." in renewed.inner_text()
    assert page.locator("table.loans tbody tr", has_text=BARCODES[0]).locator("td.num").inner_text() == "1"
    _shot(page, "06-renewed")

    # move to the East branch (the header picker submits on change) and check an item in there
    with page.expect_navigation():
        page.select_option("#desk-branch", label="East branch")
    assert "You are now working at East branch." in page.locator(".flash").inner_text()
    page.click(".staff-bar >> text=Check in")
    page.wait_for_url("**/staff/desk/checkin/")
    assert "East branch" in page.locator("h1").inner_text()
    _scan(page, BARCODES[1])
    result = page.locator(".scan-result").first
    assert "In transit to Central library." in result.inner_text()
    assert "Hüseynova" in result.inner_text()
    _shot(page, "07-checkin-transit")

    # a barcode nobody knows is a message, not an error page
    _scan(page, "NO-SUCH-BARCODE")
    assert "No item has the barcode NO-SUCH-BARCODE." in page.locator(".scan-result").first.inner_text()

    # the patron wants that title back: place a hold (pickup at Central) from the desk page
    page.goto(live_server.url + "/staff/desk/?card=K-2025-0001")
    page.fill("#id_barcode", BARCODES[1])
    page.select_option("#id_pickup_branch", label="Central library")
    with page.expect_navigation():
        page.click("form.hold-form button[type=submit]")
    assert "number 1 in the queue" in page.locator(".flash").inner_text()
    assert "Waiting" in page.locator("table.holds").inner_text()
    _shot(page, "08-hold-placed")

    page.click(".staff-bar >> text=Transits")
    page.wait_for_url("**/staff/desk/transits/")
    outgoing = page.locator("section", has=page.locator("#outgoing-title"))
    assert BARCODES[1] in outgoing.inner_text() and "Central library" in outgoing.inner_text()
    _shot(page, "09-transits-east")
    with page.expect_navigation():
        page.select_option("#transit-branch", label="Central library")
    incoming = page.locator("section", has=page.locator("#incoming-title"))
    assert BARCODES[1] in incoming.inner_text()
    with page.expect_navigation():
        incoming.get_by_role("button", name="Receive").click()
    assert f"Item {BARCODES[1]} received." in page.locator(".flash").inner_text()
    _shot(page, "10-received")

    # back at Central: the copy waits on the hold shelf for the patron; lending it fills the hold
    with page.expect_navigation():
        page.select_option("#desk-branch", label="Central library")
    page.goto(live_server.url + "/staff/desk/?card=K-2025-0001")
    assert page.locator("table.loans tbody tr").count() == 2
    assert "1 hold waiting on the hold shelf" in page.locator(".glance").inner_text()
    assert "Ready for pickup" in page.locator("table.holds").inner_text()
    _shot(page, "11-hold-ready")

    # the hold-ready notice: the patron's notice page lists it as due; Send now mails it (the scheduled
    # `kitab notices run` would too) and it shows in the patron's notice log and in the outbox
    page.click("nav.crumbs >> text=Notices")
    page.wait_for_url("**/staff/patrons/*/notices/")
    assert f'Your hold is ready: "{TITLES[1]}"' in page.locator(".notices-due").inner_text()
    with page.expect_navigation():
        page.locator(".notices-due").get_by_role("button", name="Send now").click()
    assert "Notices sent: 1" in page.locator(".flash").inner_text()
    logged = page.locator("table.notices tbody tr").first
    assert "Hold ready for pickup" in logged.inner_text() and "nigar@example.org" in logged.inner_text()
    logged.locator("summary").click()
    body = logged.locator(".notice-body").inner_text()
    assert "Nigar Hüseynova" in body and "Central library" in body
    sent = [m for m in mail.outbox if m.to == ["nigar@example.org"]]
    assert len(sent) == 1 and TITLES[1] in sent[0].subject and "Central library" in sent[0].body
    _shot(page, "12-hold-ready-notice")

    page.goto(live_server.url + "/staff/desk/?card=K-2025-0001")
    _scan(page, BARCODES[1])
    assert "Checked out." in page.locator(".scan-result").first.inner_text()
    assert page.locator("table.loans tbody tr").count() == 3
    assert page.locator("table.holds").count() == 0
    _shot(page, "13-hold-filled")

    # the rules tester explains why a fourth loan would be refused
    page.goto(live_server.url + "/staff/rules/test/?card=K-2025-0001&barcode=" + BARCODES[3])
    assert "No." in page.locator(".tester-decision").inner_text()
    assert "3 of 3 loans" in page.locator(".tester-decision").inner_text()
    assert "Default rule" in page.locator(".tester-result .why").inner_text()
    _shot(page, "14-rule-tester")
    context.close()
