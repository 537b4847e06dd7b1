"""The loan state machine: a declarative table plus one small class per transition.

    NEW      --checkout-->  ON_LOAN    Checkout: dates set; the item goes on loan
    ON_LOAN  --renew----->  ON_LOAN    Renew: fine so far closed, renewal counted, new due date
    ON_LOAN  --checkin--->  RETURNED   Return: overdue fine settled; the item is shelved or sent home
    ON_LOAN  --mark_lost->  LOST       MarkLost: overdue fine closed, lost charge; the item is lost
    LOST     --checkin--->  RETURNED   ReturnLost: the lost charge still owed is cancelled; shelved or sent home

`apply(loan, trigger, actor=, at=)` is the only code that assigns `loan.status`. It runs the transition's
`before()` (validate, compute), sets the status, saves the loan, writes a LoanEvent (who, when, channel),
then runs `after()` (the item, the fine ledger, the search index queue). Callers hold the item row lock and
an open transaction; apply does no authorisation (adapters do that) and no policy (services ask policy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from kitab.core.actor import Actor
from kitab.items.models import Branch, Item

from . import fines, rows, signals
from .errors import CirculationError
from .models import Loan, LoanEvent, Transfer

S = Loan.Status


class Destination:
    """Where a returned item goes next (kitab.holds sets aside copies for holds: the hold shelf, or transit)."""

    SHELVE = "shelve"
    TRANSIT = "transit"
    HOLD_SHELF = "hold_shelf"


@dataclass
class Context:
    actor: Actor
    at: datetime
    params: dict[str, Any]
    # Filled in by transitions for the service's result: "fine", "destination", "transfer".
    result: dict[str, Any] = field(default_factory=dict)


class Transition:
    def __init__(self, source: str, trigger: str, dest: str) -> None:
        self.source, self.trigger, self.dest = source, trigger, dest

    def before(self, loan: Loan, ctx: Context) -> None:
        """Validate and compute; raise CirculationError to stop before anything is written."""

    def after(self, loan: Loan, ctx: Context) -> None:
        """Side effects once the loan is saved in its new state (same transaction)."""


def availability_changed(item: Item) -> None:
    """Queue the item's record for reindexing (same transaction) and index it once the transaction commits."""
    from kitab.search import services as search

    search.queue([item.record_id])
    if getattr(settings, "KITAB_INDEX_AFTER_CIRCULATION", True):
        transaction.on_commit(search.index_pending_soon)


def _shelve_or_send_home(loan: Loan, ctx: Context, branch: Branch) -> None:
    """The automatic part of a return: back on the shelf here, or in transit to the item's home branch."""
    item = loan.item
    settled = loan.prior_item_status or Item.Status.AVAILABLE
    if item.home_branch_id != branch.pk:
        transfer = Transfer.objects.create(item=item, loan=loan, from_branch=branch, to_branch_id=item.home_branch_id,
                                           sent_at=ctx.at, arrival_status=settled, **Transfer.audit(ctx.actor))
        item.status = Item.Status.IN_TRANSIT
        ctx.result.update(destination=Destination.TRANSIT, transfer=transfer)
    else:
        item.status = settled
        ctx.result.update(destination=Destination.SHELVE, transfer=None)
    item.holding_branch = branch
    rows.update(item, ("status", "holding_branch"))
    availability_changed(item)


class Checkout(Transition):
    def before(self, loan: Loan, ctx: Context) -> None:
        loan.issued_at = ctx.at
        loan.due_at = ctx.params["due_at"]
        loan.override_code = ctx.params.get("override_code", "")
        # A copy collected from the hold shelf is an ordinary copy again once returned.
        if loan.item.status not in (Item.Status.AVAILABLE, Item.Status.ON_HOLD_SHELF):
            loan.prior_item_status = loan.item.status

    def after(self, loan: Loan, ctx: Context) -> None:
        item = loan.item
        item.status = Item.Status.ON_LOAN
        item.holding_branch_id = loan.branch_id
        rows.update(item, ("status", "holding_branch"))
        availability_changed(item)
        # Reactions in other apps (reading history, statistics); robust: a failing receiver is logged and
        # never undoes or fails a loan that has already committed.
        actor, at, flags = ctx.actor, ctx.at, ctx.params.get("patron_flags")
        transaction.on_commit(lambda: signals.loan_checked_out.send(Loan, loan=loan, actor=actor, at=at,
                                                                    patron_flags=flags), robust=True)


