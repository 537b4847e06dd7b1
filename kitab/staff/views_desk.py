"""The circulation desk: find the patron, lend, renew, take back, receive transfers.

Every scan is one POST that calls one circulation service and then redirects back to the page it came from
(so reloading never repeats it); the results of the session's scans are kept in the session and listed on the
page. Each form carries a fresh idempotency key, so a double submit or a browser retry of the same form
returns the first loan instead of making a second one.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kitab.circulation import policy, services
from kitab.circulation import selectors as circulation_selectors
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import Loan
from kitab.circulation.transitions import Destination
from kitab.core import clock
from kitab.core.alphabetical import alphabetical
from kitab.core.redirects import safe_target
from kitab.holds import services as hold_services
from kitab.holds.errors import HoldError
from kitab.items.models import Branch, Item
from kitab.patrons import selectors as patron_selectors
from kitab.patrons.models import Patron, card_number_pattern

from .actors import desk_branch, holds, requires, set_desk_branch, staff_actor
from .forms import CardScanForm, CheckinForm, CheckoutForm, HoldForm, item_by_barcode, patron_by_card
from .views import staff_required
from .views_patrons import patron_overview

MAX_RESULTS = 20
CHECKIN_RESULTS = "kitab_desk_checkin"


def new_key() -> str:
    """A fresh idempotency key for one rendering of a scan form."""
    return f"staff-{uuid.uuid4().hex}"


def _results_key(patron: Patron) -> str:
    return f"kitab_desk_patron_{patron.pk}"


def _remember(request: HttpRequest, session_key: str, result: dict[str, Any]) -> None:
    results = [r for r in request.session.get(session_key, []) if r.get("key") != result.get("key")]
    request.session[session_key] = [result, *results][:MAX_RESULTS]


def _recall(request: HttpRequest, session_key: str) -> list[dict[str, Any]]:
    results = []
    for stored in request.session.get(session_key, []):
        result = dict(stored)
        for name in ("due", "at"):
            if result.get(name):
                result[name] = datetime.fromisoformat(result[name])
        if result.get("override"):
            result["override_key"] = new_key()
        results.append(result)
    return results


def _item_label(item: Item) -> str:
    return item.record.title if item.record_id and item.record.title else ""


# ---- finding the patron -------------------------------------------------------------------------------------


@require_safe
@staff_required
@requires("patrons.view")
def desk(request: HttpRequest) -> HttpResponse:
    """Scan a card (or type a name): one match opens the patron's desk page, several are listed."""
    form = CardScanForm(request.GET or None)
    results: list[Patron] | None = None
    problem = ""
    if form.is_bound:
        if not form.is_valid():
            problem = _("Scan a patron card or type a name.")
        else:
            query = form.cleaned_data["card"].strip()
            patron = patron_by_card(query)
            if patron is not None:
                return redirect("staff:desk_patron", pk=patron.pk)
            results = list(patron_selectors.search_patrons(query))
            if len(results) == 1:
                return redirect("staff:desk_patron", pk=results[0].pk)
            if not results:
                if re.fullmatch(card_number_pattern(), query):
                    problem = _("No patron has the card number %(card)s.") % {"card": query}
                else:
                    problem = _("“%(query)s” is not a card number, and no patron's name matches it.") % {
                        "query": query}
    return render(request, "staff/desk.html", {"form": form, "results": results, "problem": problem})


@require_safe
@staff_required
@requires("patrons.view")
def desk_patron(request: HttpRequest, pk: int) -> HttpResponse:
    patron = get_object_or_404(Patron.objects.select_related("category", "home_branch"), pk=pk)
    context = patron_overview(patron)
    context.update(
        checkout_form=CheckoutForm(initial={"key": new_key()}),
        hold_form=HoldForm(initial={"key": new_key(), "pickup_branch": getattr(desk_branch(request), "pk", None)}),
        results=_recall(request, _results_key(patron)),
        may_checkout=holds(request, "circulation.checkout"),
        desk_branch=desk_branch(request),
    )
    return render(request, "staff/desk_patron.html", context)


# ---- lending and renewing -----------------------------------------------------------------------------------


