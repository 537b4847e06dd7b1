"""Hold writes: placing, cancelling, suspending, reordering, trapping returned copies, expiry.

Locks are taken in one order everywhere so two desks never wait on each other: the item row first (when a
copy is involved), then the record row, which stands for the record's whole hold queue, then the holds.
`_set_status` is the only code that assigns `hold.status`; it writes a HoldEvent for every change.

Where copies meet holds:
- circulation.services.checkin calls `trap_for_checkin` inside its transaction: the copy goes on the hold
  shelf here (the hold is ready) or in transit to the pickup branch (the hold is in transit);
- circulation.services.receive_transfer calls `transfer_received`: a copy arriving for a hold goes on the hold
  shelf, any other copy arriving is offered to the queue first;
- circulation.services.checkout calls `fulfil_on_checkout`: the patron's own live hold on the record is
  fulfilled (policy.can_checkout refuses a copy set aside for someone else);
- `trap_item` is the desk scanning a copy pulled from the shelf (selectors.holds_to_pull).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kitab.catalogue.models import Record
from kitab.circulation.models import Loan, Transfer
from kitab.circulation.transitions import availability_changed
from kitab.core.actor import Actor
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron

from . import policy, selectors
from .errors import HoldError
from .models import Hold, HoldEvent

S = Hold.Status
HOLD_SHELF = "hold_shelf"
TRANSIT = "transit"


@dataclass(frozen=True, slots=True)
class Trap:
    """A copy set aside for a hold: on the hold shelf here, or in transit to the pickup branch."""

    hold: Hold
    destination: str  # "hold_shelf" or "transit"
    transfer: Transfer | None


@dataclass(slots=True)
class ExpiryReport:
    expired_unfilled: list[int] = field(default_factory=list)  # hold ids
    expired_uncollected: list[int] = field(default_factory=list)
    retrapped: list[int] = field(default_factory=list)  # holds that got the copy of an uncollected one
    resumed: list[int] = field(default_factory=list)


def _set_status(hold: Hold, status: str, action: str, *, actor: Actor, at: datetime, note: str = "",
                **fields: object) -> None:
    source = hold.status
    hold.status = status
    for name, value in fields.items():
        setattr(hold, name, value)
    hold.save()
    HoldEvent.objects.create(hold=hold, action=action, from_status=source, to_status=status, at=at, note=note,
                             **HoldEvent.audit(actor))


def _lock_item(item: Item) -> Item:
    return Item.objects.select_for_update(of=("self",)).select_related("holding_branch").get(pk=item.pk)


def _lock_queue(record_id: int) -> None:
    list(Record.objects.select_for_update().filter(pk=record_id).values_list("pk", flat=True))


def _lock_hold(hold: Hold) -> Hold:
    return Hold.objects.select_for_update(of=("self",)).select_related("patron__category", "pickup_branch").get(
        pk=hold.pk)


def _renumber(record_id: int) -> None:
    """Positions 1..n for the queued holds of a record, keeping their order."""
    queued = Hold.objects.queued().filter(record_id=record_id).order_by("position", "placed_at", "pk")
    for number, hold in enumerate(queued, start=1):
        if hold.position != number:
            Hold.objects.filter(pk=hold.pk).update(position=number)


def _key_reused() -> HoldError:
    return HoldError("idempotency_key_reused", _("This request key was already used for a different request."))


@transaction.atomic
def place_hold(patron: Patron, record: Record, *, pickup_branch: Branch, actor: Actor, at: datetime,
               item: Item | None = None, expires_at: datetime | None = None, idempotency_key: str | None = None,
               override: bool = False) -> Hold:
    """Put `patron` in the queue for `record` (any copy), or for its copy `item`, to collect at `pickup_branch`.

    The hold goes to the end of the queue. `expires_at` ends it if no copy was set aside by then.
    `override=True` goes past refusals the actor may override. A repeated call with the same
    `idempotency_key` returns the first hold.

    Raises HoldError with policy.can_place_hold's refusal code (patron_anonymised, card_expired,
    patron_blocked, overdue_items, fines_over_limit, pickup_not_allowed, item_not_of_record,
    record_has_no_items, item_not_holdable, holds_not_allowed, max_holds_reached, hold_exists,
    already_borrowed, invalid_expiry) or idempotency_key_reused.
    """
    _lock_queue(record.pk)
    if idempotency_key:
        earlier = Hold.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.patron_id != patron.pk or earlier.record_id != record.pk:
                raise _key_reused()
            return earlier
    # The patron row is locked too, so two holds placed at once cannot both pass max_holds.
    patron = Patron.objects.select_for_update(of=("self",)).select_related("category").get(pk=patron.pk)
    decision = policy.can_place_hold(patron, record, pickup_branch=pickup_branch, at=at, item=item,
                                     expires_at=expires_at)
    if not decision.may_proceed(override=override, actor=actor):
        raise HoldError(decision.code, decision.message)
    hold = Hold(patron=patron, record=record, item=item, pickup_branch=pickup_branch, placed_at=at,
                expires_at=expires_at, idempotency_key=idempotency_key or None,
                position=Hold.objects.queued().filter(record=record).count() + 1, **Hold.audit(actor))
    note = "" if decision.allowed else ",".join(code for code, _m in decision.refusals)
    _set_status(hold, S.WAITING, "place", actor=actor, at=at, note=note and f"override:{note}")
    return hold


@transaction.atomic
def cancel_hold(hold: Hold, *, actor: Actor, at: datetime, reason: str) -> Hold:
    """Cancel a live hold. A copy waiting on the hold shelf for it goes to the next hold, or back to the shelf
    (home, in transit, when the pickup branch is not its home). A copy already on its way to the pickup branch
    is dealt with when it arrives (transfer_received).

    Raises HoldError: missing_reason, hold_not_active."""
    if not reason.strip():
        raise HoldError("missing_reason", _("Give a reason for cancelling the hold."))
    hold = _lock_hold_and_copy(hold)
    if not hold.is_active():
        raise HoldError("hold_not_active", _("This hold is no longer active (%(status)s).")
                        % {"status": hold.get_status_display()})
    source = hold.status
    _set_status(hold, S.CANCELLED, "cancel", actor=actor, at=at, note=reason.strip(), position=0, cancelled_at=at,
                cancelled_by=actor.label(), cancellation_reason=reason.strip())
    if source == S.READY and hold.trapped_item is not None:
        _release(hold.trapped_item, actor=actor, at=at)
    _renumber(hold.record_id)
    return hold


def _lock_hold_and_copy(hold: Hold) -> Hold:
    """Lock in the global order: the copy set aside (if any), the queue, then the hold."""
    item = None
    if hold.trapped_item_id is not None:
        item = _lock_item(Item(pk=hold.trapped_item_id))
    _lock_queue(hold.record_id)
    locked = _lock_hold(hold)
    if item is not None and locked.trapped_item_id == item.pk:
        locked.trapped_item = item
    return locked


def _check_queued(hold: Hold) -> None:
    if hold.status not in Hold.QUEUED:
        raise HoldError("hold_not_queued", _("Only holds still waiting for a copy can be changed this way "
                                             "(this one is %(status)s).") % {"status": hold.get_status_display()})


@transaction.atomic
def suspend_hold(hold: Hold, *, until: date | None, actor: Actor, at: datetime) -> Hold:
    """Keep the hold's place in the queue without filling it until `until` (None: until it is resumed).

    Raises HoldError: hold_not_queued (a copy is already set aside, or it ended), invalid_date (not after
    today)."""
    _lock_queue(hold.record_id)
    hold = _lock_hold(hold)
    _check_queued(hold)
    if until is not None and until <= timezone.localdate(at):
        raise HoldError("invalid_date", _("The suspension must end after today."))
    _set_status(hold, S.SUSPENDED, "suspend", actor=actor, at=at, suspended_until=until,
                note=until.isoformat() if until else "")
    return hold


@transaction.atomic
def resume_hold(hold: Hold, *, actor: Actor, at: datetime) -> Hold:
    """End a suspension now. Raises HoldError hold_not_suspended."""
    _lock_queue(hold.record_id)
    hold = _lock_hold(hold)
    if hold.status != S.SUSPENDED:
        raise HoldError("hold_not_suspended", _("This hold is not suspended."))
    _set_status(hold, S.WAITING, "resume", actor=actor, at=at, suspended_until=None)
    return hold


@transaction.atomic
def reorder_hold(hold: Hold, *, new_position: int, actor: Actor, at: datetime) -> Hold:
    """Move a queued hold to `new_position` (1 = next) in its record's queue; the others keep their order.

    Staff only (the adapter authorises). Raises HoldError: hold_not_queued, invalid_position."""
    _lock_queue(hold.record_id)
    hold = _lock_hold(hold)
    _check_queued(hold)
    queue = [h.pk for h in Hold.objects.queued().filter(record_id=hold.record_id)
             .order_by("position", "placed_at", "pk")]
    if not 1 <= new_position <= len(queue):
        raise HoldError("invalid_position", _("The position must be between 1 and %(count)s.")
                        % {"count": len(queue)})
    source = hold.position
    queue.remove(hold.pk)
    queue.insert(new_position - 1, hold.pk)
    for number, pk in enumerate(queue, start=1):
        Hold.objects.filter(pk=pk).update(position=number)
    hold.position = new_position
    HoldEvent.objects.create(hold=hold, action="reorder", from_status=hold.status, to_status=hold.status, at=at,
                             note=f"{source}->{new_position}", **HoldEvent.audit(actor))
    return hold


def _candidates(item: Item, at: datetime) -> list[Hold]:
    """Holds `item` could fill, in the order they get it: holds on this very copy, then the record's queue."""
    holds = (Hold.objects.eligible(timezone.localdate(at)).filter(record_id=item.record_id)
             .filter(Q(item__isnull=True) | Q(item=item)).exclude(expires_at__lte=at)
             .select_related("patron__category", "pickup_branch"))
    return sorted(holds, key=lambda h: (h.item_id is None, h.position, h.placed_at, h.pk))


