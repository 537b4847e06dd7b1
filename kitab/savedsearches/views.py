"""OPAC pages for search history and saved searches: thin adapters over services (patrons) and the session
history (visitors)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kitab.core import clock
from kitab.core.alphabetical import alphabetical
from kitab.core.redirects import safe_next
from kitab.opac.forms import parse_search
from kitab.opac.patron_request import current_patron, login_url, patron_actor, patron_required
from kitab.patrons.models import Patron

from . import selectors, services, session_history
from .errors import SavedSearchError
from .spec import SearchSpec


def _search_url(spec: SearchSpec) -> str:
    return reverse("opac:search") + "?" + spec.querystring()


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Saved searches (signed-in patrons) and recent searches (everyone)."""
    patron = current_patron(request)
    if patron is not None:
        history = [{"spec": e.spec, "total": e.total, "at": e.searched_at} for e in selectors.history_of(patron)]
        saved = alphabetical(selectors.saved_of(patron), key=lambda s: s.name)
    else:
        history, saved = session_history.entries(request), []
    for entry in history:
        entry["url"] = _search_url(entry["spec"])
    return render(request, "savedsearches/index.html", {
        "patron": patron, "history": history, "saved": [(s, _search_url(s.spec)) for s in saved],
        "login_url": login_url(request.get_full_path()),
    })


@require_POST
def clear_history(request: HttpRequest) -> HttpResponse:
    patron = current_patron(request)
    if patron is not None:
        services.clear_history(patron=patron, actor=patron_actor(request, patron), at=clock.now())
    messages.success(request, _("Your search history was cleared."))
    return session_history.clear(HttpResponseRedirect(reverse("savedsearches:index")))


@require_POST
@patron_required
def save(request: HttpRequest, patron: Patron) -> HttpResponse:
    """Save the search described by the posted q/filters/sort under the posted name."""
    params = parse_search(request.POST)
    spec = SearchSpec.of(params.query, params.filters, params.sort)
    back = safe_next(request, _search_url(spec))
    try:
        saved = services.save_search(patron=patron, name=request.POST.get("name", ""), spec=spec,
                                     alert=request.POST.get("alert") == "on", actor=patron_actor(request, patron),
                                     at=clock.now())
    except SavedSearchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Search saved as “%(name)s”.") % {"name": saved.name})
    return HttpResponseRedirect(back)


def _own(patron: Patron, pk: int):  # type: ignore[no-untyped-def]
    saved = selectors.own_saved(patron, pk)
    if saved is None:
        raise Http404
    return saved


@require_safe
@patron_required
def run(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    return HttpResponseRedirect(_search_url(_own(patron, pk).spec))


@require_POST
@patron_required
def alert(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    saved = _own(patron, pk)
    on = request.POST.get("alert") == "on"
    try:
        services.set_alert(saved, on=on, actor=patron_actor(request, patron), at=clock.now())
    except SavedSearchError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You will get an email when “%(name)s” finds new records.") % {"name": saved.name}
                         if on else _("No more emails for “%(name)s”.") % {"name": saved.name})
    return HttpResponseRedirect(reverse("savedsearches:index"))


@require_POST
@patron_required
def delete(request: HttpRequest, patron: Patron, pk: int) -> HttpResponse:
    saved = _own(patron, pk)
    services.delete_saved_search(saved, actor=patron_actor(request, patron), at=clock.now())
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": saved.name})
    return HttpResponseRedirect(reverse("savedsearches:index"))
