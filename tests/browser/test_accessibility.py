"""Every OPAC page type passes axe-core's WCAG 2.1 A and AA rules, in a left-to-right and a right-to-left language.

axe-core comes from the npm registry (package.json at the repository root; `npm ci` in .ci/run and scripts/test).
It runs inside Debian's Chromium on the live page, so it judges what a patron's browser really gets: colour
contrast, names of form controls and links, landmarks, heading order, language attributes, ARIA use.
Each page is also photographed (test-artifacts/screenshots/a11y-<language>-<page>.png).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.chromium import chromium, shot
from tests.conftest import REPO_ROOT
from tests.opac.catalogue import VERNACULAR_TURK_DILI, build_catalogue

pytestmark = pytest.mark.browser

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "a long library password 7"
EMAIL = "leyla@example.org"


@pytest.fixture
def library(transactional_db, live_server, tmp_path, settings):  # type: ignore[no-untyped-def]
    """A catalogue, a patron who registered online (with a list and a loan), built before the browser starts."""
    from kitab.accounts import services as accounts
    from kitab.catalogue.models import Record
    from kitab.circulation import services as circulation
    from kitab.core import clock
    from kitab.core.actor import Actor
    from kitab.items.models import Branch, Item
    from kitab.lists import services as lists
    from tests.circulation.factories import default_rule
    from tests.patrons.factories import PatronCategoryFactory

    settings.KITAB_LOGIN_MAX_FAILURES = 50
    default_rule()
    PatronCategoryFactory(code="ADULT", name="Adult")
    catalogue = build_catalogue(tmp_path / "catalogue")
    now = clock.now()
    actor = Actor(channel="opac", username="test")
    tokens: list[str] = []
    registration = accounts.request_registration(
        first_name="Leyla", last_name="Məmmədova", email=EMAIL, branch=Branch.objects.get(code="CENTRAL"),
        password=PASSWORD, language="az", confirm_url=lambda token: tokens.append(token) or token,
        actor=actor, at=now, form_age=timedelta(minutes=2))
    assert registration is not None
    registration = accounts.confirm_email(tokens[0], actor=actor, at=now)
    patron = registration.patron
    record_id = catalogue.pk(VERNACULAR_TURK_DILI)
    reading = lists.create_list(patron=patron, name="Oxumaq üçün", notes="Yay tətili", actor=actor, at=now)
    lists.add_records(reading, [record_id], actor=actor, at=now)
    item = Item.objects.filter(status=Item.Status.AVAILABLE).exclude(record_id=record_id).order_by("pk").first()
    circulation.checkout(item, patron, actor=Actor(channel="staff", username="desk", branch_code="CENTRAL"), at=now)
    return {"record": record_id, "list": reading.pk, "other_record": Record.objects.exclude(pk=record_id).first().pk}


@pytest.fixture
def browser(library):  # type: ignore[no-untyped-def]
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` at the repository root")
    with chromium() as launched:
        yield launched


def _violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
    assert len(result["passes"]) > 10, "axe-core checked almost nothing: is the page empty?"
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


PUBLIC_PAGES = {
    "home": "/",
    "results": "/search/?q=Azerbaijani",
    "results-facet": "/search/?q=Azerbaijani&language=aze",
    "no-results": "/search/?q=zzqxqzz",
    "bad-query": "/search/?q=year:abc",
    "not-found": "/record/999999999/",
    "login": "/account/login/",
    "register": "/account/register/",
    "password-reset": "/account/password/forgotten/",
    "cart": "/cart/",
}
ACCOUNT_PAGES = {
    "account": "/account/",
    "loans": "/account/loans/",
    "holds": "/account/holds/",
    "fines": "/account/fines/",
    "history": "/account/history/",
    "profile": "/account/profile/",
    "password-change": "/account/password/",
    "lists": "/lists/",
    "searches": "/searches/",
}


@pytest.mark.parametrize("language", ["en", "fa"])
def test_every_opac_page_type_meets_wcag_21_aa(library, live_server, browser, language):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/")
    if language != "en":
        page.locator(f".language-switcher button[value={language}]").click()
        page.wait_for_load_state()
    pages = dict(PUBLIC_PAGES)
    pages["record"] = f"/record/{library['record']}/"
    problems: dict[str, list[str]] = {}

    def check(name: str, path: str) -> None:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language, name
        shot(page, f"a11y-{language}-{name}")
        found = _violations(page)
        if found:
            problems[name] = found

    for name, path in pages.items():
        check(name, path)

    page.goto(live_server.url + "/account/login/")
    page.fill("input[name=identifier]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/account/**")
    if page.locator("html").get_attribute("lang") != language:  # signing in applies the patron's own language
        page.locator(f".language-switcher button[value={language}]").click()
        page.wait_for_load_state()
    account_pages = dict(ACCOUNT_PAGES)
    account_pages["list"] = f"/lists/{library['list']}/"
    account_pages["record-signed-in"] = f"/record/{library['other_record']}/"
    for name, path in account_pages.items():
        check(name, path)

    assert not problems, "\n".join(f"{name}: {found}" for name, items in problems.items() for found in items)


def test_persian_pages_are_mirrored(library, live_server, browser):
    """Right to left throughout: the document direction, and the header laid out from the right edge."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/")
    brand_ltr = page.locator(".brand").bounding_box()
    page.locator(".language-switcher button[value=fa]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "fa"
    brand_rtl = page.locator(".brand").bounding_box()
    assert brand_ltr and brand_rtl
    # The library name sits at the left edge in English and at the right edge in Persian.
    assert brand_ltr["x"] < 640 < brand_rtl["x"]
    page.goto(live_server.url + "/search/?q=Azerbaijani")
    direction = page.evaluate("getComputedStyle(document.querySelector('main') || document.body).direction")
    assert direction == "rtl"
    shot(page, "rtl-fa-results")
    page.goto(live_server.url + f"/record/{library['record']}/")
    shot(page, "rtl-fa-record")