def _trap(item: Item, *, branch: Branch, actor: Actor, at: datetime, transfer: Transfer | None = None) -> Trap | None:
    """Set aside the locked, free `item`, now at `branch`, for the first hold it may fill.

    `transfer` is the open transfer home that a check-in just created (not sent yet): it is dropped when the
    copy stays here for the hold, or sent to the pickup branch instead."""
    _lock_queue(item.record_id)
    hold = next((h for h in _candidates(item, at) if policy.may_fill(h, item, at_branch=branch)), None)
    if hold is None:
        return None
    hold = _lock_hold(hold)
    item.holding_branch = branch
    if hold.pickup_branch_id == branch.pk:
        if transfer is not None:
            transfer.delete()  # created by this same check-in: the copy never left
            transfer = None
        item.status = Item.Status.ON_HOLD_SHELF
        _set_status(hold, S.READY, "trap", actor=actor, at=at, position=0, trapped_item=item, trapped_at=at,
                    ready_at=at, pickup_deadline=policy.pickup_deadline(branch, ready_at=at), suspended_until=None)
        destination = HOLD_SHELF
    else:
        if transfer is None:
            transfer = Transfer(item=item, from_branch=branch, sent_at=at, **Transfer.audit(actor))
        transfer.to_branch = hold.pickup_branch
        transfer.arrival_status = Item.Status.ON_HOLD_SHELF
        transfer.save()
        item.status = Item.Status.IN_TRANSIT
        _set_status(hold, S.IN_TRANSIT, "trap", actor=actor, at=at, position=0, trapped_item=item, trapped_at=at,
                    suspended_until=None)
        destination = TRANSIT
    item.save(update_fields=["status", "holding_branch"])
    _renumber(item.record_id)
    availability_changed(item)
    return Trap(hold=hold, destination=destination, transfer=transfer)


