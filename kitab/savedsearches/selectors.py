from __future__ import annotations

from django.db.models import QuerySet

from kitab.patrons.models import Patron

from .models import SavedSearch, SearchHistoryEntry


def history_of(patron: Patron, limit: int = 50) -> list[SearchHistoryEntry]:
    return list(SearchHistoryEntry.objects.filter(patron=patron).order_by("-searched_at", "-pk")[:limit])


def saved_of(patron: Patron) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(patron=patron).order_by("name", "pk")


def own_saved(patron: Patron | None, pk: int) -> SavedSearch | None:
    """Saved search `pk` when `patron` saved it; None otherwise (the adapter answers 404)."""
    if patron is None:
        return None
    return SavedSearch.objects.filter(patron=patron, pk=pk).select_related("patron").first()
