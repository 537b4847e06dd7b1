"""Reading lists: a patron's own lists, a public list by its link, the records of a list in order."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from kitab.catalogue.models import Record
from kitab.patrons.models import Patron

from .models import ListEntry, PatronList


def lists_of(patron: Patron) -> QuerySet[PatronList]:
    return PatronList.objects.filter(patron=patron).annotate(size=Count("entries")).order_by("name", "pk")


def owned_list(patron: Patron | None, pk: int) -> PatronList | None:
    """The list `pk` when `patron` owns it; None otherwise (whether it exists or not: the adapter answers 404)."""
    if patron is None:
        return None
    return PatronList.objects.filter(patron=patron, pk=pk).first()


def shared_list(token: str) -> PatronList | None:
    """A public list by its link's token; None for an unknown token or a list made private again."""
    if not token or len(token) > 64:
        return None
    return PatronList.objects.filter(share_token=token, is_public=True).select_related("patron").first()


def record_ids(patron_list: PatronList) -> list[int]:
    return list(ListEntry.objects.filter(patron_list=patron_list).order_by("added_at", "pk")
                .values_list("record_id", flat=True))


def records_in_order(ids: list[int]) -> list[Record]:
    """The records `ids` names, in that order, skipping deleted ones (raw MARC deferred)."""
    found = Record.objects.filter(pk__in=ids).defer("raw").in_bulk()
    return [found[i] for i in ids if i in found]


def lists_holding(patron: Patron, record_id: int) -> set[int]:
    return set(ListEntry.objects.filter(patron_list__patron=patron, record_id=record_id)
               .values_list("patron_list_id", flat=True))
