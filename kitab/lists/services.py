"""List writes: create, change, delete a patron's list; add and remove records.

The adapter resolves the list through `selectors.owned_list` (so a patron only ever reaches their own lists) and
passes the Actor and the time; nothing here reads a request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kitab.catalogue.models import Record
from kitab.core.actor import Actor
from kitab.patrons.models import Patron

from .errors import ListError
from .models import NAME_MAX, NOTES_MAX, ListEntry, PatronList

MAX_LISTS_PER_PATRON = 100
MAX_ENTRIES_PER_LIST = 2000


def _clean(name: str, notes: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    notes = (notes or "").strip()
    if not name:
        raise ListError("name_required", _("Give the list a name."))
    if len(name) > NAME_MAX:
        raise ListError("name_too_long",
                        _("The name is too long: at most %(max)d characters.") % {"max": NAME_MAX})
    if len(notes) > NOTES_MAX:
        raise ListError("notes_too_long",
                        _("The notes are too long: at most %(max)d characters.") % {"max": NOTES_MAX})
    return name, notes


def _check_unique(patron: Patron, name: str, exclude_pk: int | None = None) -> None:
    same = PatronList.objects.filter(patron=patron, name__iexact=name)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        raise ListError("duplicate_name", _("You already have a list called “%(name)s”.") % {"name": name})


@transaction.atomic
def create_list(*, patron: Patron, name: str, actor: Actor, at: datetime, notes: str = "",
                is_public: bool = False) -> PatronList:
    """A new list of `patron`'s. Raises ListError: name_required, name_too_long, notes_too_long, duplicate_name,
    too_many_lists."""
    name, notes = _clean(name, notes)
    Patron.objects.select_for_update().filter(pk=patron.pk).first()  # one create at a time per patron
    if PatronList.objects.filter(patron=patron).count() >= MAX_LISTS_PER_PATRON:
        raise ListError("too_many_lists",
                        _("You have reached the limit of %(max)d lists.") % {"max": MAX_LISTS_PER_PATRON})
    _check_unique(patron, name)
    return PatronList.objects.create(patron=patron, name=name, notes=notes, is_public=is_public,
                                     created_at=at, updated_at=at)


@transaction.atomic
def update_list(patron_list: PatronList, *, name: str, notes: str, is_public: bool, actor: Actor,
                at: datetime) -> PatronList:
    """Rename a list, change its notes, make it public or private. Raises ListError like create_list."""
    name, notes = _clean(name, notes)
    _check_unique(patron_list.patron, name, exclude_pk=patron_list.pk)
    patron_list.name, patron_list.notes, patron_list.is_public = name, notes, is_public
    patron_list.updated_at = at
    patron_list.save(update_fields=["name", "notes", "is_public", "updated_at"])
    return patron_list


@transaction.atomic
def new_share_link(patron_list: PatronList, *, actor: Actor, at: datetime) -> PatronList:
    """Replace the public link's token: links shared before stop working."""
    from .models import new_share_token

    patron_list.share_token = new_share_token()
    patron_list.updated_at = at
    patron_list.save(update_fields=["share_token", "updated_at"])
    return patron_list


@transaction.atomic
def delete_list(patron_list: PatronList, *, actor: Actor, at: datetime) -> None:
    """Delete a list and its entries (the records themselves stay in the catalogue)."""
    patron_list.delete()


@transaction.atomic
def add_records(patron_list: PatronList, record_ids: Iterable[int], *, actor: Actor, at: datetime) -> int:
    """Add records to a list; ones already on it are left where they are. Returns how many were added.

    Raises ListError: record_not_found (none of the ids is a record), list_full."""
    wanted = list(dict.fromkeys(int(i) for i in record_ids))
    existing = set(Record.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if not existing:
        raise ListError("record_not_found", _("This record is not in the catalogue (any more)."))
    PatronList.objects.select_for_update().filter(pk=patron_list.pk).first()
    already = set(ListEntry.objects.filter(patron_list=patron_list, record_id__in=existing)
                  .values_list("record_id", flat=True))
    new = [i for i in wanted if i in existing and i not in already]
    count = ListEntry.objects.filter(patron_list=patron_list).count()
    if count + len(new) > MAX_ENTRIES_PER_LIST:
        raise ListError("list_full", _("A list holds at most %(max)d records.") % {"max": MAX_ENTRIES_PER_LIST})
    try:
        ListEntry.objects.bulk_create([ListEntry(patron_list=patron_list, record_id=i, added_at=at) for i in new])
    except IntegrityError:  # a second request added the same record meanwhile
        raise ListError("record_not_found", _("The list changed meanwhile; please try again.")) from None
    if new:
        PatronList.objects.filter(pk=patron_list.pk).update(updated_at=at)
    return len(new)


@transaction.atomic
def remove_record(patron_list: PatronList, record_id: int, *, actor: Actor, at: datetime) -> bool:
    """Take a record off a list. Returns False when it was not on it."""
    deleted, _rows = ListEntry.objects.filter(patron_list=patron_list, record_id=record_id).delete()
    if deleted:
        PatronList.objects.filter(pk=patron_list.pk).update(updated_at=at)
    return bool(deleted)


def _free_name(patron: Patron, name: str) -> str:
    """`name`, or "name (2)", "name (3)"… when the patron already has a list called that."""
    taken = {n.lower() for n in PatronList.objects.filter(patron=patron).values_list("name", flat=True)}
    candidate, number = name, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = name[: NAME_MAX - len(suffix)] + suffix, number + 1
    return candidate


@transaction.atomic
def merge_patron_lists(*, keep: Patron, remove: Patron, actor: Actor, at: datetime) -> int:
    """Give `remove`'s lists to `keep` (patron merge); a clashing name gets a number. Returns how many moved."""
    moved = 0
    for patron_list in PatronList.objects.filter(patron=remove).order_by("pk"):
        patron_list.name = _free_name(keep, patron_list.name)
        patron_list.patron = keep
        patron_list.save(update_fields=["name", "patron"])
        moved += 1
    return moved


@transaction.atomic
def erase_patron_lists(*, patron: Patron, actor: Actor, at: datetime) -> int:
    """Delete every list of the patron, public ones included (patron anonymisation). Returns how many."""
    deleted, _rows = PatronList.objects.filter(patron=patron).delete()
    return deleted
