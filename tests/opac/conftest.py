from __future__ import annotations

from pathlib import Path

import pytest

from tests.opac.catalogue import Catalogue, build_catalogue


@pytest.fixture
def catalogue(db: None, tmp_path: Path) -> Catalogue:
    """The small real catalogue of tests/opac/catalogue.py, imported into this test's database and index."""
    return build_catalogue(tmp_path / "catalogue")


@pytest.fixture
def staff_user(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("librarian", password="correct horse battery", is_staff=True)


@pytest.fixture
def staff_client(client, staff_user):  # type: ignore[no-untyped-def]
    client.force_login(staff_user)
    return client
