"""What the record page says about each copy and each branch: available, on loan until a date, in transit to a
branch, on the hold shelf, not for loan. Reads only (the items, their current loans and open transfers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kitab.circulation.models import Loan, Transfer
from kitab.items.models import Item


@dataclass(slots=True)
class CopyStatus:
    item: Item
    status: str  # Item.Status value
    due_at: datetime | None = None  # on loan: when it is due back
    transit_to: str = ""  # in transit: the branch it is travelling to

    @property
    def available(self) -> bool:
        return self.status == Item.Status.AVAILABLE


@dataclass(slots=True)
class BranchHoldings:
    """One branch's copies of the title (by where they are now: a copy in transit counts at its destination)."""

    name: str
    copies: list[CopyStatus] = field(default_factory=list)

    @property
    def available(self) -> int:
        return sum(1 for c in self.copies if c.available)

    @property
    def on_loan(self) -> int:
        return sum(1 for c in self.copies if c.status == Item.Status.ON_LOAN)

    @property
    def next_due(self) -> datetime | None:
        """When the first copy on loan here is due back (None when none is on loan)."""
        dues = [c.due_at for c in self.copies if c.due_at is not None]
        return min(dues) if dues else None


def record_holdings(record_id: int) -> tuple[list[CopyStatus], list[BranchHoldings]]:
    """The copies of a record with their status details, and the same copies by branch (branch name order)."""
    items = list(
        Item.objects.filter(record_id=record_id)
        .select_related("home_branch", "holding_branch", "item_type")
        .order_by("home_branch__name", "call_number", "pk")
    )
    ids = [i.pk for i in items]
    due = dict(Loan.objects.current().filter(item_id__in=ids).values_list("item_id", "due_at")) if ids else {}
    transit: dict[int, str] = {}
    if any(i.status == Item.Status.IN_TRANSIT for i in items):
        transit = dict(Transfer.objects.filter(item_id__in=ids, received_at__isnull=True)
                       .values_list("item_id", "to_branch__name"))
    copies = [CopyStatus(item=i, status=i.status, due_at=due.get(i.pk) if i.status == Item.Status.ON_LOAN else None,
                         transit_to=transit.get(i.pk, "")) for i in items]
    branches: dict[str, BranchHoldings] = {}
    for copy in copies:
        where = copy.transit_to or copy.item.holding_branch.name
        branches.setdefault(where, BranchHoldings(name=where)).copies.append(copy)
    return copies, sorted(branches.values(), key=lambda b: b.name)
