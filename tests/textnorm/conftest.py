"""Textnorm tests are pure functions: no database, no Django, no search index.

The suite-wide autouse fixture `_isolated_index` (tests/conftest.py) points Django at a fresh index folder for
every test; it is overridden here by a no-op so these tests neither need nor touch Django settings.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.textnorm.realdata import Title
from tests.textnorm.realdata import turkic_titles as load_turkic_titles


@pytest.fixture(autouse=True)
def _isolated_index() -> Iterator[None]:
    yield


@pytest.fixture(scope="session")
def turkic_titles() -> tuple[Title, ...]:
    """The real Turkic-language LoC titles; skips the test when ../shared is not there."""
    titles = load_turkic_titles()
    if titles is None:
        pytest.skip("../shared/data/marc/loc-booksall-2016/turkic_languages_subset.mrc is not present")
    return titles