def _refusal_details(patron: Patron, item: Item, request: HttpRequest) -> tuple[list[str], bool]:
    """Every reason the policy gives for refusing this loan, and whether this staff member may override them."""
    actor = staff_actor(request)
    try:
        decision = policy.can_checkout(patron, item, at=clock.now(), branch=desk_branch(request))
    except CirculationError:
        return [], False
    reasons = [message for _code, message in decision.refusals]
    return reasons, (not decision.allowed and decision.may_proceed(override=True, actor=actor))


@require_POST
@staff_required
@requires("circulation.checkout")
def desk_checkout(request: HttpRequest, pk: int) -> HttpResponse:
    patron = get_object_or_404(Patron, pk=pk)
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scan or type an item barcode."))
        return redirect("staff:desk_patron", pk=patron.pk)
    barcode = form.cleaned_data["barcode"].strip()
    key = form.cleaned_data["key"]
    override = form.cleaned_data["override"]
    result: dict[str, Any] = {"key": key, "barcode": barcode, "ok": False, "override": False}
    item = item_by_barcode(barcode)
    if item is None:
        result["message"] = _("No item has the barcode %(barcode)s.") % {"barcode": barcode}
    else:
        result["title"] = _item_label(item)
        at = clock.now()
        try:
            loan = services.checkout(item, patron, actor=staff_actor(request), at=at, override=override,
                                     idempotency_key=key)
        except CirculationError as error:
            result["message"] = error.message
            result["reasons"], result["override"] = _refusal_details(patron, item, request)
        else:
            result.update(ok=True, due=loan.due_at.isoformat(), overridden=bool(loan.override_code),
                          replayed=loan.issued_at != at)
            result["message"] = (_("Already checked out by this same scan.") if result["replayed"]
                                 else _("Checked out."))
    _remember(request, _results_key(patron), result)
    return redirect("staff:desk_patron", pk=patron.pk)


@require_POST
@staff_required
@requires("circulation.checkout")
def desk_renew(request: HttpRequest, pk: int) -> HttpResponse:
    """Renew the loan named by `loan`, or every current loan when `all` is sent."""
    patron = get_object_or_404(Patron, pk=pk)
    actor = staff_actor(request)
    at = clock.now()
    if request.POST.get("all"):
        outcomes = [(r.loan, r.renewed, r.message, r.due_at) for r in services.renew_all(patron, actor=actor, at=at)]
        if not outcomes:
            messages.info(request, _("The patron has nothing on loan to renew."))
    else:
        loan = Loan.objects.select_related("item__record").filter(
            pk=request.POST.get("loan") if str(request.POST.get("loan", "")).isdigit() else None,
            patron=patron).first()
        if loan is None:
            messages.error(request, _("This loan does not exist."))
            return redirect("staff:desk_patron", pk=patron.pk)
        try:
            renewed = services.renew(loan, actor=actor, at=at)
        except CirculationError as error:
            outcomes = [(loan, False, error.message, loan.due_at)]
        else:
            outcomes = [(renewed, True, _("Renewed."), renewed.due_at)]
    for loan, ok, message, due in reversed(outcomes):
        _remember(request, _results_key(patron), {
            "key": new_key(), "barcode": str(loan.item), "title": _item_label(loan.item), "ok": ok,
            "renewal": True, "message": message, "due": due.isoformat(), "override": False,
        })
    return redirect("staff:desk_patron", pk=patron.pk)


@require_POST
@staff_required
@requires("circulation.checkout")
def desk_hold(request: HttpRequest, pk: int) -> HttpResponse:
    """Place a hold for the patron on the record of a scanned copy (any copy of it will do)."""
    patron = get_object_or_404(Patron, pk=pk)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scan or type the barcode of a copy of the wanted title, and choose where to "
                                  "collect it."))
        return redirect("staff:desk_patron", pk=patron.pk)
    barcode = form.cleaned_data["barcode"].strip()
    item = item_by_barcode(barcode)
    if item is None:
        messages.error(request, _("No item has the barcode %(barcode)s.") % {"barcode": barcode})
        return redirect("staff:desk_patron", pk=patron.pk)
    try:
        hold = hold_services.place_hold(patron, item.record, pickup_branch=form.cleaned_data["pickup_branch"],
                                        actor=staff_actor(request), at=clock.now(),
                                        idempotency_key=form.cleaned_data["key"])
    except HoldError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Hold placed on “%(title)s”: number %(position)s in the queue.") % {
            "title": _item_label(item) or str(item), "position": hold.position})
    return redirect("staff:desk_patron", pk=patron.pk)


