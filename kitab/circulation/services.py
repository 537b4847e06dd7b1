"""Circulation writes: checkout, checkin, renewals, lost items, transfers.

Every service locks the item row first (select_for_update; SQLite serialises writers with BEGIN IMMEDIATE),
asks policy, and changes state only through transitions.apply, inside one transaction: a failure anywhere
leaves nothing half done. Reindexing runs on commit. Checkout and checkin accept an idempotency key, so a
retried request (a SIP2 terminal resending after a timeout) returns the first result and creates nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kitab.core import clock
from kitab.core.actor import Actor
from kitab.holds import services as holds
from kitab.holds.models import Hold
from kitab.items.models import Branch, Item, ItemType
from kitab.patrons.models import Patron, PatronCategory

from . import cache, policy, rows, transitions
from .errors import CirculationError
from .models import FineEntry, Loan, Transfer


def _lock_item(item: Item) -> Item:
    locked, token = rows.lock_item(item.pk)
    cache.adopt(token)  # read with the lock: the settings cache needs no query of its own
    # Its branch and item type come from the settings cache: no join on every scan.
    snapshot = cache.current()
    locked.holding_branch = snapshot.row(Branch, locked.holding_branch_id)
    locked.item_type = snapshot.row(ItemType, locked.item_type_id)
    return locked


def _desk_branch(actor: Actor, item: Item) -> Branch:
    """The branch the actor works at, else where the item is (a cron job or CLI acting "where the item is")."""
    if not actor.branch_code or actor.branch_code == item.holding_branch.code:
        return item.holding_branch
    branch = cache.current().branch_by_code(actor.branch_code)
    if branch is None:
        raise CirculationError("unknown_branch", _("Unknown branch: %(code)s.") % {"code": actor.branch_code})
    return branch


def _key_reused() -> CirculationError:
    return CirculationError("idempotency_key_reused",
                            _("This request key was already used for a different request."))


def _refuse_unless_overridden(decision: policy.Decision, *, override: bool, actor: Actor) -> str:
    """Raise the refusal unless the actor overrides it; returns the overridden code ("" when allowed)."""
    if decision.may_proceed(override=override, actor=actor):
        return "" if decision.allowed else ",".join(code for code, _m in decision.refusals)[:40]
    raise CirculationError(decision.code, decision.message)


@transaction.atomic
@cache.pinned
def checkout(item: Item, patron: Patron, *, actor: Actor, at: datetime | None = None, override: bool = False,
             idempotency_key: str | None = None) -> Loan:
    """Lend `item` to `patron` at the actor's branch (the item's current branch when the actor has none).

    `override=True` goes past refusals the actor may override (Actor.may_override); the overridden codes are
    kept on the loan. A repeated call with the same `idempotency_key` returns the first loan.

    Raises CirculationError with the refusal code of policy.can_checkout (item_on_loan, item_lost,
    item_in_transit, item_on_hold_shelf, item_not_loanable, patron_anonymised, card_expired, patron_blocked,
    overdue_items, fines_over_limit, max_loans_reached), or idempotency_key_reused, unknown_branch;
    ConfigurationError no_circulation_rule, no_open_day.
    """
    at = at or clock.now()
    item = _lock_item(item)
    if idempotency_key:
        earlier = Loan.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.item_id != item.pk or earlier.patron_id != patron.pk:
                raise _key_reused()
            return earlier
    # The patron row is locked too, so two desks lending to one patron cannot both pass max_loans.
    patron = rows.lock_patron(patron.pk)
    patron.category = cache.current().row(PatronCategory, patron.category_id)
    branch = _desk_branch(actor, item)
    decision = policy.can_checkout(patron, item, at=at, branch=branch)
    overridden = _refuse_unless_overridden(decision, override=override, actor=actor)
    loan = Loan(item=item, patron=patron, branch=branch, due_at=decision.due_at, issued_at=at,
                idempotency_key=idempotency_key or None)
    transitions.apply(loan, "checkout", actor=actor, at=at, due_at=decision.due_at, override_code=overridden,
                      patron_flags=decision.patron_flags)
    # The policy read whether the patron holds this title (same query as their loan counts; the patron row
    # is locked, so no hold of theirs can appear since): most loans fill no hold and skip the hold queue.
    if decision.hold_on_record is not False:
        holds.fulfil_on_checkout(loan, actor=actor, at=at)
    return loan


@dataclass(frozen=True, slots=True)
class CheckinResult:
    loan: Loan
    fine: FineEntry | None  # the overdue fine settled at this return, if any
    destination: str  # transitions.Destination: "shelve", "transit" or "hold_shelf"
    transfer: Transfer | None
    replayed: bool = False  # True when an idempotency key returned an earlier result
    hold: Hold | None = None  # the hold the copy was set aside for (on the hold shelf, or in transit to it)


def _replay_checkin(loan: Loan) -> CheckinResult:
    transfer = loan.transfers.order_by("pk").first()
    fine = loan.fine_entries.filter(kind=FineEntry.Kind.OVERDUE, is_running=False).order_by("-pk").first()
    destination = transitions.Destination.TRANSIT if transfer else transitions.Destination.SHELVE
    hold = Hold.objects.filter(trapped_item=loan.item_id, trapped_at=loan.returned_at).first()
    if hold is not None and transfer is None:
        destination = transitions.Destination.HOLD_SHELF
    return CheckinResult(loan=loan, fine=fine, destination=destination, transfer=transfer, replayed=True, hold=hold)


@transaction.atomic
@cache.pinned
def checkin(item: Item, *, actor: Actor, at: datetime | None = None, idempotency_key: str | None = None) -> CheckinResult:
    """Take back `item` at the actor's branch (else where it was lent): the loan closes, the overdue fine is
    settled, and the item is shelved, or put in transit to its home branch when returned elsewhere.
    A lost item coming back has its unpaid lost charge credited. A copy a hold is waiting for is set aside
    instead (kitab.holds.services.trap_for_checkin): on the hold shelf here, or in transit to the pickup branch.

    Raises CirculationError: not_on_loan, idempotency_key_reused, unknown_branch.
    """
    at = at or clock.now()
    item = _lock_item(item)
    if idempotency_key:
        earlier = Loan.objects.filter(return_idempotency_key=idempotency_key).first()
        if earlier is not None:
            if earlier.item_id != item.pk:
                raise _key_reused()
            return _replay_checkin(earlier)
    # Patron, category and rule are only loaded when the return is late (close_overdue needs the rule).
    loan = rows.open_loan(item.pk)
    if loan is None:
        raise CirculationError("not_on_loan", _("Item %(barcode)s is not on loan.") % {"barcode": str(item)})
    loan.item = item
    loan.return_idempotency_key = idempotency_key or None
    branch = _desk_branch(actor, item)
    ctx = transitions.apply(loan, "checkin", actor=actor, at=at, branch=branch)
    trap = holds.trap_for_checkin(item, actor=actor, at=at, transfer=ctx.result.get("transfer"))
    if trap is not None:
        return CheckinResult(loan=loan, fine=ctx.result.get("fine"), destination=trap.destination,
                             transfer=trap.transfer, hold=trap.hold)
    return CheckinResult(loan=loan, fine=ctx.result.get("fine"), destination=ctx.result["destination"],
                         transfer=ctx.result.get("transfer"))


def _lock_loan(loan: Loan) -> Loan:
    item = _lock_item(loan.item)
    locked = (Loan.objects.select_for_update(of=("self",)).select_related("patron__category", "branch")
              .get(pk=loan.pk))
    locked.item = item
    return locked


@transaction.atomic
@cache.pinned
def renew(loan: Loan, *, actor: Actor, at: datetime | None = None, override: bool = False) -> Loan:
    """Extend `loan` by the rule's renewal period (counted from `at`, never shortening the loan).

    Raises CirculationError with policy.can_renew's refusal code (loan_not_open, patron_anonymised,
    card_expired, patron_blocked, fines_over_limit, no_renewals_left, renewal_blocked_by_hold)."""
    at = at or clock.now()
    loan = _lock_loan(loan)
    decision = policy.can_renew(loan, at=at)
    overridden = _refuse_unless_overridden(decision, override=override, actor=actor)
    transitions.apply(loan, "renew", actor=actor, at=at, due_at=decision.due_at, override_code=overridden)
    return loan


@dataclass(frozen=True, slots=True)
class RenewResult:
    loan: Loan
    renewed: bool
    code: str  # "ok" or the refusal code
    message: str
    due_at: datetime


def renew_all(patron: Patron, *, actor: Actor, at: datetime | None = None) -> list[RenewResult]:
    """Try to renew every current loan of `patron` (no overrides); each loan renews or not on its own."""
    at = at or clock.now()
    results: list[RenewResult] = []
    for loan in Loan.objects.current().filter(patron=patron).order_by("due_at", "pk"):
        try:
            renewed = renew(loan, actor=actor, at=at)
        except CirculationError as refusal:
            results.append(RenewResult(loan, False, refusal.code, refusal.message, loan.due_at))
        else:
            results.append(RenewResult(renewed, True, "ok", _("Renewed."), renewed.due_at))
    return results


@transaction.atomic
@cache.pinned
def mark_lost(loan: Loan, *, actor: Actor, at: datetime) -> Loan:
    """Declare the item of `loan` lost: the overdue fine so far is closed and the rule's lost item charge
    added; the item's status becomes lost. Raises CirculationError invalid_transition (loan not on loan)."""
    loan = _lock_loan(loan)
    transitions.apply(loan, "mark_lost", actor=actor, at=at)
    return loan


@transaction.atomic
def receive_transfer(item: Item, *, actor: Actor, at: datetime) -> Transfer:
    """An item in transit arrived: the transfer closes and the item is available at its destination, or on
    the hold shelf when it was sent for a hold (kitab.holds.services.transfer_received).

    Raises CirculationError not_in_transit."""
    item = _lock_item(item)
    transfer = Transfer.objects.select_for_update().filter(item=item, received_at__isnull=True).first()
    if transfer is None or item.status != Item.Status.IN_TRANSIT:
        raise CirculationError("not_in_transit", _("Item %(barcode)s is not in transit.") % {"barcode": str(item)})
    transfer.received_at = at
    transfer.received_by = actor.label()
    transfer.save(update_fields=["received_at", "received_by"])
    item.status = transfer.arrival_status
    item.holding_branch_id = transfer.to_branch_id
    item.save(update_fields=["status", "holding_branch"])
    holds.transfer_received(item, transfer, actor=actor, at=at)
    transitions.availability_changed(item)
    return transfer
