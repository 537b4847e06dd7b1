"""Staff hold pages: the branch's pull list and hold shelf, and one title's queue (reorder, suspend, resume,
cancel with a reason). Each POST parses its form, calls one kitab.holds service and redirects back."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kitab.catalogue.models import Record
from kitab.core import clock
from kitab.holds import selectors, services
from kitab.holds.errors import HoldError
from kitab.holds.models import Hold
from kitab.items.models import Item

from .actors import desk_branch, holds, requires, staff_actor
from .forms import item_by_barcode
from .views import staff_required

CHANGE = "circulation.checkout"


@require_safe
@staff_required
@requires("patrons.view")
def branch_holds(request: HttpRequest) -> HttpResponse:
    """Copies to pull from the shelves of the desk branch for waiting holds, and its hold shelf."""
    branch = desk_branch(request)
    if branch is None:
        return render(request, "staff/holds.html", {"branch": None})
    to_pull = list(selectors.holds_to_pull(branch))
    # The copies on the shelf here that each waiting hold could take (a record-level hold: any of them).
    record_ids = {hold.record_id for hold in to_pull if hold.item_id is None}
    shelf: dict[int, list[Item]] = {}
    for item in (Item.objects.filter(record_id__in=record_ids, holding_branch=branch, status=Item.Status.AVAILABLE)
                 .order_by("call_number", "barcode")):
        shelf.setdefault(item.record_id, []).append(item)
    for hold in to_pull:
        hold.copies = [hold.item] if hold.item_id else shelf.get(hold.record_id, [])  # type: ignore[attr-defined]
    at = clock.now()
    waiting = list(selectors.hold_shelf(branch))
    for hold in waiting:
        hold.past_deadline = hold.is_past_pickup(at)  # type: ignore[attr-defined]
    return render(request, "staff/holds.html", {"branch": branch, "to_pull": to_pull, "hold_shelf": waiting,
                                                "may_change": holds(request, CHANGE)})


@require_POST
@staff_required
@requires(CHANGE)
def trap_scanned(request: HttpRequest) -> HttpResponse:
    """A copy pulled from the shelf was scanned: set it aside for the first hold it may fill."""
    barcode = request.POST.get("barcode", "").strip()
    item = item_by_barcode(barcode) if barcode else None
    if item is None:
        messages.error(request, _("No item has the barcode %(barcode)s.") % {"barcode": barcode}
                       if barcode else _("Scan or type an item barcode."))
        return redirect("staff:holds")
    try:
        trap = services.trap_item(item, actor=staff_actor(request), at=clock.now())
    except HoldError as error:
        messages.error(request, error.message)
    else:
        if trap is None:
            messages.info(request, _("No hold is waiting for item %(barcode)s: put it back on the shelf.")
                          % {"barcode": str(item)})
        elif trap.destination == services.HOLD_SHELF:
            messages.success(request, _("Item %(barcode)s is set aside on the hold shelf for %(patron)s.")
                             % {"barcode": str(item), "patron": trap.hold.patron})
        else:
            messages.success(request, _("Item %(barcode)s goes in transit to %(branch)s for %(patron)s.")
                             % {"barcode": str(item), "branch": trap.hold.pickup_branch.name,
                                "patron": trap.hold.patron})
    return redirect("staff:holds")


@require_safe
@staff_required
@requires("patrons.view")
def record_queue(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone waiting for one title, in order, with the staff actions on each hold."""
    record = get_object_or_404(Record, pk=pk)
    return render(request, "staff/hold_queue.html", {
        "record": record, "queue": list(selectors.queue_for(record)), "may_change": holds(request, CHANGE),
        "today": timezone.localdate(clock.now())})


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_POST
@staff_required
@requires(CHANGE)
def hold_action(request: HttpRequest, pk: int) -> HttpResponse:
    """One change to one hold: move it in the queue, suspend, resume or cancel it."""
    hold = get_object_or_404(Hold, pk=pk)
    action, actor, at = request.POST.get("action", ""), staff_actor(request), clock.now()
    try:
        if action == "move":
            position = request.POST.get("position", "")
            if not position.strip().isdigit():
                raise HoldError("invalid_position", _("Give the new position as a number."))
            services.reorder_hold(hold, new_position=int(position), actor=actor, at=at)
            messages.success(request, _("The hold of %(patron)s is now number %(position)s in the queue.")
                             % {"patron": hold.patron, "position": int(position)})
        elif action == "suspend":
            raw = request.POST.get("until", "").strip()
            until = _parse_date(raw)
            if raw and until is None:
                raise HoldError("invalid_date", _("Give the date as YYYY-MM-DD."))
            services.suspend_hold(hold, until=until, actor=actor, at=at)
            messages.success(request, _("The hold of %(patron)s is suspended.") % {"patron": hold.patron})
        elif action == "resume":
            services.resume_hold(hold, actor=actor, at=at)
            messages.success(request, _("The hold of %(patron)s is active again.") % {"patron": hold.patron})
        elif action == "cancel":
            services.cancel_hold(hold, actor=actor, at=at, reason=request.POST.get("reason", ""))
            messages.success(request, _("The hold of %(patron)s is cancelled.") % {"patron": hold.patron})
        else:
            messages.error(request, _("Unknown action."))
    except HoldError as error:
        messages.error(request, error.message)
    return redirect("staff:hold_queue", pk=hold.record_id)
