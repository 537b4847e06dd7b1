"""A patron's lists, comments and saved searches in a real browser (Debian's Chromium driven by Playwright), in
English, Azerbaijani and Persian: add a search result to a new list, write a comment that waits for moderation
until a librarian publishes it in the staff queue, save a search and re-run it from "My searches".
Screenshots go to test-artifacts/screenshots/tools-<language>-*.png (git-ignored) for people to look at."""

from __future__ import annotations

import pytest

from tests.browser.chromium import chromium, shot, staff_sign_in
from tests.browser.test_accessibility import AXE, _violations
from tests.opac.catalogue import VERNACULAR_TURK_DILI, build_catalogue

pytestmark = pytest.mark.browser

STAFF_PASSWORD = "patron tools browser password"
PAYLOAD = '<script>document.title="pwned"</script> A fine edition.'
# What the interface says in each language (a few words, to be sure the page is translated, not just served).
WORDS = {
    "en": {"add_to_list": "Add to list", "pending": "Awaiting moderation", "dir": "ltr"},
    "az": {"add_to_list": "Siyahıya əlavə et", "pending": "Yoxlama gözləyir", "dir": "ltr"},
    "fa": {"add_to_list": "افزودن به فهرست", "pending": "در انتظار بررسی", "dir": "rtl"},
}


@pytest.fixture
def setup(transactional_db, live_server, tmp_path):  # type: ignore[no-untyped-def]
    """Everything the database needs, made before the browser starts (Playwright's event loop forbids database
    calls in this thread): the catalogue, a staff member, and a signed-in patron's session cookie."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.accounts.factories import account_user, patron_with_account

    get_user_model().objects.create_user("librarian", password=STAFF_PASSWORD, is_staff=True, is_superuser=True)
    catalogue = build_catalogue(tmp_path / "catalogue")
    patron = patron_with_account(first_name="Aysel", last_name="Məmmədova", email="aysel@example.org")
    client = Client()
    client.force_login(account_user(patron), backend="kitab.accounts.backends.PatronBackend")
    return {"record_id": catalogue.pk(VERNACULAR_TURK_DILI), "session": client.cookies["sessionid"].value}


@pytest.fixture
def browser(setup):  # type: ignore[no-untyped-def]
    with chromium() as launched:
        yield launched


def _accessible(page, problems: dict[str, list[str]], name: str) -> None:  # type: ignore[no-untyped-def]
    """axe-core's WCAG 2.1 A/AA rules on the page as it is now (with content: a full cart, a pending comment)."""
    if AXE.exists():
        found = _violations(page)
        if found:
            problems[name] = found


