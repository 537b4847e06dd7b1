"""Record list reads."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kitab.items.models import Item

from .models import RecordList, RecordListEntry


def lists_for(user_id: int | None) -> QuerySet[RecordList]:
    """The lists a staff member may use (their own and shared ones), with their sizes."""
    return (RecordList.objects.filter(Q(owner_id=user_id) | Q(shared=True)).select_related("owner")
            .annotate(size=Count("entries")).order_by("name", "pk"))


def record_ids(record_list: RecordList | int) -> list[int]:
    """The list's record ids in the order they were added."""
    list_id = record_list if isinstance(record_list, int) else record_list.pk
    return list(RecordListEntry.objects.filter(record_list_id=list_id).order_by("added_at", "pk")
                .values_list("record_id", flat=True))


def entries(record_list: RecordList) -> QuerySet:  # type: ignore[type-arg]
    return record_list.entries.select_related("record").annotate(copies=Count("record__items")).order_by(
        "added_at", "pk")


def copies_of_list(record_list: RecordList | int) -> list[Item]:
    """Every copy of the records on the list, in list order then call number (for labels)."""
    ids = record_ids(record_list)
    order = {record_id: position for position, record_id in enumerate(ids)}
    items = list(Item.objects.filter(record_id__in=ids).select_related("home_branch"))
    items.sort(key=lambda item: (order[item.record_id], item.call_number, item.barcode or ""))
    return items
