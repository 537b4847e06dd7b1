"""What the OPAC search view uses to keep search history: `remember_search` after a search (the patron's history
in the database, a visitor's in a cookie), and the `keeps_search_history` decorator that writes the visitor's
cookie into the response. Only first pages of successful searches count: paging through results is the same
search."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from kitab.core import clock
from kitab.opac.patron_request import current_patron

from . import services, session_history
from .spec import SearchSpec


def remember_search(request: HttpRequest, *, query: str, filters: dict[str, list[str]], sort: str, page: int,
                    total: int) -> None:
    if page != 1:
        return
    spec = SearchSpec.of(query, filters, sort)
    patron = current_patron(request)
    if patron is not None:
        services.record_search(patron=patron, spec=spec, total=total, at=clock.now())
    else:
        session_history.remember(request, spec, total, clock.now())


def keeps_search_history(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return session_history.store(request, view(request, *args, **kwargs))

    return wrapper
