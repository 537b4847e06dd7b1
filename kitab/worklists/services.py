"""Record list writes: lists, their entries, and batch actions over a list's records.

A batch field edit saves every record through the one record save path (kitab.catalogue.editing.save_record,
channel batch_edit, with the BatchEdit's id as batch_id), so each change is in the record's history, indexed
at once, and the whole batch can be undone. Errors are ListError with the codes in kitab/worklists/errors.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

import pymarc
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kitab.catalogue.models import Record, RecordVersion
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.core.errors import KitabError

from . import selectors
from .errors import ListError
from .models import BatchEdit, RecordList, RecordListEntry

MAX_SEARCH_RESULTS = 5000
_TAG = re.compile(r"^\d{3}$")
_CODE = re.compile(r"^[a-z0-9]$")


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ListError("name_missing", _("Give the list a name."))
    return name[:200]


@transaction.atomic
def create_list(*, owner_id: int, name: str, description: str = "", shared: bool = False, actor: Actor,
                at: datetime | None = None) -> RecordList:
    """A new list for `owner_id`. Raises ListError name_missing, name_taken."""
    at = at or clock.now()
    try:
        with transaction.atomic():
            return RecordList.objects.create(owner_id=owner_id, name=_name(name), description=description.strip(),
                                             shared=shared, created_at=at, updated_at=at)
    except IntegrityError as error:
        raise ListError("name_taken", _("You already have a list called %(name)s.") % {"name": name.strip()}) \
            from error


@transaction.atomic
def update_list(record_list: RecordList, *, name: str, description: str, shared: bool, actor: Actor,
                at: datetime | None = None) -> RecordList:
    """Rename, describe or share a list. Raises ListError name_missing, name_taken."""
    record_list.name, record_list.description, record_list.shared = _name(name), description.strip(), shared
    record_list.updated_at = at or clock.now()
    try:
        with transaction.atomic():
            record_list.save()
    except IntegrityError as error:
        raise ListError("name_taken", _("You already have a list called %(name)s.") % {"name": name.strip()}) \
            from error
    return record_list


@transaction.atomic
def delete_list(record_list: RecordList, *, actor: Actor) -> None:
    """Delete a list (its records stay in the catalogue)."""
    record_list.delete()


@transaction.atomic
def add_records(record_list: RecordList, record_ids: Iterable[int], *, actor: Actor,
                at: datetime | None = None) -> int:
    """Add records to the list (ids of deleted records and records already on it are skipped). Returns how many
    were added."""
    at = at or clock.now()
    wanted = list(dict.fromkeys(int(i) for i in record_ids))
    present = set(RecordListEntry.objects.filter(record_list=record_list, record_id__in=wanted)
                  .values_list("record_id", flat=True))
    existing = set(Record.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    new = [RecordListEntry(record_list=record_list, record_id=record_id, added_at=at, added_by=actor.label()[:150])
           for record_id in wanted if record_id in existing and record_id not in present]
    RecordListEntry.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        RecordList.objects.filter(pk=record_list.pk).update(updated_at=at)
    return len(new)


@transaction.atomic
def remove_records(record_list: RecordList, record_ids: Iterable[int], *, actor: Actor,
                   at: datetime | None = None) -> int:
    removed, _detail = RecordListEntry.objects.filter(record_list=record_list, record_id__in=list(record_ids)).delete()
    if removed:
        RecordList.objects.filter(pk=record_list.pk).update(updated_at=at or clock.now())
    return removed


def add_to_other_list(source: RecordList, target: RecordList, *, actor: Actor, at: datetime | None = None) -> int:
    """Add every record of `source` to `target`. Returns how many were new there."""
    return add_records(target, selectors.record_ids(source), actor=actor, at=at)


def add_search_results(record_list: RecordList, query: str, *, actor: Actor, at: datetime | None = None) -> int:
    """Add every record a catalogue search finds (at most MAX_SEARCH_RESULTS). Raises ListError
    too_many_results, and the search's own QuerySyntaxError."""
    from kitab.search.services import SearchRequest, search

    ids: list[int] = []
    while True:
        result = search(SearchRequest(query=query, limit=1000, offset=len(ids), facets=False))
        if result.total > MAX_SEARCH_RESULTS:
            raise ListError("too_many_results", _(
                "The search finds %(total)d records; narrow it to at most %(limit)d.")
                % {"total": result.total, "limit": MAX_SEARCH_RESULTS})
        ids.extend(hit.record_id for hit in result.hits)
        if not result.hits or len(ids) >= result.total:
            break
    return add_records(record_list, ids, actor=actor, at=at)


def export_list(record_list: RecordList, stream: BinaryIO, *, fmt: str = "iso2709") -> int:
    """Write the list's records to `stream` as ISO 2709 or MARCXML (kitab.catalogue.exporting). Returns the
    count."""
    from kitab.catalogue.exporting import export_record_ids

    return export_record_ids(stream, selectors.record_ids(record_list), fmt=fmt)


# ---------------------------------------------------------------------------------------------------------------
# Editing a field across the list


