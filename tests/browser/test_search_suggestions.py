"""Search-as-you-type in a real browser: the combobox opens under the home page's search box, arrow keys move
through the suggestions (aria-activedescendant), Enter opens the chosen search, Escape closes the list."""

from __future__ import annotations

import pytest

from tests.browser.chromium import chromium, shot
from tests.opac.catalogue import build_catalogue

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(transactional_db, live_server, tmp_path):  # type: ignore[no-untyped-def]
    return build_catalogue(tmp_path / "catalogue")


def test_suggestions_by_keyboard(catalogue, live_server):  # type: ignore[no-untyped-def]
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB").new_page()
        page.goto(live_server.url + "/")
        box = page.locator("#home-q")
        assert box.get_attribute("role") == "combobox"
        assert box.get_attribute("aria-expanded") == "false"
        box.type("turk", delay=40)
        listbox = page.locator("#home-q-suggestions")
        listbox.locator("[role=option]").first.wait_for(state="visible", timeout=5000)
        assert box.get_attribute("aria-expanded") == "true"
        options = listbox.locator("[role=option]")
        assert options.count() >= 1
        shot(page, "suggest-01-open")
        box.press("ArrowDown")
        first = options.nth(0)
        assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
        assert first.get_attribute("aria-selected") == "true"
        box.press("Escape")
        assert box.get_attribute("aria-expanded") == "false"
        box.press("ArrowDown")  # opens again on the first suggestion
        assert box.get_attribute("aria-expanded") == "true"
        with page.expect_navigation():
            box.press("Enter")
        assert "/search/?q=" in page.url
        assert page.locator(".result, .hit, article").count() >= 1
        shot(page, "suggest-02-chosen")
