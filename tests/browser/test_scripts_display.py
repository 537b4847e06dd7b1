"""The interface language and the record's script are independent: Arabic-script 880 text reads right to left in
an English page, Latin and Cyrillic record text reads left to right in the Persian page, and identifiers (call
numbers) keep their order whatever the page direction. Checked on the record page and the results page in both
directions, by the direction Chromium actually computes, with screenshots
(test-artifacts/screenshots/scripts-<language>-<page>.png)."""

from __future__ import annotations

import pytest

from tests.browser.chromium import chromium, shot
from tests.opac.catalogue import VERNACULAR_TURK_DILI, build_catalogue

pytestmark = pytest.mark.browser

@pytest.fixture
def catalogue(transactional_db, live_server, tmp_path):  # type: ignore[no-untyped-def]
    return build_catalogue(tmp_path / "catalogue")


def _page(browser, live_server, language: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.add_cookies([{"name": "kitab_language", "value": language, "url": live_server.url}])
    return context.new_page()


def _direction(page, selector: str) -> str:  # type: ignore[no-untyped-def]
    return page.eval_on_selector(selector, "el => getComputedStyle(el).direction")


@pytest.mark.parametrize("language,page_dir", [("en", "ltr"), ("fa", "rtl")])
def test_record_page_shows_each_script_in_its_own_direction(catalogue, live_server, language, page_dir):
    with chromium() as browser:
        page = _page(browser, live_server, language)
        page.goto(f"{live_server.url}/record/{catalogue.pk(VERNACULAR_TURK_DILI)}/")
        assert page.get_attribute("html", "dir") == page_dir
        # The romanised title (Latin) reads left to right, its Arabic-script 880 twin right to left, in either page.
        assert _direction(page, "#record-title") == "ltr"
        assert _direction(page, ".vern-title") == "rtl"
        title = page.text_content("#record-title") or ""
        assert title.strip() and not any("\u0600" <= c <= "\u06ff" for c in title)
        vernacular = page.text_content(".vern-title") or ""
        assert any("\u0600" <= c <= "\u06ff" for c in vernacular)
        # The Arabic-script twin sits at the right edge of its box, the Latin title at the left edge.
        align = page.eval_on_selector(".vern-title", "el => getComputedStyle(el).textAlign")
        assert align in ("right", "start"), align
        # Every vernacular field of the record is right to left; every romanised field left to right.
        assert set(page.eval_on_selector_all(".pair .vern", "els => els.map(e => getComputedStyle(e).direction)")) \
            == {"rtl"}
        assert set(page.eval_on_selector_all(".pair .rom", "els => els.map(e => getComputedStyle(e).direction)")) \
            == {"ltr"}
        # Call numbers keep their left-to-right order in the Persian page too.
        assert set(page.eval_on_selector_all(".copies-table .ident",
                                             "els => els.map(e => getComputedStyle(e).direction)")) == {"ltr"}
        shot(page, f"scripts-{language}-record")
        page.context.close()


@pytest.mark.parametrize("language,page_dir", [("en", "ltr"), ("fa", "rtl")])
def test_results_titles_take_the_direction_of_their_script(catalogue, live_server, language, page_dir):
    with chromium() as browser:
        page = _page(browser, live_server, language)
        # Everything: English, Turkish and Kazakh (Cyrillic) titles and the Arabic-script Azerbaijani one.
        page.goto(f"{live_server.url}/search/?q=*&sort=title")
        if page.locator(".hit-title a").count() == 0:
            page.goto(f"{live_server.url}/search/?q=dili")
        assert page.get_attribute("html", "dir") == page_dir
        titles = page.eval_on_selector_all(
            ".hit-title a", "els => els.map(e => [e.textContent.trim(), getComputedStyle(e).direction])")
        assert titles, "the search found records"
        for text, direction in titles:
            letters = [c for c in text if c.isalpha()]
            arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff")
            if not letters:
                continue
            # dir="auto": the first strong letter decides, so a Latin or Cyrillic title is ltr even in Persian.
            expected = "rtl" if "\u0600" <= letters[0] <= "\u06ff" else "ltr"
            assert direction == expected, (text, direction)
            assert arabic == 0 or expected == "rtl" or arabic < len(letters)
        shot(page, f"scripts-{language}-results")
        page.context.close()


def test_persian_page_with_a_vernacular_search(catalogue, live_server):
    """A search typed in Arabic script from the Persian page finds the 880 text; the Latin title stays ltr and the
    original-script title under it is rtl."""
    with chromium() as browser:
        page = _page(browser, live_server, "fa")
        page.goto(f"{live_server.url}/search/?q=" + "تورک")
        shot(page, "scripts-fa-vernacular-search")
        rows = page.eval_on_selector_all(
            ".hit-title a", "els => els.map(e => [e.textContent.trim(), getComputedStyle(e).direction])")
        for text, direction in rows:
            first = next((c for c in text if c.isalpha()), "")
            assert direction == ("rtl" if "\u0600" <= first <= "\u06ff" else "ltr"), (text, direction)
        # the hit shows its title as written (880) under the romanised one, right to left
        vernacular = page.eval_on_selector_all(
            ".hit-vern", "els => els.map(e => [e.textContent.trim(), getComputedStyle(e).direction])")
        assert vernacular and all(direction == "rtl" for _text, direction in vernacular), vernacular
        page.context.close()
