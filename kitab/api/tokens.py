"""API tokens for machine clients (`kitab api-token USER`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .errors import ApiError


@transaction.atomic
def issue_token(username: str, *, reset: bool = False) -> str:
    """The API token of the active user `username`, created on first use; `reset=True` replaces it.

    Raises ApiError: unknown_user.
    """
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApiError("unknown_user", _("There is no active user %(username)s.") % {"username": username})
    if reset:
        Token.objects.filter(user=user).delete()
    token, _created = Token.objects.get_or_create(user=user)
    return token.key
