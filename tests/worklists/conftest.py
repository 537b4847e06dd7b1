from __future__ import annotations

import pytest

from kitab.catalogue.models import Record
from kitab.core.actor import Actor


@pytest.fixture
def cataloguer_user(django_user_model, db):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("aysel", password="x", is_staff=True)


@pytest.fixture
def actor(cataloguer_user) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(channel="staff", user_id=cataloguer_user.pk, username="aysel", branch_code="MAIN")


@pytest.fixture
def records(import_demo) -> list[Record]:  # type: ignore[no-untyped-def]
    import_demo(6)
    return list(Record.objects.order_by("pk"))