def trap_for_checkin(item: Item, *, actor: Actor, at: datetime, transfer: Transfer | None = None) -> Trap | None:
    """Offer a copy just checked in (locked by checkin, at its new holding branch) to the hold queue.

    Only a copy that would otherwise go back to the shelf is trapped (not one going back to a not-for-loan
    status). Runs inside checkin's transaction; returns None when no hold takes it."""
    free = (transfer.arrival_status if transfer is not None else item.status) == Item.Status.AVAILABLE
    if not free:
        return None
    # Most returns have no queue: one indexed probe spares them the queue lock and the candidate query. A hold
    # placed right after the probe does not need this copy: placing a hold never traps, the pull list finds it.
    if not selectors.record_has_queue(item.record_id):
        return None
    return _trap(item, branch=item.holding_branch, actor=actor, at=at, transfer=transfer)


@transaction.atomic
def trap_item(item: Item, *, actor: Actor, at: datetime) -> Trap | None:
    """The desk scanned a copy pulled from the shelf for the hold queue (selectors.holds_to_pull): set it
    aside for the first hold it may fill. Returns None when no hold wants it.

    Raises HoldError item_not_available (the copy is not on the shelf: on loan, already set aside...)."""
    item = _lock_item(item)
    if item.status != Item.Status.AVAILABLE:
        raise HoldError("item_not_available", _("Item %(barcode)s is not on the shelf (%(status)s).")
                        % {"barcode": str(item), "status": item.get_status_display()})
    return _trap(item, branch=item.holding_branch, actor=actor, at=at)


