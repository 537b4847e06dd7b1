"""API fixtures: the circulation ones (rule, MAIN branch, patron, copy, t0), API clients and staff callers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from kitab.api.scopes import SCOPES
from kitab.api.services import create_application
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.patrons.services import assign_staff_role
from tests.circulation.conftest import east, item, main, patron, rule, t0  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


def _user_with_role(django_user_model, username: str, role: str | None):  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user(username, password="correct horse battery", is_staff=True)
    if role:
        assign_staff_role(user, role=role, branch_code=None, actor=Actor.system())
    return user


@pytest.fixture
def desk_user(db, django_user_model):  # type: ignore[no-untyped-def]
    """A circulation desk member at every branch (circulation.checkout, patrons.view/edit)."""
    return _user_with_role(django_user_model, "desk", "desk")


@pytest.fixture
def cataloguer_user(db, django_user_model):  # type: ignore[no-untyped-def]
    """catalogue.edit and patrons.view, no circulation."""
    return _user_with_role(django_user_model, "cataloguer", "cataloguer")


@pytest.fixture
def roleless_user(db, django_user_model):  # type: ignore[no-untyped-def]
    """Signed in, but holding no permission."""
    return _user_with_role(django_user_model, "nobody", None)


def app_token(user, *scopes: str, name: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """A new application token for `user` with `scopes` (every scope when none is named)."""
    issued = create_application(name=name or f"{user.username}-app", owner_username=user.username,
                                scopes=list(scopes or SCOPES), actor=Actor.system(), at=clock.now())
    return issued.key


def token_client(user, *scopes: str) -> APIClient:  # type: ignore[no-untyped-def]
    """An API client authenticated by an application token of `user` (every scope unless named)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {app_token(user, *scopes)}")
    return client


@pytest.fixture
def desk(desk_user) -> APIClient:  # type: ignore[no-untyped-def]
    """The desk member, authenticated by token (as a machine client would be)."""
    return token_client(desk_user)


@pytest.fixture
def cataloguer(cataloguer_user) -> APIClient:  # type: ignore[no-untyped-def]
    return token_client(cataloguer_user)


@pytest.fixture
def roleless(roleless_user) -> APIClient:  # type: ignore[no-untyped-def]
    return token_client(roleless_user)
