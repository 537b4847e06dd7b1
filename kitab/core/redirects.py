"""Where a view may send the browser back to: one rule against open redirects, for the OPAC and staff pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_target(request: HttpRequest, target: str, default: str) -> str:
    """`target` when it points into this site (this host, and https when the request came over https), else
    `default`."""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go back to after a form post: `next` (posted or in the query) when it points into this site,
    else `default`."""
    return safe_target(request, request.POST.get("next") or request.GET.get("next") or "", default)