def _release(item: Item, *, actor: Actor, at: datetime) -> Trap | None:
    """A copy set aside for a hold that will not take it (cancelled, expired, filled otherwise): the next hold
    gets it, else it goes back to the shelf, in transit home when it is not at its home branch."""
    branch = item.holding_branch
    item.status = Item.Status.AVAILABLE
    trap = _trap(item, branch=branch, actor=actor, at=at)
    if trap is not None:
        return trap
    if item.home_branch_id != branch.pk:
        Transfer.objects.create(item=item, from_branch=branch, to_branch_id=item.home_branch_id, sent_at=at,
                                arrival_status=Item.Status.AVAILABLE, **Transfer.audit(actor))
        item.status = Item.Status.IN_TRANSIT
    item.save(update_fields=["status"])
    availability_changed(item)
    return None


def transfer_received(item: Item, transfer: Transfer, *, actor: Actor, at: datetime) -> Hold | None:
    """Called by circulation.receive_transfer (same transaction, item locked, already at its destination).

    A copy sent for a hold goes on the hold shelf and the hold is ready; if that hold was cancelled or filled
    on the way, the copy is released (next hold, or home). Any other copy arriving is offered to the queue.
    Returns the hold the copy now waits for, if any."""
    if transfer.arrival_status == Item.Status.ON_HOLD_SHELF:
        hold = Hold.objects.select_for_update(of=("self",)).filter(trapped_item=item, status=S.IN_TRANSIT).first()
        if hold is not None and hold.pickup_branch_id == transfer.to_branch_id:
            _set_status(hold, S.READY, "receive", actor=actor, at=at, ready_at=at,
                        pickup_deadline=policy.pickup_deadline(item.holding_branch, ready_at=at))
            return hold
        trap = _release(item, actor=actor, at=at)
        return trap.hold if trap is not None and trap.destination == HOLD_SHELF else None
    if item.status == Item.Status.AVAILABLE:
        trap = _trap(item, branch=item.holding_branch, actor=actor, at=at)
        return trap.hold if trap is not None and trap.destination == HOLD_SHELF else None
    return None


def fulfil_on_checkout(loan: Loan, *, actor: Actor, at: datetime) -> Hold | None:
    """Called by circulation.checkout (same transaction, item locked): the borrower's live hold on the record
    is fulfilled by this loan. A different copy left waiting for them on the hold shelf is released."""
    hold = (Hold.objects.active().filter(patron_id=loan.patron_id, record_id=loan.item.record_id)
            .select_for_update(of=("self",)).first())
    if hold is None:
        return None
    source, other_copy = hold.status, hold.trapped_item_id
    _set_status(hold, S.FULFILLED, "fulfil", actor=actor, at=at, position=0, fulfilled_at=at, loan=loan)
    if source in Hold.QUEUED:
        _renumber(hold.record_id)
    elif source == S.READY and other_copy is not None and other_copy != loan.item_id:
        _release(_lock_item(Item(pk=other_copy)), actor=actor, at=at)
    return hold


def expire_holds(*, at: datetime, actor: Actor) -> ExpiryReport:
    """The daily hold upkeep, each hold in its own transaction:

    - suspended holds whose date has come are resumed;
    - holds not filled by their `expires_at` expire;
    - holds not collected by their pickup deadline expire, and their copy goes to the next hold or back to the
      shelf (home, in transit, when it is elsewhere).
    """
    report = ExpiryReport()
    today = timezone.localdate(at)
    for hold in Hold.objects.filter(status=S.SUSPENDED, suspended_until__lte=today).order_by("pk"):
        with transaction.atomic():
            locked = _lock_hold(hold)
            if locked.status == S.SUSPENDED and locked.suspended_until and locked.suspended_until <= today:
                _set_status(locked, S.WAITING, "resume", actor=actor, at=at, suspended_until=None)
                report.resumed.append(locked.pk)
    for hold in Hold.objects.queued().filter(expires_at__lte=at).order_by("pk"):
        with transaction.atomic():
            _lock_queue(hold.record_id)
            locked = _lock_hold(hold)
            if locked.status in Hold.QUEUED:
                _set_status(locked, S.EXPIRED, "expire", actor=actor, at=at, position=0, expired_at=at)
                _renumber(locked.record_id)
                report.expired_unfilled.append(locked.pk)
    for hold in Hold.objects.filter(status=S.READY, pickup_deadline__lt=at).order_by("pickup_deadline", "pk"):
        with transaction.atomic():
            locked = _lock_hold_and_copy(hold)
            if not locked.is_past_pickup(at):
                continue
            _set_status(locked, S.EXPIRED, "expire", actor=actor, at=at, expired_at=at, expired_uncollected=True)
            report.expired_uncollected.append(locked.pk)
            if locked.trapped_item is not None:
                trap = _release(locked.trapped_item, actor=actor, at=at)
                if trap is not None:
                    report.retrapped.append(trap.hold.pk)
    return report