@dataclass(frozen=True, slots=True)
class FieldEdit:
    tag: str
    code: str
    operation: str  # BatchEdit.Operation
    value: str = ""  # the value to add, or the replacement
    match: str = ""  # replace/delete only subfields with exactly this value ("" = every one)

    def check(self) -> None:
        """Raises ListError invalid_tag, control_field, invalid_subfield, value_missing."""
        if not _TAG.match(self.tag):
            raise ListError("invalid_tag", _("A tag is three digits, e.g. 650."))
        if self.tag < "010":
            raise ListError("control_field", _("Control fields (001-009) have no subfields; edit them in the MARC "
                                               "editor."))
        if not _CODE.match(self.code):
            raise ListError("invalid_subfield", _("A subfield code is one lower-case letter or digit."))
        if self.operation not in BatchEdit.Operation.values:
            raise ValueError(f"unknown operation {self.operation!r}")
        if self.operation in (BatchEdit.Operation.ADD, BatchEdit.Operation.REPLACE) and not self.value.strip():
            raise ListError("value_missing", _("Give the value to write."))

    def apply(self, marc: pymarc.Record) -> bool:
        """Change `marc` in place; whether anything changed."""
        fields = marc.get_fields(self.tag)
        if self.operation == BatchEdit.Operation.ADD:
            if not fields:
                marc.add_ordered_field(pymarc.Field(tag=self.tag, indicators=pymarc.Indicators(" ", " "),
                                                    subfields=[pymarc.Subfield(self.code, self.value.strip())]))
                return True
            for found in fields:
                found.add_subfield(self.code, self.value.strip())
            return True
        changed = False
        for found in fields:
            kept = []
            for subfield in found.subfields:
                hit = subfield.code == self.code and (not self.match or subfield.value.strip() == self.match.strip())
                if hit and self.operation == BatchEdit.Operation.REPLACE:
                    changed = changed or subfield.value != self.value.strip()
                    kept.append(pymarc.Subfield(subfield.code, self.value.strip()))
                elif hit:  # delete
                    changed = True
                else:
                    kept.append(subfield)
            found.subfields = kept
            if not kept:
                marc.remove_field(found)
        return changed


@dataclass(slots=True)
class BatchResult:
    batch: BatchEdit
    changed: int = 0
    unchanged: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)


def edit_field(record_list: RecordList, edit: FieldEdit, *, actor: Actor, at: datetime | None = None) -> BatchResult:
    """Apply `edit` to every record of the list, each saved on its own through save_record (channel
    batch_edit): a record the change would make invalid is left as it was and reported, the others are saved.
    Raises ListError empty_list and FieldEdit.check's codes before anything is saved."""
    from kitab.catalogue import editing

    edit.check()
    ids = selectors.record_ids(record_list)
    if not ids:
        raise ListError("empty_list", _("The list has no records."))
    at = at or clock.now()
    batch = BatchEdit.objects.create(record_list=record_list, tag=edit.tag, code=edit.code, operation=edit.operation,
                                     value=edit.value.strip(), match=edit.match.strip(), actor=actor.label()[:150],
                                     started_at=at)
    result = BatchResult(batch=batch)
    reason = _("Batch edit %(number)d on list %(name)s") % {"number": batch.pk, "name": record_list.name}
    for start in range(0, len(ids), 500):
        for record in Record.objects.filter(pk__in=ids[start:start + 500]).order_by("pk"):
            try:
                marc = editing.as_pymarc(record.raw)
                if not edit.apply(marc):
                    result.unchanged += 1
                    continue
                editing.save_record(record=record, marc=marc, actor=actor, channel=RecordVersion.Channel.BATCH_EDIT,
                                    reason=reason, at=at, batch_id=batch.pk)
                result.changed += 1
            except KitabError as error:
                result.failures.append((record.pk, _describe(error)))
    batch.changed, batch.unchanged, batch.failures = result.changed, result.unchanged, result.failures
    batch.save(update_fields=["changed", "unchanged", "failures"])
    return result


def _describe(error: KitabError) -> str:
    issues = getattr(error, "issues", None)
    if issues:
        return "; ".join(str(getattr(issue, "message", issue)) for issue in issues[:3])
    return error.message


@dataclass(slots=True)
class UndoResult:
    restored: int = 0
    changed_since: list[int] = field(default_factory=list)


def undo_batch_edit(batch: BatchEdit, *, actor: Actor, at: datetime | None = None) -> UndoResult:
    """Put every record the batch changed back as it was before (a new "restore" version each), unless the
    record was changed again since: those are left alone and listed. Raises ListError already_undone."""
    from kitab.catalogue import editing

    if batch.undone_at is not None:
        raise ListError("already_undone", _("This batch edit was already undone."))
    at = at or clock.now()
    result = UndoResult()
    versions = RecordVersion.objects.filter(batch_id=batch.pk, channel=RecordVersion.Channel.BATCH_EDIT)
    for version in versions.select_related("record").order_by("record_id"):
        latest = RecordVersion.objects.filter(record_id=version.record_id).order_by("-number").first()
        if latest is None or latest.pk != version.pk:
            result.changed_since.append(version.record_id)
            continue
        previous = editing.version_before(version)
        if previous is not None:
            editing.restore_version(version=previous, actor=actor, at=at,
                                    reason=_("Undo of batch edit %(number)d") % {"number": batch.pk})
            result.restored += 1
    batch.undone_at, batch.undone_by = at, actor.label()[:150]
    batch.save(update_fields=["undone_at", "undone_by"])
    return result
