"""Circulation read queries."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from kitab.items.models import Branch
from kitab.patrons.models import Patron

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
