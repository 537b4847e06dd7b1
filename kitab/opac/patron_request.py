"""Which patron a request belongs to, for the OPAC views of lists, comments and saved searches.

Patrons sign in through kitab.accounts, whose `selectors.patron_for_user` says which patron a user is; this module
caches that per request and adds what the lists, comments and saved-search views need around it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse

from kitab.accounts.selectors import patron_for_user
from kitab.core.actor import Actor
from kitab.patrons.models import Patron

_CACHE = "_kitab_patron"


def current_patron(request: HttpRequest) -> Patron | None:
    """The signed-in patron, or None (anonymous visitor, staff account without a patron, anonymised patron)."""
    if hasattr(request, _CACHE):
        return getattr(request, _CACHE)
    patron = patron_for_user(getattr(request, "user", None))
    setattr(request, _CACHE, patron)
    return patron


def patron_actor(request: HttpRequest, patron: Patron) -> Actor:
    user = request.user
    return Actor(channel="opac", user_id=user.pk, username=patron.card_number)


def login_url(next_url: str) -> str:
    """The patron sign-in page, coming back to `next_url` afterwards."""
    for name in ("accounts:login", "opac:login"):
        try:
            return f"{reverse(name)}?{urlencode({'next': next_url})}"
        except NoReverseMatch:
            continue
    return f"{reverse('staff:login')}?{urlencode({'next': next_url})}"


def patron_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the sign-in page; the view gets the patron as its second argument."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        patron = current_patron(request)
        if patron is None:
            return HttpResponseRedirect(login_url(request.get_full_path()))
        return view(request, patron, *args, **kwargs)

    return wrapper
