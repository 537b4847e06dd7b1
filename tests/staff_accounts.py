"""Staff accounts for view and browser tests: a user holding one of the default roles, and a client signed in
as a user."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from kitab.core.actor import Actor
from kitab.patrons.models import StaffRole
from kitab.patrons.roles import DEFAULT_ROLES
from kitab.patrons.services import assign_staff_role


def staff_user(username: str, *, role: str, password: str = "x"):  # type: ignore[no-untyped-def]
    """A staff account holding the default `role` at every branch. The role row is recreated when missing:
    transactional (browser) tests flush the roles the migration made."""
    name, permissions = DEFAULT_ROLES[role]
    StaffRole.objects.get_or_create(code=role, defaults={"name": name, "permissions": permissions})
    user = get_user_model().objects.create_user(username, password=password, is_staff=True)
    assign_staff_role(user, role=role, branch_code=None, actor=Actor.system())
    return user


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    """A test client with `user` signed in (its own session)."""
    client = Client()
    client.force_login(user)
    return client
