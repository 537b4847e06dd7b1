"""The fine ledger: charges, payments, waivers, and the overdue fines that circulation runs up.

Sign convention (see FineEntry): charges are positive, settlements negative, balance = sum. Settlements are
applied to the oldest outstanding charges first and recorded as FineAllocation rows. Every entry records
who made it and through which channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kitab.core.actor import Actor
from kitab.patrons.models import Patron

from .errors import CirculationError
from .models import FineAllocation, FineEntry, Loan

ZERO = Decimal("0.00")
K = FineEntry.Kind


def balance(patron: Patron) -> Decimal:
    """What the patron owes (positive) or is owed (negative)."""
    from .policy import balance as ledger_balance

    return ledger_balance(patron)


def _rule(loan: Loan):  # type: ignore[no-untyped-def]
    from .policy import rule_for

    return rule_for(loan.branch, loan.patron.category, loan.item.item_type).rule


def _set_amount(entry: FineEntry, amount: Decimal, at: datetime) -> None:
    # Growing a charge grows what is still owed on it; what was already paid stays paid.
    entry.outstanding = max(ZERO, entry.outstanding + amount - entry.amount)
    entry.amount = amount
    entry.updated_at = at


def _running(loan: Loan) -> FineEntry | None:
    # Most loans never had a fine accrued: a fixed-SQL probe spares them the locking ORM query. The caller has
    # already written the loan row (or locked it), so the accrual cannot add a running row after the probe.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {FineEntry._meta.db_table} WHERE loan_id = %s AND is_running = %s",
                       [loan.pk, True])
        if cursor.fetchone() is None:
            return None
    return FineEntry.objects.select_for_update().filter(loan=loan, is_running=True).first()


def close_overdue(loan: Loan, *, until: datetime, actor: Actor) -> FineEntry | None:
    """Settle the overdue fine of `loan` as of `until` (return, renewal, loss): the running row, if any,
    takes its final amount and stops running; otherwise a row is created when there is a fine at all.
    Called by transitions inside their transaction."""
    from .policy import overdue_fine

    amount = overdue_fine(loan, _rule(loan), until=until) if until > loan.due_at else ZERO
    entry = _running(loan)
    if entry is None:
        if amount <= 0:
            return None
        return FineEntry.objects.create(patron_id=loan.patron_id, loan=loan, kind=K.OVERDUE, amount=amount,
                                        outstanding=amount, created_at=until, updated_at=until,
                                        **FineEntry.audit(actor))
    _set_amount(entry, max(amount, entry.amount), until)
    entry.is_running = False
    entry.save(update_fields=["amount", "outstanding", "is_running", "updated_at"])
    return entry


def charge_lost(loan: Loan, *, at: datetime, actor: Actor) -> FineEntry | None:
    """The rule's lost item charge for `loan` (none when the rule charges nothing)."""
    amount = _rule(loan).lost_item_charge
    if amount <= 0:
        return None
    return FineEntry.objects.create(patron_id=loan.patron_id, loan=loan, kind=K.LOST, amount=amount,
                                    outstanding=amount, created_at=at, updated_at=at, **FineEntry.audit(actor))


def cancel_lost_charge(loan: Loan, *, at: datetime, actor: Actor) -> FineEntry | None:
    """A lost item came back: what is still owed on its lost charge is credited back (what was paid stays)."""
    charges = list(FineEntry.objects.select_for_update().filter(loan=loan, kind=K.LOST, outstanding__gt=0))
    total = sum((c.outstanding for c in charges), ZERO)
    if not total:
        return None
    credit = FineEntry.objects.create(patron_id=loan.patron_id, loan=loan, kind=K.CREDIT, amount=-total,
                                      note=_("Lost item returned"), created_at=at, updated_at=at,
                                      **FineEntry.audit(actor))
    for charge in charges:
        FineAllocation.objects.create(credit=credit, debit=charge, amount=charge.outstanding)
        charge.outstanding = ZERO
        charge.updated_at = at
        charge.save(update_fields=["outstanding", "updated_at"])
    return credit


@dataclass(frozen=True, slots=True)
class AccrualReport:
    created: int
    updated: int


def accrue_overdue_fines(*, at: datetime, actor: Actor) -> AccrualReport:
    """Bring the running overdue fine of every overdue open loan up to `at`. Idempotent: one running row per
    loan, updated in place (a unique constraint guarantees it); never lowered. Each loan commits on its own,
    so an interrupted run keeps what it did and a rerun finishes the rest."""
    from .policy import overdue_fine

    created = updated = 0
    loan_ids = list(Loan.objects.current().filter(due_at__lt=at).order_by("pk").values_list("pk", flat=True))
    for loan_id in loan_ids:
        with transaction.atomic():
            loan = (Loan.objects.select_for_update(of=("self",))
                    .select_related("patron__category", "item__item_type", "branch").filter(pk=loan_id, status=Loan.Status.ON_LOAN).first())
            if loan is None:  # returned since we listed it
                continue
            amount = overdue_fine(loan, _rule(loan), until=at)
            entry = _running(loan)
            if entry is None:
                if amount > 0:
                    FineEntry.objects.create(patron_id=loan.patron_id, loan=loan, kind=K.OVERDUE, amount=amount,
                                             outstanding=amount, is_running=True, created_at=at, updated_at=at,
                                             **FineEntry.audit(actor))
                    created += 1
            elif amount > entry.amount:
                _set_amount(entry, amount, at)
                entry.save(update_fields=["amount", "outstanding", "updated_at"])
                updated += 1
    return AccrualReport(created=created, updated=updated)


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    entry_id: int
    kind: str
    description: str
    charged: Decimal
    paid: Decimal
    still_owed: Decimal


