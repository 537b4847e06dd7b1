"""The one call the OPAC search view makes after a search: remember it in the patron's history (database) or the
visitor's (session). Only first pages of successful searches count: paging through results is the same search."""

from __future__ import annotations

from django.http import HttpRequest

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
        session_history.remember(request.session, spec, total, clock.now())
