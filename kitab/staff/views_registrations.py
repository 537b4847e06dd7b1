"""Online registrations waiting for a librarian (when the library requires approval): approve or turn down.

Thin adapter over kitab.accounts.services.approve_registration / reject_registration."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kitab.accounts import selectors, services
from kitab.accounts.errors import AccountError
from kitab.accounts.models import RegistrationRequest
from kitab.core import clock
from kitab.patrons.errors import PatronError

from .actors import requires, staff_actor
from .views import staff_required


@require_safe
@staff_required
@requires("patrons.edit")
def registrations(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/registrations.html", {
        "pending": list(selectors.pending_registrations()), "decided": list(selectors.recent_decisions())})


@require_POST
@staff_required
@requires("patrons.edit")
def registration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(RegistrationRequest, pk=pk)
    try:
        if request.POST.get("decision") == "approve":
            patron = services.approve_registration(registration, actor=staff_actor(request), at=clock.now())
            messages.success(request, _("%(name)s is registered with card %(card)s.")
                             % {"name": patron.full_name, "card": patron.card_number})
        else:
            services.reject_registration(registration, reason=request.POST.get("reason", ""),
                                         actor=staff_actor(request), at=clock.now())
            messages.success(request, _("The registration of %(name)s was turned down.")
                             % {"name": registration.full_name})
    except (AccountError, PatronError) as error:
        messages.error(request, error.message)
    return redirect("staff:registrations")
