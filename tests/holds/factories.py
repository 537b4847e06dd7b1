"""Hold factories: a hold placed through the service (queue positions and audit rows stay right)."""

from __future__ import annotations

from datetime import datetime

from kitab.core.actor import Actor
from kitab.holds import services
from kitab.holds.models import Hold
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron

STAFF = Actor(channel="staff", username="librarian", branch_code="MAIN")


def place(patron: Patron, item: Item, *, at: datetime, pickup: Branch | None = None, level: str = "record",
          **kwargs: object) -> Hold:
    """A hold on `item`'s record (level="record") or on `item` itself (level="item")."""
    return services.place_hold(patron, item.record, pickup_branch=pickup or item.home_branch, actor=STAFF, at=at,
                               item=item if level == "item" else None, **kwargs)  # type: ignore[arg-type]
