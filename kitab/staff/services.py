"""Staff account writes."""

from __future__ import annotations

from django.contrib.auth import get_user_model


def ensure_staff_user(username: str, *, password: str, superuser: bool = False) -> None:
    """Create the staff account or reset its password; staff accounts can use the staff interface."""
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username)
    user.is_staff = True
    user.is_superuser = user.is_superuser or superuser
    user.is_active = True
    user.set_password(password)
    user.save()
