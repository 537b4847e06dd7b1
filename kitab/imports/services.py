"""Staged imports: stage a file, set its rules, run it (resumably, chunk by chunk) and undo it as a whole.

Every record is written through the catalogue's one save path (`kitab.catalogue.editing.save_record`, channel
"import", with the batch id on the version it writes), so a staged import keeps history and indexes exactly as
the editor does. Undo puts the updated records back to the version before the batch, deletes the records and
copies the batch added and puts back the copies it changed — or refuses, listing what would be lost.

The plain `kitab import` (catalogue.services.import_file) stays the fast path for loading whole catalogues; it
keeps no per-record report and cannot be undone.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kitab.authorities.headings import is_authority
from kitab.authorities.services import is_authority_file
from kitab.catalogue import editing
from kitab.catalogue import services as catalogue_services
from kitab.catalogue.errors import CatalogueError
from kitab.catalogue.models import Record, RecordIdentifier, RecordVersion
from kitab.catalogue.services import PreparedRecord
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.items.models import Item
from kitab.marc.errors import MarcReadError
from kitab.marc.reader import ReadResult, iter_records
from kitab.search import services as search_services

from . import duplicates as dup
from .errors import ImportBatchError
from .merging import merge_fields
from .models import BatchItem, BatchRecord, ImportBatch
from .planning import Decision, Outcome, decide, find_matches, match_kinds

Status = ImportBatch.Status
# Records written per transaction: small enough that the progress bar moves and a crash loses little, large
# enough that the per-chunk overhead (matching query, progress row) stays small.
CHUNK_SIZE = 100
PREVIEW_SIZE = 50


# --- staging ---------------------------------------------------------------------------------------------------


def batches_dir() -> Path:
    """Where uploaded files wait for their batch: $KITAB_HOME/batches."""
    return Path(settings.KITAB_HOME) / "batches"


def inbox_dir() -> Path:
    """The server folder staff may pick files from in the staff interface (KITAB_IMPORT_INBOX)."""
    configured = getattr(settings, "KITAB_IMPORT_INBOX", None)
    return Path(configured) if configured else Path(settings.KITAB_HOME) / "inbox"


def _check_options(match_rule: str, on_match: str) -> None:
    if match_rule not in ImportBatch.MatchRule.values:
        raise ImportBatchError("bad_rule", _("Unknown matching rule: %(rule)s") % {"rule": match_rule})
    if on_match not in ImportBatch.OnMatch.values:
        raise ImportBatchError("bad_action", _("Unknown action on a match: %(action)s") % {"action": on_match})


def _check_readable(path: Path, encoding: str | None) -> None:
    """The file must exist and start like MARC (ISO 2709 or MARCXML, maybe compressed)."""
    if not path.is_file():
        raise ImportBatchError("file_not_found", _("No such file: %(path)s") % {"path": path})
    try:
        for _result in iter_records(path, encoding=encoding or None):
            break
    except MarcReadError as exc:
        raise ImportBatchError(
            "file_unreadable", _("%(name)s cannot be read as MARC: %(error)s") % {"name": path.name, "error": exc}
        ) from exc


def stage_file(
    path: str | Path,
    *,
    actor: Actor,
    at: datetime | None = None,
    name: str | None = None,
    encoding: str = "",
    match_rule: str = ImportBatch.MatchRule.CONTROL,
    on_match: str = ImportBatch.OnMatch.REPLACE,
    with_items: bool = True,
    allowed_dir: Path | None = None,
) -> ImportBatch:
    """Stage a MARC file on the server for import (nothing is imported yet). Returns the new batch.

    `allowed_dir`: when given (the staff interface passes the inbox), the file must lie inside it.
    Raises ImportBatchError("file_not_found" | "file_outside_inbox" | "file_unreadable" | "bad_rule" |
    "bad_action").
    """
    _check_options(match_rule, on_match)
    source = Path(path).expanduser()
    if allowed_dir is not None:
        resolved = source.resolve()
        if not resolved.is_relative_to(allowed_dir.resolve()):
            raise ImportBatchError(
                "file_outside_inbox",
                _("Only files in the import folder %(folder)s can be staged here.") % {"folder": allowed_dir},
            )
        source = resolved
    _check_readable(source, encoding)
    if is_authority_file(source):
        raise ImportBatchError(
            "authority_file",
            _("%(name)s holds authority records; load it with “kitab import” or on the authorities page.")
            % {"name": source.name},
        )
    return ImportBatch.objects.create(
        name=(name or source.name)[:255],
        path=str(source.resolve()),
        file_size=source.stat().st_size,
        encoding=encoding,
        match_rule=match_rule,
        on_match=on_match,
        with_items=with_items,
        staged_by=actor.username or actor.label(),
        staged_at=at or clock.now(),
    )


def _safe_name(name: str) -> str:
    base = Path(name).name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")[:80] or "upload.mrc"


def stage_upload(chunks: Iterable[bytes], *, name: str, actor: Actor, at: datetime | None = None,
                 **options: object) -> ImportBatch:
    """Stage an uploaded file: its bytes are kept in $KITAB_HOME/batches until the batch is deleted.

    Takes the same options as `stage_file`. An unreadable upload is removed again.
    """
    folder = batches_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{clock.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}-{_safe_name(name)}"
    with target.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    try:
        return stage_file(target, actor=actor, at=at, name=name, **options)  # type: ignore[arg-type]
    except ImportBatchError:
        target.unlink(missing_ok=True)
        raise


def set_options(
    batch: ImportBatch, *, match_rule: str, on_match: str, with_items: bool, encoding: str = "", actor: Actor
) -> ImportBatch:
    """Change the rules of a batch that has not run yet. Raises ImportBatchError("not_staged" | "bad_rule" |
    "bad_action" | "file_unreadable")."""
    _check_options(match_rule, on_match)
    if batch.status != Status.STAGED:
        raise ImportBatchError("not_staged", _("This batch has already run; its rules cannot change."))
    if encoding != batch.encoding:
        _check_readable(Path(batch.path), encoding)
    batch.match_rule, batch.on_match, batch.with_items, batch.encoding = match_rule, on_match, with_items, encoding
    batch.save(update_fields=["match_rule", "on_match", "with_items", "encoding"])
    return batch


# --- preview ---------------------------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    position: int
    control_number: str
    title: str = ""
    author: str = ""
    year: int | None = None
    isbns: list[str] = field(default_factory=list)
    system_numbers: list[str] = field(default_factory=list)
    lccn: str = ""
    decision: Decision | None = None
    reason: str = ""  # for a rejected record
    duplicates: list[dup.Duplicate] = field(default_factory=list)
    copies: int = 0

    @property
    def outcome(self) -> str:
        return self.decision.outcome if self.decision else Outcome.REJECT


def _prepare(result: ReadResult) -> tuple[PreparedRecord | None, str]:
    """The prepared record, or None and why it is rejected (the same reasons as `kitab import`)."""
    if result.error is not None:
        return None, " ".join(result.error.split())
    if result.record is None:
        return None, _("empty record")
    if is_authority(result.record):
        return None, _("an authority record (leader/06 “z”), not a bibliographic one")
    try:
        return catalogue_services.prepare_record(result.record, raw=result.raw), ""
    except Exception as exc:  # noqa: BLE001 - a record the mapper cannot handle is rejected, the file goes on
        return None, " ".join((_("cannot map record: %(error)s") % {"error": exc}).split())


def preview(batch: ImportBatch, *, limit: int = PREVIEW_SIZE) -> list[PreviewRow]:
    """The first `limit` records of the file with what running the batch now would do to each (read only).

    Raises ImportBatchError("file_unreadable").
    """
    results: list[ReadResult] = []
    try:
        for result in iter_records(batch.path, encoding=batch.encoding or None):
            results.append(result)
            if len(results) >= limit:
                break
    except MarcReadError as exc:
        raise ImportBatchError("file_unreadable", str(exc)) from exc
    prepared = [(result, *_prepare(result)) for result in results]
    matches = find_matches([entry for _r, entry, _why in prepared if entry], batch.match_rule)
    rows = []
    for result, entry, why in prepared:
        row = PreviewRow(position=result.position, control_number=result.control_number or "", reason=why)
        if entry is not None:
            summary = entry.summary
            row.title, row.year = summary.title, summary.year
            row.author = summary.authors[0] if summary.authors else ""
            row.isbns, row.system_numbers, row.lccn = summary.isbns, summary.system_numbers, summary.lccn or ""
            row.copies = len(summary.holdings) if batch.with_items else 0
            row.control_number = summary.control_number or row.control_number
            row.decision = decide(entry, matches, rule=batch.match_rule, on_match=batch.on_match)
            exclude = {row.decision.target.pk} if row.decision.target else set()
            row.duplicates = dup.candidates(summary, exclude=exclude)
        rows.append(row)
    return rows


# --- running ---------------------------------------------------------------------------------------------------


def queue_batch(batch: ImportBatch, *, actor: Actor) -> ImportBatch:
    """Mark a staged batch as waiting for its job (the job runner calls `run_batch`). Raises ImportBatchError(
    "not_staged")."""
    updated = ImportBatch.objects.filter(pk=batch.pk, status=Status.STAGED).update(status=Status.QUEUED)
    if not updated:
        raise ImportBatchError("not_staged", _("This batch has already been started."))
    batch.refresh_from_db()
    return batch


def run_batch(
    batch: ImportBatch,
    *,
    actor: Actor,
    at: datetime | None = None,
    resume: bool = False,
    on_progress: Callable[[ImportBatch], None] | None = None,
) -> ImportBatch:
    """Import the batch's file with its rules, chunk by chunk (each chunk one transaction with its report rows
    and the batch's progress), so a crash keeps every committed chunk and `resume=True` continues after it.

    A staged or queued batch runs; a failed one, or a running one whose process died (`resume=True`), continues.
    Raises ImportBatchError("not_runnable" | "file_unreadable").
    """
    runnable = [Status.STAGED, Status.QUEUED, Status.FAILED] + ([Status.RUNNING] if resume else [])
    now = clock.now()
    claimed = ImportBatch.objects.filter(pk=batch.pk, status__in=runnable).update(
        status=Status.RUNNING, error=""
    )
    if not claimed:
        batch.refresh_from_db()
        if batch.status == Status.RUNNING:
            message = _("This batch is already running. If the process that ran it has ended, resume it.")
        else:
            message = _("This batch cannot run: it is %(status)s.") % {"status": batch.get_status_display()}
        raise ImportBatchError("not_runnable", message)
    batch.refresh_from_db()
    if batch.started_at is None:
        batch.started_at = at or now
        batch.save(update_fields=["started_at"])
    try:
        chunk: list[ReadResult] = []
        for result in iter_records(batch.path, encoding=batch.encoding or None, start=batch.position):
            chunk.append(result)
            if len(chunk) >= CHUNK_SIZE:
                _run_chunk(batch, chunk, actor=actor, at=at)
                chunk = []
                if on_progress:
                    on_progress(batch)
        if chunk:
            _run_chunk(batch, chunk, actor=actor, at=at)
        batch.file_offset = batch.file_size
        batch.status = Status.FINISHED
    except MarcReadError as exc:
        batch.status = Status.FAILED
        batch.error = _("%(name)s: %(error)s (records before record %(position)s were imported)") % {
            "name": batch.name, "error": exc, "position": batch.position + 1,
        }
    except BaseException as exc:
        batch.status = Status.FAILED
        batch.error = str(exc) or exc.__class__.__name__
        raise
    finally:
        batch.finished_at = clock.now()
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=batch.status, error=batch.error, finished_at=batch.finished_at, file_offset=batch.file_offset
        )
        if on_progress:
            on_progress(batch)
    if batch.status == Status.FAILED:
        raise ImportBatchError("file_unreadable", batch.error)
    return batch


def _snapshot_items(batch: ImportBatch, record_id: int | None, barcodes: list[str]) -> set[int]:
    """Save the state of the copies a write may change (the record's copies, copies with the incoming
    barcodes) unless this batch saved or created them already. Returns the ids of the copies that existed."""
    items = Item.objects.none()
    if record_id is not None:
        items = Item.objects.filter(record_id=record_id)
    if barcodes:
        items = items | Item.objects.filter(barcode__in=barcodes)
    existing = list(items)
    known = set(BatchItem.objects.filter(batch=batch, item_id__in=[i.pk for i in existing]).values_list(
        "item_id", flat=True))
    BatchItem.objects.bulk_create(
        [BatchItem(batch=batch, item_id=item.pk, before=serializers.serialize("json", [item]))
         for item in existing if item.pk not in known]
    )
    return {item.pk for item in existing}


def _note_created_items(batch: ImportBatch, record_id: int, existed: set[int]) -> int:
    created = [pk for pk in Item.objects.filter(record_id=record_id).values_list("pk", flat=True) if pk not in existed]
    known = set(BatchItem.objects.filter(batch=batch, item_id__in=created).values_list("item_id", flat=True))
    BatchItem.objects.bulk_create([BatchItem(batch=batch, item_id=pk, before=None) for pk in created if pk not in known])
    return len(created)


def _run_chunk(batch: ImportBatch, chunk: list[ReadResult], *, actor: Actor, at: datetime | None) -> None:
    with transaction.atomic():
        prepared = [(result, *_prepare(result)) for result in chunk]
        matches = find_matches(
            [entry for _r, entry, _why in prepared if entry], batch.match_rule,
            with_raw=batch.on_match == ImportBatch.OnMatch.MERGE,
        )
        rows: list[BatchRecord] = []
        for result, entry, why in prepared:
            row = BatchRecord(batch=batch, position=result.position, byte_offset=result.offset,
                              control_number=(result.control_number or "")[:64])
            if entry is None:
                row.action, row.reason = BatchRecord.Action.REJECTED, why
            else:
                _write_one(batch, result, entry, matches, row, actor=actor, at=at)
            rows.append(row)
            field_name = {"added": "added", "updated": "updated", "skipped": "skipped"}.get(row.action, "rejected")
            setattr(batch, field_name, getattr(batch, field_name) + 1)
            batch.duplicates += 1 if row.duplicates else 0
        BatchRecord.objects.bulk_create(rows)
        batch.position = chunk[-1].position
        batch.file_offset = chunk[-1].file_offset
        batch.save(update_fields=["position", "file_offset", "added", "updated", "skipped", "rejected",
                                  "items_added", "duplicates"])


def _write_one(
    batch: ImportBatch,
    result: ReadResult,
    entry: PreparedRecord,
    matches: dict[tuple[str, str], list[Record]],
    row: BatchRecord,
    *,
    actor: Actor,
    at: datetime | None,
) -> None:
    summary = entry.summary
    decision = decide(entry, matches, rule=batch.match_rule, on_match=batch.on_match)
    row.title = summary.title[:2000]
    row.control_number = (summary.control_number or row.control_number)[:64]
    row.matched_on = decision.matched_on
    row.reason_code, row.matched_record_id = decision.code, decision.matched_id
    if decision.outcome == Outcome.SKIP:
        # Nothing is written, so there is nothing new to be a duplicate of (and the check costs a search).
        row.action = BatchRecord.Action.SKIPPED
        row.record_id = decision.target.pk if decision.target else None
        return
    exclude = {decision.target.pk} if decision.target else set()
    row.duplicates = [d.as_json() for d in dup.candidates(summary, exclude=exclude)]
    target = decision.target if decision.outcome == Outcome.UPDATE else None
    marc = result.record
    assert marc is not None
    if target is not None and batch.on_match == ImportBatch.OnMatch.MERGE:
        marc = merge_fields(editing.as_pymarc(bytes(target.raw)), marc)
    barcodes = [h.barcode.strip() for h in summary.holdings if h.barcode and h.barcode.strip()]
    existed = _snapshot_items(batch, target.pk if target else None, barcodes) if batch.with_items else set()
    try:
        with transaction.atomic():
            record = editing.save_record(
                record=target, marc=marc, actor=actor, channel=RecordVersion.Channel.IMPORT, at=at,
                batch_id=batch.pk, validate=False, sync_holdings=batch.with_items,
                reason=_("Staged import %(batch)s, record %(position)s") % {"batch": batch.pk,
                                                                             "position": result.position},
            )
    except CatalogueError as exc:
        row.action, row.reason, row.reason_code, row.duplicates = BatchRecord.Action.REJECTED, exc.message, "", []
        return
    row.record_id = record.pk
    row.digest_after = record.raw_digest
    row.action = BatchRecord.Action.UPDATED if target is not None else BatchRecord.Action.ADDED
    if batch.with_items:
        batch.items_added += _note_created_items(batch, record.pk, existed)
    if target is None:
        # A later record of this chunk with the same key updates this one (across chunks the query finds it).
        for kind, value in entry.keys:
            if kind in match_kinds(batch.match_rule):
                matches.setdefault((kind, value), [record])


# --- undo ------------------------------------------------------------------------------------------------------


@dataclass
class UndoReport:
    deleted: int = 0
    restored: int = 0
    items_deleted: int = 0
    items_restored: int = 0


def _last_rows(batch: ImportBatch) -> tuple[dict[int, BatchRecord], set[int]]:
    """The last report row per record the batch wrote, and the ids of the records it added."""
    last: dict[int, BatchRecord] = {}
    added: set[int] = set()
    for row in batch.records.filter(action__in=[BatchRecord.Action.ADDED, BatchRecord.Action.UPDATED],
                                    record_id__isnull=False).order_by("position"):
        last[row.record_id] = row  # type: ignore[index]
        if row.action == BatchRecord.Action.ADDED:
            added.add(row.record_id)  # type: ignore[arg-type]
    return last, added


# Ids per query: SQLite allows 32,766 parameters per statement, and a batch can hold far more records.
ID_CHUNK = 5000
# Problems listed at most (the rest are counted): a batch edited all over says so in a readable page.
MAX_PROBLEMS = 200


def _chunked(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def undo_problems(batch: ImportBatch) -> list[str]:
    """What undoing `batch` now would lose, one sentence each (empty: undo is safe)."""
    from kitab.circulation.models import Loan
    from kitab.holds.models import Hold

    problems: list[str] = []
    last, added = _last_rows(batch)
    current: dict[int, str] = {}
    for ids in _chunked(last):
        current.update(Record.objects.filter(pk__in=ids).values_list("pk", "raw_digest"))
    for record_id, row in last.items():
        if record_id not in current:
            if record_id not in added:
                problems.append(_("Record %(id)s (%(title)s), updated by this batch, has been deleted since.")
                                % {"id": record_id, "title": row.title})
            continue
        if current[record_id] != row.digest_after:
            problems.append(_("Record %(id)s (%(title)s) has been edited since this batch.")
                            % {"id": record_id, "title": row.title})
    live_added = [pk for pk in added if pk in current]
    known = set(batch.items.values_list("item_id", flat=True))
    lent: set[int] = set()
    held: set[int] = set()
    for ids in _chunked(live_added):
        for record_id, item_id, barcode in Item.objects.filter(record_id__in=ids).values_list(
            "record_id", "pk", "barcode"
        ):
            if item_id not in known:
                problems.append(_("Record %(id)s, added by this batch, has a copy added since (%(barcode)s).")
                                % {"id": record_id, "barcode": barcode or "-"})
        lent.update(Loan.objects.filter(item__record_id__in=ids).values_list("item__record_id", flat=True))
        held.update(Hold.objects.filter(record_id__in=ids, status__in=Hold.ACTIVE).values_list("record_id", flat=True))
    for record_id in sorted(lent):
        problems.append(_("Record %(id)s (%(title)s), added by this batch, has loans.")
                        % {"id": record_id, "title": last[record_id].title})
    for record_id in sorted(held):
        problems.append(_("Record %(id)s (%(title)s), added by this batch, has holds waiting.")
                        % {"id": record_id, "title": last[record_id].title})
    since = batch.started_at or batch.staged_at
    barcodes: set[str] = set()
    for ids in _chunked(known):
        barcodes.update(b or "-" for b in Loan.objects.filter(item_id__in=ids, issued_at__gte=since)
                        .values_list("item__barcode", flat=True))
    for barcode in sorted(barcodes):
        problems.append(_("Copy %(barcode)s, added or changed by this batch, has been lent since.")
                        % {"barcode": barcode})
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [
            ngettext("… and %(n)s more problem.", "… and %(n)s more problems.", more) % {"n": more}
        ]
    return problems


@transaction.atomic
def undo_batch(batch: ImportBatch, *, actor: Actor, at: datetime | None = None) -> UndoReport:
    """Undo a whole batch: records it added are deleted (leaving tombstones, as any delete does), records it
    updated get back the version they had before it, copies it added are deleted and copies it changed or
    replaced are put back as they were (same ids). The search index follows.

    Refuses, changing nothing, when that would lose work done since (edits, new copies, loans, holds): the
    error's `problems` lists each. Raises ImportBatchError("not_undoable" | "undo_would_lose_data").
    """
    at = at or clock.now()
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in (Status.FINISHED, Status.FAILED):
        raise ImportBatchError(
            "not_undoable",
            _("Only a finished (or failed) batch can be undone; this one is %(status)s.")
            % {"status": batch.get_status_display()},
        )
    problems = undo_problems(batch)
    if problems:
        raise ImportBatchError(
            "undo_would_lose_data",
            _("This batch cannot be undone without losing later work:"),
            problems,
        )
    report = UndoReport()
    last, added = _last_rows(batch)
    # 1. Copies the batch created go; copies it changed or replaced come back (before their records change).
    created = list(batch.items.filter(before__isnull=True).values_list("item_id", flat=True))
    for ids in _chunked(created):
        _total, counts = Item.objects.filter(pk__in=ids).delete()
        report.items_deleted += counts.get(Item._meta.label, 0)
    restored_items = batch.items.filter(before__isnull=False).order_by("item_id")
    # Free barcodes first, so a copy coming back never collides with the state the batch left behind.
    for ids in _chunked(restored_items.values_list("item_id", flat=True)):
        Item.objects.filter(pk__in=ids).update(barcode=None)
    for row in restored_items.iterator(chunk_size=1000):
        for obj in serializers.deserialize("json", row.before):
            if Record.objects.filter(pk=obj.object.record_id).exists():
                obj.save()
                report.items_restored += 1
    # 2. Updated records get back the version before the batch's first version of them.
    restore_ids = [record_id for record_id in last if record_id not in added]
    for record_id in restore_ids:
        _restore_before(batch, record_id, at=at)
        report.restored += 1
    # 3. Added records go, with tombstones and their remaining copies.
    for ids in _chunked(sorted(added)):
        report.deleted += catalogue_services.delete_records(ids, actor=actor, at=at)
    # batch_id is shared with staff batch edits (kitab.worklists): only this import's versions go.
    RecordVersion.objects.filter(batch_id=batch.pk, channel=RecordVersion.Channel.IMPORT).delete()
    search_services.queue(restore_ids)
    editing.index_after_commit()
    batch.status = Status.UNDONE
    batch.undone_at = at
    batch.undone_by = actor.username or actor.label()
    batch.save(update_fields=["status", "undone_at", "undone_by"])
    return report


def _restore_before(batch: ImportBatch, record_id: int, *, at: datetime) -> None:
    first = (RecordVersion.objects.filter(record_id=record_id, batch_id=batch.pk,
                                          channel=RecordVersion.Channel.IMPORT).order_by("number").first())
    previous = editing.version_before(first) if first else None
    if previous is None:  # history was lost (the versions were deleted): nothing to go back to
        return
    raw = bytes(previous.raw)
    prepared = catalogue_services.prepare_record(editing.as_pymarc(raw), raw=raw)
    record = Record.objects.select_for_update().get(pk=record_id)
    catalogue_services.fill_record(record, prepared)
    # Not the old timestamp: OAI-PMH harvesters must see that the record changed (back).
    record.updated_at = at
    record.save()
    RecordIdentifier.objects.filter(record_id=record_id).delete()
    RecordIdentifier.objects.bulk_create(
        [RecordIdentifier(record_id=record_id, kind=kind, value=value) for kind, value in dict.fromkeys(prepared.keys)]
    )


def delete_batch(batch: ImportBatch, *, actor: Actor) -> None:
    """Forget a batch that never ran, with its uploaded file. Raises ImportBatchError("not_staged")."""
    if batch.status != Status.STAGED:
        raise ImportBatchError("not_staged", _("Only a batch that has not run can be discarded."))
    path = Path(batch.path)
    if path.parent == batches_dir():
        path.unlink(missing_ok=True)
    batch.delete()
