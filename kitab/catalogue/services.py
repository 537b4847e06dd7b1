"""Catalogue writes: importing files of records, saving and deleting one record.

Every change to a record also queues the record for the search index in the same transaction
(`kitab.search.services.queue`), so the index can always catch up with the database.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

import pymarc
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from kitab.core import clock
from kitab.core.actor import Actor
from kitab.core.batching import batched
from kitab.items import services as item_services
from kitab.items.models import Item
from kitab.marc.errors import MarcReadError
from kitab.marc.mapping import summarize
from kitab.marc.reader import ReadResult, iter_records
from kitab.marc.summary import BibSummary
from kitab.marc.writer import to_iso2709
from kitab.search import services as search_services

from . import matching
from .errors import CatalogueError
from .models import DeletedRecord, ImportRun, Record, RecordIdentifier
from .signals import records_stored

BATCH_SIZE = 1000
# The index is committed every this many records: a crash loses no data (the outbox keeps the ids), but an
# index commit costs a segment flush, so don't do it per batch.
INDEX_COMMIT_EVERY = 50_000


@dataclass(slots=True)
class Reject:
    path: str
    position: int
    offset: int
    control_number: str | None
    reason: str


@dataclass
class ImportProgress:
    position: int = 0  # records read so far (including skipped-by-resume ones)
    offset: int = 0  # bytes of the (uncompressed) stream read so far
    file_offset: int = 0  # bytes of the file on disk read so far (compressed bytes for .gz/.xz)
    resumed_from: int = 0  # records skipped because an earlier, interrupted run committed them
    added: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    items_added: int = 0
    items_updated: int = 0


@dataclass
class ImportReport:
    path: str
    run_id: int
    resumed_from: int
    added: int
    updated: int
    skipped: int
    rejected: int
    items_added: int
    items_updated: int
    report_path: str | None
    seconds: float
    rejects: list[Reject] = field(default_factory=list)

    @property
    def records_per_second(self) -> float:
        done = self.added + self.updated + self.skipped + self.rejected
        return done / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "run_id": self.run_id,
            "resumed_from": self.resumed_from,
            "added": self.added,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "items_added": self.items_added,
            "items_updated": self.items_updated,
            "report_path": self.report_path,
            "seconds": round(self.seconds, 3),
            "records_per_second": round(self.records_per_second, 1),
            "rejects": [dataclasses.asdict(r) for r in self.rejects[:100]],
        }


@dataclass(slots=True)
class PreparedRecord:
    """A record ready to store: what the import and the editor both write (`prepare_record`, `fill_record`)."""

    summary: BibSummary
    raw: bytes
    digest: str
    keys: list[tuple[str, str]]  # RecordIdentifier (kind, value) rows


@dataclass(slots=True)
class _Incoming(PreparedRecord):
    result: ReadResult | None = None


def prepare_record(marc: pymarc.Record, *, raw: bytes | None = None, source: str = "") -> PreparedRecord:
    """Summarise and serialise `marc` (`raw`: its bytes when already normalised ISO 2709). Raises on a record
    the mapper or the writer cannot handle (callers turn that into a reject or a validation message)."""
    summary = summarize(marc)
    data = raw if raw else to_iso2709(marc)
    return PreparedRecord(
        summary=summary,
        raw=data,
        digest=hashlib.sha1(data).hexdigest(),
        keys=matching.identifier_rows(summary, source=source),
    )


def file_fingerprint(path: Path) -> str:
    """Size plus a hash of the first MiB: cheap, and enough to recognise the same file on a resumed import."""
    size = path.stat().st_size
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        digest.update(handle.read(1 << 20))
    return f"{size}:{digest.hexdigest()}"


def import_file(
    path: str | os.PathLike[str],
    *,
    actor: Actor,
    encoding: str | None = None,
    resume: bool = True,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[ImportProgress], None] | None = None,
) -> ImportReport:
    """Import ISO 2709 or MARCXML records (plain, .gz, .xz, .bz2), matching on 001/003 and 035.

    Each batch of records is one transaction: a crash or Ctrl-C keeps every committed batch, and running the same
    file again resumes after the last committed record (`resume=False` starts from the top; matching still
    prevents duplicates). Broken records are written to a reject report and do not stop the import.

    Raises CatalogueError("file_not_found" | "file_unreadable").
    """
    source = Path(path)
    if not source.is_file():
        raise CatalogueError("file_not_found", _("No such file: %(path)s") % {"path": source})
    try:
        fingerprint = file_fingerprint(source)
    except OSError as exc:
        raise CatalogueError("file_unreadable", _("Cannot read %(path)s: %(error)s") % {"path": source, "error": exc})

    started = time.monotonic()
    run, resumed_from = _start_run(source, fingerprint, encoding=encoding, actor=actor, resume=resume)
    progress = ImportProgress(
        position=resumed_from,
        resumed_from=resumed_from,
        added=run.added,
        updated=run.updated,
        skipped=run.skipped,
        rejected=run.rejected,
        items_added=run.items_added,
        items_updated=run.items_updated,
    )
    rejects: list[Reject] = []
    report_path = Path(run.report_path)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    indexer = search_services.BulkIndexer(commit_every=INDEX_COMMIT_EVERY)
    try:
        with report_path.open("a", encoding="utf-8") as report:
            if report.tell() == 0:
                report.write("file\trecord\tbyte_offset\tcontrol_number\treason\n")
            import_records(
                iter_records(source, encoding=encoding, start=resumed_from),
                actor=actor,
                origin=str(source),
                run=run,
                progress=progress,
                rejects=rejects,
                report=report,
                batch_size=batch_size,
                on_batch=indexer.add,
                on_progress=on_progress,
            )
        indexer.close()
        run.status = ImportRun.Status.FINISHED
    except KeyboardInterrupt:
        indexer.close()
        run.status = ImportRun.Status.INTERRUPTED
        raise
    except MarcReadError as exc:
        # The file itself is unusable from here on (not MARC, unknown encoding, corrupt compression): keep what
        # was committed, index it, and say why the rest could not be read.
        indexer.close()
        run.status = ImportRun.Status.FAILED
        raise CatalogueError(
            "file_unreadable",
            _("%(path)s: %(error)s (records before record %(position)s were imported)")
            % {"path": source.name, "error": exc, "position": progress.position + 1},
        ) from exc
    except BaseException:
        indexer.abandon()
        run.status = ImportRun.Status.FAILED
        raise
    finally:
        run.finished_at = clock.now()
        ImportRun.objects.filter(pk=run.pk).update(status=run.status, finished_at=run.finished_at)

    return ImportReport(
        path=str(source),
        run_id=run.pk,
        resumed_from=resumed_from,
        added=progress.added,
        updated=progress.updated,
        skipped=progress.skipped,
        rejected=progress.rejected,
        items_added=progress.items_added,
        items_updated=progress.items_updated,
        report_path=str(report_path) if progress.rejected else None,
        seconds=time.monotonic() - started,
        rejects=rejects,
    )


def import_records(
    results: Iterable[ReadResult],
    *,
    actor: Actor,
    source: str = "",
    origin: str = "",
    run: ImportRun | None = None,
    progress: ImportProgress | None = None,
    rejects: list[Reject] | None = None,
    report: TextIO | None = None,
    batch_size: int = BATCH_SIZE,
    extra_keys: Callable[[ReadResult], Iterable[tuple[str, str]]] | None = None,
    on_batch: Callable[[list[search_services.IndexDoc]], None] | None = None,
    on_progress: Callable[[ImportProgress], None] | None = None,
) -> ImportProgress:
    """Store parsed records (`kitab.marc.reader.ReadResult`s): the one writer behind `import_file` and harvesting.

    Records are matched on `oai`, then 003|001, then 035, all scoped by `source` (the member library code of
    harvested records; blank for our own), so an unchanged record is skipped, a changed one updated and a new
    one added; broken ones are counted as rejected and listed in `rejects` (and `report`, a TSV stream, when
    given). Each batch of `batch_size` records is one transaction (a savepoint inside the caller's transaction,
    if any) and is queued for the search index; `on_batch` gets the documents of the records it changed.
    `origin` names where the records came from in rejects (a file path, a URL). `extra_keys(result)` adds
    identifiers of the caller's own (kind, value), e.g. ("oai", "CODE|oai:…") for harvested records. `run`,
    when given, gets its counts and committed position updated with each batch. Returns the counts.
    """
    progress = progress if progress is not None else ImportProgress()
    rejects = rejects if rejects is not None else []
    origin_name = Path(origin).name if origin else ""
    for batch in batched(iter(results), batch_size):
        incoming: list[_Incoming] = []
        for result in batch:
            progress.position = result.position
            progress.offset = result.offset
            progress.file_offset = result.file_offset
            entry = _prepare(result, origin, origin_name, rejects, report, source=source)
            if entry is None:
                progress.rejected += 1
            else:
                if extra_keys is not None:
                    entry.keys.extend(extra_keys(result))
                incoming.append(entry)
        if report is not None:
            report.flush()
        docs = _store_batch(incoming, run=run, progress=progress, source=source)
        if on_batch:
            on_batch(docs)
        if on_progress:
            on_progress(progress)
    return progress


def _start_run(
    source: Path, fingerprint: str, *, encoding: str | None, actor: Actor, resume: bool
) -> tuple[ImportRun, int]:
    previous = (
        ImportRun.objects.filter(file_fingerprint=fingerprint, encoding=encoding or "")
        .exclude(status=ImportRun.Status.FINISHED)
        .order_by("-pk")
        .first()
    )
    if resume and previous is not None:
        previous.status = ImportRun.Status.RUNNING
        previous.save(update_fields=["status"])
        return previous, previous.committed_position
    now = clock.now()
    reports = Path(settings.KITAB_REPORTS_DIR)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    run = ImportRun.objects.create(
        path=str(source.resolve()),
        file_fingerprint=fingerprint,
        encoding=encoding or "",
        started_at=now,
        actor=actor.username or actor.channel,
    )
    run.report_path = str(reports / f"import-{stamp}-{run.pk}-rejects.tsv")
    run.save(update_fields=["report_path"])
    return run, 0


def _clean(text: str) -> str:
    return " ".join(text.split())


def _prepare(
    result: ReadResult,
    origin: str,
    origin_name: str,
    rejects: list[Reject],
    report: TextIO | None,
    *,
    source: str = "",
) -> _Incoming | None:
    reason = result.error
    entry: _Incoming | None = None
    if reason is None and result.record is not None:
        try:
            prepared = prepare_record(result.record, raw=getattr(result, "raw", None), source=source)
            entry = _Incoming(
                summary=prepared.summary, raw=prepared.raw, digest=prepared.digest, keys=prepared.keys, result=result
            )
        except Exception as exc:  # a record the mapper cannot handle is rejected, the file goes on
            reason = _("cannot map record: %(error)s") % {"error": exc}
    elif reason is None:
        reason = _("empty record")
    if entry is None:
        reject = Reject(origin, result.position, result.offset, result.control_number, _clean(reason or ""))
        if len(rejects) < 10_000:
            rejects.append(reject)
        if report is not None:
            report.write(
                f"{origin_name}\t{reject.position}\t{reject.offset}\t{reject.control_number or ''}\t{reject.reason}\n"
            )
    return entry


def _store_batch(
    incoming: list[_Incoming], *, run: ImportRun | None, progress: ImportProgress, source: str = ""
) -> list[search_services.IndexDoc]:
    """Write one batch in one transaction; return the documents to index for the records that changed."""
    last_position = progress.position
    with transaction.atomic():
        existing = _match(incoming)
        tombstones = _tombstones(incoming)
        new: list[tuple[_Incoming, Record]] = []
        changed: list[tuple[_Incoming, Record]] = []
        seen_in_batch: dict[str, Record] = {}
        for entry in incoming:
            record = _existing_for(entry, existing, seen_in_batch)
            if record is not None and record.raw_digest == entry.digest:
                progress.skipped += 1
                continue
            if record is None:
                record = Record(import_run_id=run.pk if run else None, pk=tombstones.get(_control_key(entry)))
                new.append((entry, record))
                progress.added += 1
            else:
                changed.append((entry, record))
                progress.updated += 1
            fill_record(record, entry)
            record.source = source
            for kind, value in entry.keys:
                if kind in matching.MATCH_KINDS:
                    seen_in_batch[f"{kind}:{value}"] = record
        # A record matched twice in one batch (same 001 twice in the file) is created once, then updated.
        # Unsaved model instances are unhashable, so deduplicate by identity.
        new_records = list({id(record): record for _, record in new}.values())
        Record.objects.bulk_create(new_records)
        # A deleted record imported again comes back under its old id, so the identifier harvesters know
        # (oai:…:<id>) is updated instead of staying deleted next to a new one.
        revived_ids = set(tombstones.values())
        revived = [record.pk for record in new_records if record.pk in revived_ids]
        if revived:
            DeletedRecord.objects.filter(pk__in=revived).delete()
        new_ids = {id(record) for record in new_records}
        updated_records = list({id(r): r for _, r in changed if id(r) not in new_ids}.values())
        if updated_records:
            Record.objects.bulk_update(
                updated_records,
                ["raw", "raw_digest", "title", "author", "year", "language", "material_type", "updated_at",
                 "control_number", "control_number_identifier", "source"],
            )
            RecordIdentifier.objects.filter(record__in=updated_records).delete()
        final: dict[int, _Incoming] = {}
        for entry, record in new + changed:
            final[record.pk] = entry  # the last version of a record in the batch wins
        _insert_identifiers(
            [(record_id, kind, value) for record_id, entry in final.items() for kind, value in dict.fromkeys(entry.keys)]
        )
        holdings = {record_id: entry.summary.holdings for record_id, entry in final.items()}
        item_counts = item_services.sync_imported_holdings(holdings, replace_for=[r.pk for r in updated_records])
        progress.items_added += item_counts.added
        progress.items_updated += item_counts.updated
        search_services.queue(final.keys())
        records_stored.send(
            Record, records={rid: e.result.record for rid, e in final.items() if e.result and e.result.record}
        )
        if run is not None:
            ImportRun.objects.filter(pk=run.pk).update(
                committed_position=last_position,
                added=progress.added,
                updated=progress.updated,
                skipped=progress.skipped,
                rejected=progress.rejected,
                items_added=progress.items_added,
                items_updated=progress.items_updated,
            )
    availability = item_services.availability_for(final.keys())
    return [
        search_services.IndexDoc(
            record_id=record_id,
            summary=entry.summary,
            branches=availability.get(record_id, ([], False))[0],
            available=availability.get(record_id, ([], False))[1],
            source=source,
        )
        for record_id, entry in final.items()
    ]


def _insert_identifiers(rows: list[tuple[int, str, str]]) -> None:
    # Plain executemany: the ORM's bulk_create costs ~20 µs per row in model and SQL building, a quarter of
    # the whole import's time for 2-3 identifiers per record.
    table = connection.ops.quote_name(RecordIdentifier._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (record_id, kind, value) VALUES (%s, %s, %s)", rows)


def _match(incoming: list[_Incoming]) -> dict[str, Record]:
    wanted = {value for entry in incoming for kind, value in entry.keys if kind in matching.MATCH_KINDS}
    if not wanted:
        return {}
    found: dict[str, int] = {}
    for kind, value, record_id in RecordIdentifier.objects.filter(
        kind__in=matching.MATCH_KINDS, value__in=wanted
    ).values_list("kind", "value", "record_id"):
        found.setdefault(f"{kind}:{value}", record_id)
    records = Record.objects.only("id", "raw_digest").in_bulk(set(found.values()))
    return {key: records[record_id] for key, record_id in found.items() if record_id in records}


def _control_key(entry: _Incoming) -> str | None:
    return next((value for kind, value in entry.keys if kind == "ctl"), None)


def _tombstones(incoming: list[_Incoming]) -> dict[str | None, int]:
    """Record ids of deleted records by control key (003|001, or source|003|001), for the incoming records."""
    wanted = {key for key in map(_control_key, incoming) if key}
    if not wanted:
        return {}
    found: dict[str | None, int] = {}
    rows = DeletedRecord.objects.filter(control_key__in=wanted).order_by("-deleted_at")
    for key, record_id in rows.values_list("control_key", "record_id"):
        found.setdefault(key, record_id)  # the most recently deleted one, should there be several
    return found


def _existing_for(entry: _Incoming, existing: dict[str, Record], seen: dict[str, Record]) -> Record | None:
    # 001/003 is the strongest key; 035 only decides when the control number is absent or unknown here.
    for kind in matching.MATCH_KINDS:
        for k, value in entry.keys:
            if k != kind:
                continue
            key = f"{kind}:{value}"
            if key in seen:
                return seen[key]
            if key in existing:
                return existing[key]
    return None


def fill_record(record: Record, entry: PreparedRecord) -> None:
    """Copy the raw record and its extracted columns onto `record` (not saved)."""
    summary = entry.summary
    record.raw = entry.raw
    record.raw_digest = entry.digest
    record.control_number = (summary.control_number or "")[:64]
    record.control_number_identifier = (summary.control_number_identifier or "")[:32]
    record.title = summary.title
    record.author = summary.authors[0] if summary.authors else ""
    record.year = summary.year
    record.language = summary.languages[0] if summary.languages else ""
    record.material_type = summary.material_type
    record.updated_at = clock.now()


def delete_records(record_ids: Iterable[int], *, actor: Actor, at: datetime | None = None) -> int:
    """Delete records (and their copies) and remove them from the index. Returns how many were deleted.

    Each deleted record leaves a `DeletedRecord` tombstone (deleted_at = `at`, default now) written in the
    same transaction, so OAI-PMH harvesters are told about the deletion. Ids that do not exist are ignored.
    """
    ids = list(record_ids)
    at = at or clock.now()
    with transaction.atomic():
        rows = list(
            Record.objects.filter(pk__in=ids).values_list("pk", "control_number", "material_type")
        )
        branches: dict[int, list[str]] = {}
        for record_id, code in (
            Item.objects.filter(record_id__in=[row[0] for row in rows])
            .values_list("record_id", "home_branch__code")
            .order_by("record_id", "home_branch__code")
            .distinct()
        ):
            branches.setdefault(record_id, []).append(code)
        keys = dict(
            RecordIdentifier.objects.filter(record_id__in=[row[0] for row in rows], kind="ctl").values_list(
                "record_id", "value"
            )
        )
        DeletedRecord.objects.bulk_create(
            [
                DeletedRecord(
                    record_id=record_id,
                    control_number=control_number,
                    control_key=keys.get(record_id, ""),
                    deleted_at=at,
                    material_type=material_type,
                    branch_codes="".join(DeletedRecord.branch_token(c) for c in branches.get(record_id, [])),
                )
                for record_id, control_number, material_type in rows
            ]
        )
        deleted = len(rows)
        Record.objects.filter(pk__in=ids).delete()
        search_services.queue(ids)
    transaction.on_commit(lambda: search_services.index_pending_soon())
    return deleted
