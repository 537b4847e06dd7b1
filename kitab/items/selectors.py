"""Item reads: the staff copy search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import Branch, Item


@dataclass(frozen=True, slots=True)
class CopyQuery:
    barcode: str = ""  # exact, or a prefix ending in * ("3100*")
    call_number: str = ""  # starts with
    branch: Branch | None = None  # home or current branch
    status: str = ""
    added_from: date | None = None
    added_to: date | None = None  # inclusive
    record_id: int | None = None

    def is_empty(self) -> bool:
        return not (self.barcode or self.call_number or self.branch or self.status or self.added_from
                    or self.added_to or self.record_id)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_copies(query: CopyQuery) -> QuerySet[Item]:
    """Copies matching every given criterion, newest first (with what the result list shows)."""
    items = Item.objects.select_related("record", "home_branch", "holding_branch", "item_type")
    barcode = query.barcode.strip()
    if barcode.endswith("*"):
        items = items.filter(barcode__startswith=barcode[:-1])
    elif barcode:
        items = items.filter(barcode=barcode)
    if query.call_number.strip():
        items = items.filter(call_number__istartswith=query.call_number.strip())
    if query.branch is not None:
        items = items.filter(home_branch=query.branch) | items.filter(holding_branch=query.branch)
    if query.status:
        items = items.filter(status=query.status)
    if query.added_from:
        items = items.filter(created_at__gte=_start_of(query.added_from))
    if query.added_to:
        items = items.filter(created_at__lt=_start_of(query.added_to + timedelta(days=1)))
    if query.record_id:
        items = items.filter(record_id=query.record_id)
    return items.order_by("-created_at", "-pk")


def copies_by_barcodes(barcodes: list[str]) -> tuple[list[Item], list[str]]:
    """The copies with these barcodes in the given order, and the barcodes no copy has."""
    found = {item.barcode: item for item in Item.objects.select_related("record", "home_branch", "holding_branch")
             .filter(barcode__in=barcodes)}
    return [found[b] for b in barcodes if b in found], [b for b in barcodes if b not in found]
