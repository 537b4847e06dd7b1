"""Fixtures shared by the whole suite.

Every test gets its own empty search index folder; the database is pytest-django's test database (SQLite by
default, PostgreSQL when KITAB_TEST_DATABASE_URL is set).
"""

from __future__ import annotations

import lzma
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_FILE = REPO_ROOT / "kitab" / "catalogue" / "demo" / "loc-demo.mrc.xz"


def shared_data_dir() -> Path | None:
    """`../shared/data/marc` beside the checkout (or $KITAB_SHARED_DATA), when present."""
    env = os.environ.get("KITAB_SHARED_DATA")
    candidate = Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "marc"
    return candidate if candidate.is_dir() else None


@pytest.fixture
def shared_data() -> Path:
    path = shared_data_dir()
    if path is None:
        pytest.skip("../shared/data/marc is not present")
    return path


@pytest.fixture(autouse=True)
def _isolated_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A fresh index folder per test, for tests that use Django settings at all."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.KITAB_INDEX_DIR  # noqa: B018 - pure tests may run with `-p no:django`
    except ImproperlyConfigured:
        yield
        return
    from kitab.items import services as item_services
    from kitab.search import services as search_services

    old = settings.KITAB_INDEX_DIR
    settings.KITAB_INDEX_DIR = tmp_path_factory.mktemp("index")
    search_services.reset_engine()
    item_services.reset_caches()
    yield
    search_services.reset_engine()
    item_services.reset_caches()
    settings.KITAB_INDEX_DIR = old


def demo_raw_records(limit: int | None = None) -> Iterator[bytes]:
    """Raw ISO 2709 records of the shipped demo file (real Library of Congress records)."""
    data = lzma.decompress(DEMO_FILE.read_bytes())
    count = 0
    for chunk in data.split(b"\x1d"):
        if not chunk.strip():
            continue
        yield chunk + b"\x1d"
        count += 1
        if limit is not None and count >= limit:
            return


@pytest.fixture
def marc_file(tmp_path: Path) -> Callable[..., Path]:
    """Write raw records (bytes) to a .mrc file and return its path."""

    def make(records: list[bytes], name: str = "records.mrc") -> Path:
        path = tmp_path / name
        path.write_bytes(b"".join(records))
        return path

    return make


@pytest.fixture
def import_demo(db: None, marc_file: Callable[..., Path]) -> Callable[..., object]:
    """Import the first `n` demo records through the import service; returns the ImportReport."""
    from kitab.catalogue.services import import_file
    from kitab.core.actor import Actor

    def run(n: int = 200) -> object:
        path = marc_file(list(demo_raw_records(n)), name=f"demo-{n}.mrc")
        return import_file(path, actor=Actor.system())

    return run


@pytest.fixture
def catalogue(db: None, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The small real catalogue of tests/opac/catalogue.py, imported into this test's database and index."""
    from tests.opac.catalogue import build_catalogue

    return build_catalogue(tmp_path / "catalogue")


@pytest.fixture
def staff_user(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("librarian", password="correct horse battery", is_staff=True)


@pytest.fixture
def staff_client(client, staff_user):  # type: ignore[no-untyped-def]
    client.force_login(staff_user)
    return client
