"""Debian's Chromium driven by Playwright, for the browser tests (marked `browser`, run by .ci/run)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT

CHROMIUM = "/usr/bin/chromium"
# Headless as root in a sandboxed machine, and no background connections: the machine has no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A launched browser; skips the test when Chromium or Playwright is missing."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot as a test artefact, and check it shows a rendered page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    check_rendered(path)


def check_rendered(path: Path) -> None:
    """A blank or unstyled capture (an error page without CSS, a page still loading) fails the test: a Kitab page
    has text, the header band and buttons, so it shows many colours and is at least a screen wide."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    distinct = len(colours) if colours is not None else 1 << 16
    assert width >= 320 and height >= 200, f"{path.name}: {width}x{height} is too small for a page"
    assert distinct >= 16, f"{path.name}: only {distinct} colours — a blank or unstyled page?"


def staff_sign_in(page, base_url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in on the staff login page and wait for the staff dashboard."""
    page.goto(base_url + "/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url("**/staff/")


def in_db_thread(fn: Callable[[], Any]) -> Any:
    """Run a database call outside Playwright's event loop thread (Django refuses sync DB calls inside it)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()
