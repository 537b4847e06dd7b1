"""Circulation read queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron, PatronBlock

from .models import FineEntry, Loan, Transfer


def transit_list(branch: Branch, *, outgoing: bool = False) -> QuerySet[Transfer]:
    """Open transfers coming to `branch` (or, with outgoing=True, sent from it), oldest first."""
    transfers = Transfer.objects.filter(received_at__isnull=True).select_related("item", "from_branch", "to_branch")
    transfers = transfers.filter(from_branch=branch) if outgoing else transfers.filter(to_branch=branch)
    return transfers.order_by("sent_at", "pk")


def current_loans(patron: Patron) -> QuerySet[Loan]:
    return Loan.objects.current().filter(patron=patron).select_related("item", "item__record").order_by("due_at")


def overdue_loans(*, at: datetime, branch: Branch | None = None) -> QuerySet[Loan]:
    loans = Loan.objects.current().filter(due_at__lt=at).select_related("item", "patron")
    if branch is not None:
        loans = loans.filter(branch=branch)
    return loans.order_by("due_at")


def fine_entries(patron: Patron) -> QuerySet[FineEntry]:
    return FineEntry.objects.filter(patron=patron).select_related("loan__item").order_by("created_at", "pk")


@dataclass(frozen=True, slots=True)
class PatronFigures:
    """The counts a circulation decision needs about one patron (patron_figures)."""

    overdue: int  # current loans due before `at`
    loans: int  # current loans counted against a rule's maximum: of its item type, or all
    owed: Decimal  # the fine ledger balance
    blocked: bool  # has an active manual block
    # Whether the patron has a live hold on the record asked about (None: not asked). Checkout skips the hold
    # fulfilment query for the great majority of loans that fill no hold.
    hold_on_record: bool | None = None
    # Answers to the patron flags other apps registered (register_patron_flag), when asked (checkout).
    flags: dict[str, bool] | None = None


# Yes/no questions other apps ask about the borrower of every loan, answered by the figures query checkout
# runs anyway, so that their receivers of signals.loan_checked_out need no query of their own (kitab.accounts:
# "does this patron keep a reading history?"). name -> SQL expression with %(patron)s; apps register theirs
# in AppConfig.ready, in a fixed order, so the query text (and its prepared statement) stays the same.
_PATRON_FLAGS: dict[str, str] = {}


def register_patron_flag(name: str, sql: str) -> None:
    """Have checkout ask `sql` (a boolean SQL expression using %(patron)s) about the borrower; the answer is
    sent with loan_checked_out as patron_flags[name]."""
    _PATRON_FLAGS[name] = sql


def _figures_sql(by_item_type: bool, hold_probe: bool) -> str:
    # Written out by hand: this runs on every checkout and renewal, and building the same four subqueries
    # through the ORM cost more than running them. Table names come from the models.
    loan, item = Loan._meta.db_table, Item._meta.db_table
    fine, block = FineEntry._meta.db_table, PatronBlock._meta.db_table
    counted = (f"SELECT COUNT(*) FROM {loan} l JOIN {item} i ON i.id = l.item_id "
               f"WHERE l.patron_id = %(patron)s AND l.status = %(on_loan)s AND i.item_type_id = %(item_type)s"
               if by_item_type else
               f"SELECT COUNT(*) FROM {loan} WHERE patron_id = %(patron)s AND status = %(on_loan)s")
    held = ""
    if hold_probe:
        from kitab.holds.models import Hold  # holds builds on circulation: imported when needed

        held = (f", EXISTS (SELECT 1 FROM {Hold._meta.db_table} WHERE patron_id = %(patron)s "
                f"AND record_id = %(record)s AND status IN ({', '.join(repr(str(s)) for s in Hold.ACTIVE)}))")
        held += "".join(f", ({flag})" for flag in _PATRON_FLAGS.values())
    return (
        f"SELECT (SELECT COUNT(*) FROM {loan} WHERE patron_id = %(patron)s AND status = %(on_loan)s "
        f"AND due_at < %(at)s), ({counted}), (SELECT SUM(amount) FROM {fine} WHERE patron_id = %(patron)s), "
        f"EXISTS (SELECT 1 FROM {block} WHERE patron_id = %(patron)s AND lifted_at IS NULL){held}"
    )


def patron_figures(patron: Patron, at: datetime, *, item_type_id: int | None = None,
                   hold_record_id: int | None = None) -> PatronFigures:
    """Overdue loans at `at`, current loans (of `item_type_id`, or all), fine balance, whether a manual
    block is active and (with `hold_record_id`, as checkout asks) whether the patron has a live hold on that
    record and the registered patron flags, in one query."""
    params = {"patron": patron.pk, "on_loan": Loan.Status.ON_LOAN.value, "item_type": item_type_id,
              "record": hold_record_id, "at": connection.ops.adapt_datetimefield_value(at)}
    with connection.cursor() as cursor:
        cursor.execute(_figures_sql(item_type_id is not None, hold_record_id is not None), params)
        row = cursor.fetchone()
    overdue, loans, owed, blocked = row[:4]
    owed_amount = Decimal(str(owed)).quantize(Decimal("0.01")) if owed is not None else Decimal("0.00")
    held = bool(row[4]) if hold_record_id is not None else None
    flags = dict(zip(_PATRON_FLAGS, map(bool, row[5:]), strict=True)) if hold_record_id is not None else None
    return PatronFigures(int(overdue), int(loans), owed_amount, bool(blocked), held, flags)
