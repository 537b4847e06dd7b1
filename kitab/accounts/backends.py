"""Authentication backends. Patrons sign in with their card number or email (PatronBackend, through the
throttled accounts service); staff and administrators with their username (StaffBackend). Neither accepts the
other's accounts, so a patron password cannot be tried through the staff login, which has no throttle."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from kitab.core import clock

from .errors import AccountError
from .models import PatronAccount


def client_ip(request: HttpRequest | None) -> str | None:
    """The address sign-in failures are counted for. Behind a proxy, set the proxy to pass REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


class PatronBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        from .services import authenticate_patron

        if not username or password is None:
            return None
        try:
            return authenticate_patron(identifier=username, password=password, client_ip=client_ip(request),
                                       at=clock.now())
        except AccountError:
            return None

    def get_user(self, user_id: int) -> Any:
        user = super().get_user(user_id)
        return user if user is not None and PatronAccount.objects.filter(user=user).exists() else None


class StaffBackend(ModelBackend):
    """Django's username backend, refusing patron accounts."""

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and not PatronAccount.objects.filter(user=user).exists()
