"""Hold read queries: a record's queue, the pull list, the hold shelf, a patron's holds."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kitab.catalogue.models import Record
from kitab.core import clock
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron

from .models import Hold


def queue_for(record: Record) -> QuerySet[Hold]:
    """The live holds on `record`: those with a copy set aside first (position 0), then the queue in order."""
    return (Hold.objects.active().filter(record=record).select_related("patron", "pickup_branch", "item")
            .order_by("position", "placed_at", "pk"))


def holds_to_pull(branch: Branch, *, at: datetime | None = None) -> QuerySet[Hold]:
    """Holds waiting now that a copy on the shelf at `branch` could fill, oldest first: record-level holds
    with an available copy here, and holds on one copy that is available here. Staff pull the copies and scan
    them (services.trap_item)."""
    at = at or clock.now()
    copy_here = Item.objects.filter(record=OuterRef("record"), holding_branch=branch, status=Item.Status.AVAILABLE)
    return (Hold.objects.eligible(timezone.localdate(at)).exclude(expires_at__lte=at)
            .annotate(copy_here=Exists(copy_here))
            .filter(Q(item__isnull=True, copy_here=True)
                    | Q(item__holding_branch=branch, item__status=Item.Status.AVAILABLE))
            .select_related("patron", "record", "pickup_branch", "item").order_by("placed_at", "pk"))


def hold_shelf(branch: Branch) -> QuerySet[Hold]:
    """Copies waiting for their patrons at `branch`, the first to expire first."""
    return (Hold.objects.filter(status=Hold.Status.READY, pickup_branch=branch)
            .select_related("patron", "record", "trapped_item").order_by("pickup_deadline", "pk"))


def patron_holds(patron: Patron) -> QuerySet[Hold]:
    """The patron's live holds, oldest first."""
    return (Hold.objects.active().filter(patron=patron).select_related("record", "pickup_branch", "trapped_item")
            .order_by("placed_at", "pk"))


def record_has_queue(record_id: int) -> bool:
    """Whether any hold waits (or is suspended) in `record_id`'s queue. Asked at every check-in, so the SQL is
    fixed text rather than an ORM query built each time; the (record, status) index answers it."""
    statuses = [str(s) for s in Hold.QUEUED]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {Hold._meta.db_table} WHERE record_id = %s AND status IN (%s, %s) LIMIT 1",
                       [record_id, *statuses])
        return cursor.fetchone() is not None
