"""Search history and saved-search writes. The adapter resolves the patron and passes the Actor and the time."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from kitab.core.actor import Actor
from kitab.patrons.models import Patron

from .errors import SavedSearchError
from .models import NAME_MAX, SavedSearch, SearchHistoryEntry
from .spec import SearchSpec

HISTORY_KEEP = 50
MAX_SAVED = 50


@transaction.atomic
def record_search(*, patron: Patron, spec: SearchSpec, total: int, at: datetime) -> SearchHistoryEntry | None:
    """Remember a search in the patron's history: the same search run again moves to the top instead of
    repeating, and only the latest HISTORY_KEEP are kept. Empty searches are not remembered."""
    if spec.is_empty:
        return None
    latest = SearchHistoryEntry.objects.filter(patron=patron).order_by("-searched_at", "-pk").first()
    if latest is not None and latest.spec.key() == spec.key():
        latest.searched_at, latest.total = at, total
        latest.save(update_fields=["searched_at", "total"])
        return latest
    entry = SearchHistoryEntry.objects.create(patron=patron, query=spec.query, filters=spec.filters,
                                              sort=spec.sort, total=total, searched_at=at)
    old = list(SearchHistoryEntry.objects.filter(patron=patron).order_by("-searched_at", "-pk")
               .values_list("pk", flat=True)[HISTORY_KEEP:])
    if old:
        SearchHistoryEntry.objects.filter(pk__in=old).delete()
    return entry


@transaction.atomic
def clear_history(*, patron: Patron, actor: Actor, at: datetime) -> int:
    """Erase the patron's whole search history. Returns how many entries were removed."""
    deleted, _rows = SearchHistoryEntry.objects.filter(patron=patron).delete()
    return deleted


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SavedSearchError("name_required", _("Give the search a name."))
    if len(name) > NAME_MAX:
        raise SavedSearchError("name_too_long",
                               _("The name is too long: at most %(max)d characters.") % {"max": NAME_MAX})
    return name


@transaction.atomic
def save_search(*, patron: Patron, name: str, spec: SearchSpec, actor: Actor, at: datetime,
                alert: bool = False) -> SavedSearch:
    """Save a search under a name. Raises SavedSearchError: name_required, name_too_long, duplicate_name,
    too_many_saved, empty_search, no_email (an alert for a patron without an email address)."""
    name = _clean_name(name)
    if spec.is_empty:
        raise SavedSearchError("empty_search", _("There is nothing to save: search for something first."))
    if alert and not patron.email:
        raise SavedSearchError("no_email", _("Alerts are sent by email: add an email address to your account "
                                             "first."))
    Patron.objects.select_for_update().filter(pk=patron.pk).first()
    if SavedSearch.objects.filter(patron=patron).count() >= MAX_SAVED:
        raise SavedSearchError("too_many_saved",
                               _("You can keep at most %(max)d saved searches.") % {"max": MAX_SAVED})
    if SavedSearch.objects.filter(patron=patron, name__iexact=name).exists():
        raise SavedSearchError("duplicate_name",
                               _("You already have a saved search called “%(name)s”.") % {"name": name})
    return SavedSearch.objects.create(patron=patron, name=name, query=spec.query, filters=spec.filters,
                                      sort=spec.sort, alert=alert, created_at=at, alerts_since=at if alert else None,
                                      last_checked_at=at if alert else None)


@transaction.atomic
def set_alert(saved: SavedSearch, *, on: bool, actor: Actor, at: datetime) -> SavedSearch:
    """Switch the email alert on or off. Switching it on counts records as new from `at` (no flood of records
    that were already there). Raises SavedSearchError no_email."""
    if on == saved.alert:
        return saved
    if on and not saved.patron.email:
        raise SavedSearchError("no_email", _("Alerts are sent by email: add an email address to your account "
                                             "first."))
    saved.alert = on
    if on:
        saved.alerts_since = saved.last_checked_at = at
    saved.save(update_fields=["alert", "alerts_since", "last_checked_at"])
    return saved


@transaction.atomic
def delete_saved_search(saved: SavedSearch, *, actor: Actor, at: datetime) -> None:
    saved.delete()


@transaction.atomic
def merge_patron_searches(*, keep: Patron, remove: Patron, actor: Actor, at: datetime) -> int:
    """Give `remove`'s search history and saved searches to `keep` (patron merge); a clashing saved-search name
    gets a number. Returns how many saved searches moved."""
    SearchHistoryEntry.objects.filter(patron=remove).update(patron=keep)
    taken = {n.lower() for n in SavedSearch.objects.filter(patron=keep).values_list("name", flat=True)}
    moved = 0
    for saved in SavedSearch.objects.filter(patron=remove).order_by("pk"):
        name, number = saved.name, 2
        while name.lower() in taken:
            suffix = f" ({number})"
            name, number = saved.name[: NAME_MAX - len(suffix)] + suffix, number + 1
        taken.add(name.lower())
        saved.name, saved.patron = name, keep
        saved.save(update_fields=["name", "patron"])
        moved += 1
    return moved


@transaction.atomic
def erase_patron_searches(*, patron: Patron, actor: Actor, at: datetime) -> None:
    """Delete the patron's search history and saved searches (alerts stop with them): patron anonymisation."""
    SearchHistoryEntry.objects.filter(patron=patron).delete()
    SavedSearch.objects.filter(patron=patron).delete()