def _context(browser, live_server, language: str, session: str | None = None, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    cookies = [{"name": "kitab_language", "value": language, "url": live_server.url}]
    if session:
        cookies.append({"name": "sessionid", "value": session, "url": live_server.url})
    context.add_cookies(cookies)
    return context


@pytest.mark.parametrize("language", ["en", "az", "fa"])
def test_list_comment_and_saved_search(setup, live_server, browser, language):
    words = WORDS[language]
    record_id = setup["record_id"]
    base = live_server.url
    patron = _context(browser, live_server, language, setup["session"])
    page = patron.new_page()
    problems: dict[str, list[str]] = {}

    # -- add a search result to a new list ---------------------------------------------------------------------
    page.goto(f"{base}/search/?q=Azerbaijani")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == words["dir"]
    first = page.locator("li.hit").first
    form = first.locator("form.add-to-list")
    assert form.locator("button").inner_text().startswith(words["add_to_list"])
    assert form.locator("select").input_value() == "new"
    name_box = form.locator("input.new-list-name")
    assert name_box.is_visible()
    name_box.fill(f"Reading {language}")
    title = first.locator("h2.hit-title").inner_text()
    form.locator("button").click()
    page.wait_for_url("**/search/?q=Azerbaijani#actions-*")
    assert page.locator(".flash .notice-success").count() == 1
    # the new list is now the list offered, and the new-name box is hidden until "New list…" is chosen
    assert not page.locator("li.hit").first.locator("input.new-list-name").is_visible()
    # the result says which lists hold it, and the page came back to that result
    assert f"Reading {language}" in page.locator("li.hit").first.locator(".on-lists").inner_text()
    assert page.evaluate("location.hash").startswith("#actions-")
    shot(page, f"tools-{language}-01-added-to-list")

    page.locator(".patron-tools a[href='/lists/']").click()
    page.get_by_role("link", name=f"Reading {language}").click()
    assert title in page.locator("ol.list-records").inner_text()
    shot(page, f"tools-{language}-02-list")
    _accessible(page, problems, "list")
    page.goto(f"{base}/search/?q=Azerbaijani")
    page.locator("li.hit").nth(1).locator("form[action='/cart/add/'] button").click()
    page.wait_for_url("**/search/?q=Azerbaijani#actions-*")
    _accessible(page, problems, "results-signed-in")
    page.goto(f"{base}/cart/")
    assert page.locator("li.list-record").count() == 1
    shot(page, f"tools-{language}-02-cart")
    _accessible(page, problems, "cart")

    # -- a comment waits for moderation --------------------------------------------------------------------------
    page.goto(f"{base}/record/{record_id}/")
    page.fill("#comment-body", PAYLOAD)
    page.locator("form.comment-form button[type=submit]").click()
    page.wait_for_url(f"**/record/{record_id}/#comments")
    own = page.locator(".comment-pending")
    assert words["pending"] in own.inner_text()
    assert "<script>" in own.locator(".comment-body").inner_text()  # shown as text, not run
    assert page.title() != "pwned"
    shot(page, f"tools-{language}-03-comment-pending")
    _accessible(page, problems, "record-comment-pending")

    visitor = _context(browser, live_server, language).new_page()
    visitor.goto(f"{base}/record/{record_id}/")
    assert "A fine edition" not in visitor.locator("#comments").inner_text()

    staff = _context(browser, live_server, language).new_page()
    staff_sign_in(staff, base, "librarian", STAFF_PASSWORD)
    staff.locator(".staff-bar a[href='/staff/comments/']").click()
    item = staff.locator("li.moderation-item").filter(has_text="A fine edition")
    assert item.count() == 1
    assert staff.title() != "pwned"
    shot(staff, f"tools-{language}-04-staff-queue")
    _accessible(staff, problems, "staff-queue")
    item.locator("form[action$='/approve/'] button").click()
    staff.wait_for_url("**/staff/comments/")
    assert staff.locator("li.moderation-item").count() == 0
    shot(staff, f"tools-{language}-05-staff-published")

    visitor.reload()
    published = visitor.locator("#comments .comment").filter(has_text="A fine edition")
    assert published.count() == 1 and "Aysel M." in published.inner_text()
    assert "Məmmədova" not in visitor.locator("#comments").inner_text()
    assert visitor.title() != "pwned"
    shot(visitor, f"tools-{language}-06-comment-published")

    # -- save a search and re-run it ----------------------------------------------------------------------------
    page.goto(f"{base}/search/?q=Azerbaijani&sort=year_desc")
    page.locator("details.save-search summary").click()
    page.fill("#saved-search-name", f"Azerbaijani {language}")
    page.locator("form.save-search-form button").click()
    page.wait_for_url("**/search/?q=Azerbaijani&sort=year_desc")
    assert page.locator(".flash .notice-success").count() == 1
    page.locator(".patron-tools a[href='/searches/']").click()
    saved = page.locator("li.saved-search").filter(has_text=f"Azerbaijani {language}")
    assert saved.count() == 1
    assert page.locator("ol.search-history li").count() >= 1
    shot(page, f"tools-{language}-07-my-searches")
    _accessible(page, problems, "my-searches")
    saved.locator("a.button").click()
    page.wait_for_url("**/search/?q=Azerbaijani&sort=year_desc")
    assert page.locator("li.hit").count() > 0
    shot(page, f"tools-{language}-08-saved-search-rerun")
    patron.close()
    assert not problems, "\n".join(f"{name}: {found}" for name, items in problems.items() for found in items)

    # -- on a phone: nothing wider than the screen ----------------------------------------------------------------
    phone = _context(browser, live_server, language, setup["session"], is_mobile=True, device_scale_factor=2)
    phone_page = phone.new_page()
    phone_page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/search/?q=Azerbaijani", f"/record/{record_id}/", "/lists/", "/searches/", "/cart/"):
        phone_page.goto(base + path)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, path
    phone_page.goto(f"{base}/record/{record_id}/")
    shot(phone_page, f"tools-{language}-09-record-phone")
    phone.close()
