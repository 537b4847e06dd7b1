"""Application tokens on the wire: `Authorization: Bearer <token>` (or `Token <token>`, as older clients send).

A token that is unknown, revoked or expired, or whose owner's account was deactivated, is refused with 401 and
a code saying which (authentication_failed, token_revoked, token_expired, owner_inactive). The request then
runs as the token's owner, and `request.auth` is the ApiApplication (its scopes are checked per endpoint).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from kitab.core import clock

from . import selectors, services
from .models import ApiApplication

KEYWORDS = (b"bearer", b"token")


def _refusals() -> dict[str, str]:
    return {
        "token_revoked": _("This API token has been revoked."),
        "token_expired": _("This API token has expired."),
        "owner_inactive": _("The staff account that owns this API token is no longer active."),
    }


class ApplicationTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiApplication] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # not ours: another scheme (the session) may authenticate the request
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Bearer <token>."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        application = selectors.application_for_key(key)
        if application is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = clock.now()
        refusal = application.refusal_at(now)
        if refusal is not None:
            raise exceptions.AuthenticationFailed(_refusals()[refusal], code=refusal)
        services.record_use(application, at=now)
        return application.owner, application

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