class Renew(Transition):
    def before(self, loan: Loan, ctx: Context) -> None:
        due = ctx.params["due_at"]
        if due < loan.due_at:
            raise CirculationError("invalid_transition", _("A renewal cannot bring the due date forward."))
        # A renewed overdue loan keeps the fine it ran up so far; a later overdue starts a new fine row.
        ctx.result["fine"] = fines.close_overdue(loan, until=ctx.at, actor=ctx.actor)
        loan.renewals += 1
        loan.due_at = due
        loan.override_code = ctx.params.get("override_code", "")


class Return(Transition):
    def before(self, loan: Loan, ctx: Context) -> None:
        loan.returned_at = ctx.at
        loan.returned_branch = ctx.params["branch"]

    def after(self, loan: Loan, ctx: Context) -> None:
        ctx.result["fine"] = fines.close_overdue(loan, until=ctx.at, actor=ctx.actor)
        _shelve_or_send_home(loan, ctx, ctx.params["branch"])


class MarkLost(Transition):
    def before(self, loan: Loan, ctx: Context) -> None:
        loan.lost_at = ctx.at

    def after(self, loan: Loan, ctx: Context) -> None:
        ctx.result["fine"] = fines.close_overdue(loan, until=ctx.at, actor=ctx.actor)
        ctx.result["charge"] = fines.charge_lost(loan, at=ctx.at, actor=ctx.actor)
        item = loan.item
        item.status = Item.Status.LOST
        item.save(update_fields=["status"])
        availability_changed(item)


class ReturnLost(Transition):
    def before(self, loan: Loan, ctx: Context) -> None:
        loan.returned_at = ctx.at
        loan.returned_branch = ctx.params["branch"]

    def after(self, loan: Loan, ctx: Context) -> None:
        ctx.result["fine"] = None
        ctx.result["credit"] = fines.cancel_lost_charge(loan, at=ctx.at, actor=ctx.actor)
        _shelve_or_send_home(loan, ctx, ctx.params["branch"])


# (source, trigger, destination, transition class): the whole state machine.
TABLE: tuple[tuple[str, str, str, type[Transition]], ...] = (
    (S.NEW, "checkout", S.ON_LOAN, Checkout),
    (S.ON_LOAN, "renew", S.ON_LOAN, Renew),
    (S.ON_LOAN, "checkin", S.RETURNED, Return),
    (S.ON_LOAN, "mark_lost", S.LOST, MarkLost),
    (S.LOST, "checkin", S.RETURNED, ReturnLost),
)
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (source, trigger): cls(source, trigger, dest) for source, trigger, dest, cls in TABLE
}


def find(status: str, trigger: str) -> Transition:
    try:
        return TRANSITIONS[(status, trigger)]
    except KeyError:
        raise CirculationError("invalid_transition", _("The action %(trigger)s is not possible for a loan in state %(status)s.")
                               % {"status": status, "trigger": trigger}) from None


def apply(loan: Loan, trigger: str, *, actor: Actor, at: datetime, **params: Any) -> Context:
    """Run `trigger` on `loan`; the only writer of `loan.status`. Raises CirculationError invalid_transition.

    Must run inside the caller's transaction, with the item row locked."""
    transition = find(loan.status, trigger)
    ctx = Context(actor=actor, at=at, params=params)
    transition.before(loan, ctx)
    source = loan.status
    loan.status = transition.dest
    # Fixed SQL (rows.py): the values save() and create() would write, without compiling them each time, and
    # on PostgreSQL the loan and its event in one statement.
    rows.write_loan_with_event(loan, LoanEvent(trigger=trigger, from_status=source, to_status=transition.dest, at=at,
                                               due_at=loan.due_at, override_code=params.get("override_code", ""),
                                               **LoanEvent.audit(actor)))
    transition.after(loan, ctx)
    return ctx