# ---- taking items back --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
@requires("circulation.checkout")
def checkin(request: HttpRequest) -> HttpResponse:
    """Scan returned items at the desk branch: each shows where it goes next and any fine it ran up."""
    if request.method == "POST":
        form = CheckinForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Scan or type an item barcode."))
            return redirect("staff:checkin")
        barcode, key = form.cleaned_data["barcode"].strip(), form.cleaned_data["key"]
        result: dict[str, Any] = {"key": key, "barcode": barcode, "ok": False, "at": clock.now().isoformat()}
        item = item_by_barcode(barcode)
        if item is None:
            result["message"] = _("No item has the barcode %(barcode)s.") % {"barcode": barcode}
        else:
            result["title"] = _item_label(item)
            try:
                outcome = services.checkin(item, actor=staff_actor(request), at=clock.now(), idempotency_key=key)
            except CirculationError as error:
                result["message"] = error.message
            else:
                loan = outcome.loan
                result.update(ok=True, patron=str(loan.patron), patron_pk=loan.patron_id,
                              fine=str(outcome.fine.amount) if outcome.fine else "",
                              destination=outcome.destination)
                hold = outcome.hold
                if outcome.destination == Destination.HOLD_SHELF and hold is not None:
                    result["message"] = _("Put it on the hold shelf for %(patron)s.") % {"patron": str(hold.patron)}
                    result["hold"] = True
                elif outcome.destination == Destination.TRANSIT and outcome.transfer is not None and hold is not None:
                    result["message"] = _("In transit to %(branch)s for the hold of %(patron)s.") % {
                        "branch": outcome.transfer.to_branch.name, "patron": str(hold.patron)}
                    result["hold"] = True
                elif outcome.destination == Destination.TRANSIT and outcome.transfer is not None:
                    result["message"] = _("In transit to %(branch)s.") % {"branch": outcome.transfer.to_branch.name}
                elif outcome.destination == Destination.SHELVE:
                    result["message"] = _("Shelve it here.")
                else:
                    result["message"] = str(outcome.destination)
        _remember(request, CHECKIN_RESULTS, result)
        return redirect("staff:checkin")
    context = {"form": CheckinForm(initial={"key": new_key()}), "results": _recall(request, CHECKIN_RESULTS),
               "desk_branch": desk_branch(request)}
    return render(request, "staff/checkin.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
@requires("circulation.checkout")
def transits(request: HttpRequest) -> HttpResponse:
    """Items on their way to (and from) a branch, with a button to receive each one."""
    branch = desk_branch(request)
    chosen = request.GET.get("branch")
    if chosen:
        branch = Branch.objects.filter(code=chosen).first() or branch
    if request.method == "POST":
        item = Item.objects.filter(pk=request.POST.get("item") if str(request.POST.get("item", "")).isdigit()
                                   else None).first()
        if item is None:
            messages.error(request, _("This item does not exist."))
        else:
            try:
                services.receive_transfer(item, actor=staff_actor(request, branch), at=clock.now())
            except CirculationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Item %(barcode)s received.") % {"barcode": str(item)})
        return redirect(f"{request.path}?branch={branch.code}" if branch else request.path)
    context: dict[str, Any] = {"branch": branch, "branches": alphabetical(Branch.objects.order_by("name", "code"), key=lambda b: b.name)}
    if branch is not None:
        context["incoming"] = list(circulation_selectors.transit_list(branch).select_related("item__record"))
        context["outgoing"] = list(circulation_selectors.transit_list(branch, outgoing=True)
                                   .select_related("item__record"))
    return render(request, "staff/transits.html", context)


@require_POST
@staff_required
def set_branch(request: HttpRequest) -> HttpResponse:
    """The header's branch picker: the desk branch for this session."""
    branch = Branch.objects.filter(code=request.POST.get("branch", "")).first()
    if branch is None:
        messages.error(request, _("Unknown branch."))
    else:
        set_desk_branch(request, branch)
        messages.success(request, _("You are now working at %(branch)s.") % {"branch": branch.name})
    return redirect(safe_target(request, request.POST.get("next", ""), "staff:desk"))
