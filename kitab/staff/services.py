"""Staff account writes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from kitab.core.actor import Actor
from kitab.patrons.services import assign_staff_role


@transaction.atomic
def ensure_staff_user(username: str, *, password: str, superuser: bool = False, role: str | None = None,
                      branch_code: str | None = None) -> None:
    """Create the staff account or reset its password; staff accounts can use the staff interface.
    `role` (a StaffRole code) is given at `branch_code`, or at every branch when no branch is named.
    Raises PatronError unknown_role, unknown_branch (and nothing is saved)."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username)
    user.is_staff = True
    user.is_superuser = user.is_superuser or superuser
    user.is_active = True
    user.set_password(password)
    user.save()
    if role:
        assign_staff_role(user, role=role, branch_code=branch_code, actor=Actor.system())
