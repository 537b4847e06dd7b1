"""Who is calling: the Actor each API view passes to the services, the permission checks, and the throttle.

A caller authenticates with a session (a signed-in staff member) or an application token
(`Authorization: Bearer <token>`, from `kitab api-token create`), which acts as its owner. Permissions are the
staff roles' codes (kitab.patrons.roles) held at the branch named in the `X-Kitab-Branch` header, or, without
the header, the roles held at every branch. A token caller also needs the endpoint's scope (kitab.api.scopes).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from kitab.core.actor import Actor
from kitab.patrons.roles import actor_for

from .models import ApiApplication

BRANCH_HEADER = "X-Kitab-Branch"
DEFAULT_ANON_SEARCH_RATE = "60/min"


def api_actor(request: Request) -> Actor:
    """The Actor for the authenticated caller (channel "api"), built once per request."""
    actor = getattr(request, "_kitab_actor", None)
    if actor is None:
        branch_code = request.headers.get(BRANCH_HEADER) or None
        actor = actor_for(request.user, branch_code=branch_code, channel="api")
        request._kitab_actor = actor  # type: ignore[attr-defined]
    return actor


def required_scope(view: Any, method: str) -> str | None:
    """The scope a token needs for `method` on `view` (`view.required_scopes`: method -> scope; HEAD is GET)."""
    scopes = getattr(view, "required_scopes", {})
    return scopes.get(method) or (scopes.get("GET") if method in ("HEAD", "OPTIONS") else None)


class RequiresPermission(BasePermission):
    """Refuses a request unless the caller holds the permission code the view names for the HTTP method
    (`view.required_permissions`: method -> code; methods not named are open to everyone), and, for a token
    caller, the scope the view names (`view.required_scopes`; a method without one is refused to tokens)."""

    message = ""
    code = "permission_denied"

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ApiApplication):
            scope = required_scope(view, request.method or "")
            if scope is None or not request.auth.has_scope(scope):
                self.code = "missing_scope"
                self.message = _("This API token does not have the scope %(scope)s needed here "
                                 "(it has: %(scopes)s).") % {"scope": scope or "-",
                                                             "scopes": ", ".join(request.auth.scopes) or "-"}
                return False
        needed = getattr(view, "required_permissions", {}).get(request.method)
        if needed is None:
            return True
        if not (request.user and request.user.is_authenticated):
            return False  # DRF answers 401 with the authentication challenge
        if needed in api_actor(request).permissions:
            return True
        self.message = _("You do not have the permission %(permission)s here.") % {"permission": needed}
        return False


class AnonSearchThrottle(AnonRateThrottle):
    """Limits anonymous searches per client address (KITAB_API_ANON_SEARCH_RATE, default 60/min)."""

    scope = "anon_search"

    def get_rate(self) -> str | None:
        return getattr(settings, "KITAB_API_ANON_SEARCH_RATE", DEFAULT_ANON_SEARCH_RATE)