@dataclass(frozen=True, slots=True)
class Receipt:
    entry_id: int  # the settlement row
    patron_card: str
    patron_name: str
    at: datetime
    by: str
    kind: str
    amount: Decimal  # positive: what was paid or credited
    lines: list[ReceiptLine]
    balance_after: Decimal


def _check_amount(amount: Decimal) -> Decimal:
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount <= 0:
        raise CirculationError("invalid_amount", _("The amount must be greater than zero."))
    return amount


def _describe(charge: FineEntry) -> str:
    if charge.loan_id:
        return _("%(kind)s: %(item)s") % {"kind": charge.get_kind_display(), "item": str(charge.loan.item)}
    return charge.note or str(charge.get_kind_display())


def _settle(patron: Patron, amount: Decimal, *, kind: str, actor: Actor, at: datetime, note: str) -> Receipt:
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    owed = balance(patron)
    if amount > owed:
        raise CirculationError("amount_exceeds_balance", _("%(amount)s is more than the %(owed)s owed.")
                               % {"amount": amount, "owed": owed})
    entry = FineEntry.objects.create(patron=patron, kind=kind, amount=-amount, note=note, created_at=at,
                                     updated_at=at, **FineEntry.audit(actor))
    lines: list[ReceiptLine] = []
    left = amount
    charges = (FineEntry.objects.select_for_update(of=("self",)).select_related("loan__item")
               .filter(patron=patron, kind__in=FineEntry.CHARGES, outstanding__gt=0).order_by("created_at", "pk"))
    for charge in charges:
        if left <= 0:
            break
        part = min(left, charge.outstanding)
        FineAllocation.objects.create(credit=entry, debit=charge, amount=part)
        charge.outstanding -= part
        charge.updated_at = at
        charge.save(update_fields=["outstanding", "updated_at"])
        left -= part
        lines.append(ReceiptLine(charge.pk, charge.kind, _describe(charge), charge.amount, part, charge.outstanding))
    return Receipt(entry_id=entry.pk, patron_card=patron.card_number, patron_name=patron.full_name, at=at,
                   by=actor.label(), kind=kind, amount=amount, lines=lines, balance_after=owed - amount)


@transaction.atomic
def pay(patron: Patron, amount: Decimal, *, actor: Actor, at: datetime, note: str = "") -> Receipt:
    """Record a payment; it settles the oldest outstanding charges first (partly, when it runs out).

    Raises CirculationError: invalid_amount (not positive), amount_exceeds_balance (more than is owed)."""
    return _settle(patron, _check_amount(amount), kind=K.PAYMENT, actor=actor, at=at, note=note)


def _check_reason(note: str, message: str) -> str:
    if not note.strip():
        raise CirculationError("missing_reason", message)
    return note.strip()


@transaction.atomic
def credit(patron: Patron, amount: Decimal, *, actor: Actor, at: datetime, note: str) -> Receipt:
    """Reduce what the patron owes without a payment (goodwill, correction); applied oldest first like a payment.

    Raises CirculationError: invalid_amount, amount_exceeds_balance, missing_reason (no note)."""
    note = _check_reason(note, _("A credit needs a reason."))
    return _settle(patron, _check_amount(amount), kind=K.CREDIT, actor=actor, at=at, note=note)


@transaction.atomic
def charge(patron: Patron, amount: Decimal, *, actor: Actor, at: datetime, note: str) -> FineEntry:
    """A manual charge (damage, replacement card). Raises CirculationError invalid_amount, missing_reason (no
    note saying what it is for)."""
    note = _check_reason(note, _("Say what the charge is for."))
    amount = _check_amount(amount)
    return FineEntry.objects.create(patron=patron, kind=K.MANUAL, amount=amount, outstanding=amount, note=note,
                                    created_at=at, updated_at=at, **FineEntry.audit(actor))


@transaction.atomic
def waive(entry: FineEntry, *, actor: Actor, at: datetime, reason: str) -> FineEntry:
    """Forgive what is still owed on one charge. A running overdue fine keeps running for the days to come.

    Raises CirculationError: not_waivable (not a charge, or nothing owed on it), missing_reason."""
    Patron.objects.select_for_update().get(pk=entry.patron_id)
    entry = FineEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind not in FineEntry.CHARGES or entry.outstanding <= 0:
        raise CirculationError("not_waivable", _("Nothing is owed on this entry."))
    if not reason.strip():
        raise CirculationError("missing_reason", _("A waiver needs a reason."))
    waiver = FineEntry.objects.create(patron_id=entry.patron_id, loan_id=entry.loan_id, kind=K.WAIVER,
                                      amount=-entry.outstanding, note=reason.strip(), created_at=at, updated_at=at,
                                      **FineEntry.audit(actor))
    FineAllocation.objects.create(credit=waiver, debit=entry, amount=entry.outstanding)
    entry.outstanding = ZERO
    entry.updated_at = at
    entry.save(update_fields=["outstanding", "updated_at"])
    return waiver
