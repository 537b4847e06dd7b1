"""The one search service (OPAC, staff, CLI, protocols all call `search`) and the index upkeep around it.

The database is the source of truth. Writers queue record ids in `PendingIndexUpdate` inside their own
transaction; whoever holds the index writer then indexes them (`index_pending`). `reindex` rebuilds everything.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from kitab.core import clock
from kitab.marc.iso2709 import parse_record
from kitab.marc.mapping import summarize

from .documents import add_extra_forms
from .engine import IndexLockedError, SearchEngine
from .models import PendingIndexUpdate
from .types import IndexDoc, SchemaVersionError, SearchRequest, SearchResult

__all__ = ["BulkIndexer", "IndexDoc", "SearchRequest", "SearchResult", "index_pending", "queue", "reindex", "search"]

log = logging.getLogger(__name__)
_engine: SearchEngine | None = None
_engine_lock = threading.Lock()


def engine() -> SearchEngine:
    """The process-wide engine over `KITAB_INDEX_DIR` (opened once; readers reload on new commits)."""
    global _engine
    with _engine_lock:
        path = Path(settings.KITAB_INDEX_DIR)
        if _engine is None or Path(_engine.path) != path:
            _engine = SearchEngine(path)
        return _engine


def reset_engine() -> None:
    global _engine
    with _engine_lock:
        _engine = None


def search(request: SearchRequest) -> SearchResult:
    """Search the catalogue. Raises QuerySyntaxError (code "query_syntax") for a query that cannot be repaired."""
    return engine().search(request)


def queue(record_ids: Iterable[int]) -> None:
    """Mark records as needing (re)indexing; call inside the transaction that changed them.

    A record queued again gets a new `queued_at`, which tells a concurrent drain not to remove it. Plain SQL
    (valid on SQLite and PostgreSQL) because imports queue hundreds of thousands of ids.
    """
    now = clock.now()
    table = connection.ops.quote_name(PendingIndexUpdate._meta.db_table)
    rows = [(rid, now) for rid in record_ids]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                f"INSERT INTO {table} (record_id, queued_at) VALUES (%s, %s) "
                "ON CONFLICT (record_id) DO UPDATE SET queued_at = excluded.queued_at",
                rows[start : start + 5000],
            )


def _writer_heap() -> int:
    return int(settings.KITAB_INDEX_WRITER_HEAP_MB) * 1024 * 1024


def documents_for(record_ids: Iterable[int]) -> tuple[list[IndexDoc], list[int]]:
    """Index documents for the records that exist, and the ids that no longer exist (to delete)."""
    from kitab.catalogue.models import Record
    from kitab.items.services import availability_for

    ids = list(record_ids)
    docs: list[IndexDoc] = []
    found: set[int] = set()
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        availability = availability_for(chunk)
        rows = Record.objects.filter(pk__in=chunk).values_list("pk", "raw", "source").iterator()
        for record_id, raw, source in rows:
            found.add(record_id)
            record, _warnings = parse_record(bytes(raw))
            branches, available = availability.get(record_id, ([], False))
            docs.append(IndexDoc(record_id=record_id, summary=summarize(record), branches=branches, available=available,
                                 source=source))
    add_extra_forms(docs)
    return docs, [rid for rid in ids if rid not in found]


# Enough for the few records a small change queues; imports and rebuilds use KITAB_INDEX_WRITER_HEAP_MB.
SMALL_WRITER_HEAP = 32 * 1024 * 1024


def index_pending(*, wait_seconds: float = 5.0, heap_bytes: int | None = None) -> int:
    """Index every queued record. Returns how many were processed, or 0 when another process holds the writer
    (that process will drain the queue itself)."""
    try:
        writer = engine().writer(heap_bytes=heap_bytes or _writer_heap(), timeout=wait_seconds)
    except IndexLockedError:
        return 0
    with writer:
        return _drain(writer)


def _drain(writer) -> int:  # type: ignore[no-untyped-def]
    """Index queued records in batches; commit the index once per 50,000, then unqueue what was committed."""
    total = 0
    done: list[tuple[int, object]] = []
    last = -1
    while True:
        batch = list(
            PendingIndexUpdate.objects.filter(record_id__gt=last)
            .order_by("record_id")
            .values_list("record_id", "queued_at")[:5000]
        )
        if batch:
            ids = [rid for rid, _ in batch]
            docs, gone = documents_for(ids)
            writer.delete(gone)
            writer.upsert(docs)
            done.extend(batch)
            total += len(ids)
            last = ids[-1]
        if done and (not batch or len(done) >= 50_000):
            writer.commit()
            _unqueue(done)
            done = []
        if not batch:
            return total


def _unqueue(rows: list[tuple[int, object]]) -> None:
    # Only rows not re-queued while we worked are removed (same queued_at), so a concurrent change is never lost.
    table = connection.ops.quote_name(PendingIndexUpdate._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {table} WHERE record_id = %s AND queued_at = %s", rows)


# A small change (a loan, a deleted record) is indexed this long after its commit, together with whatever else
# changed meanwhile: opening the index writer and committing costs far more than indexing a few records, so a
# desk or a SIP2 terminal must not pay it on every scan.
INDEX_SOON_DELAY = 0.3
_soon_lock = threading.Lock()
_soon_timer: threading.Timer | None = None
# One drain at a time per process. Changes committed while it runs ask for another round (`_again`), run by the
# same thread once it finishes, instead of a second drain thread queueing for the index writer: under a steady
# stream of loans (a SIP2 server) overlapping drains spent more CPU waiting for and opening writers than indexing.
_draining = False
_again = False


def index_pending_soon() -> None:
    """After a small change: index the queued records shortly, in a background thread, coalescing bursts.

    Never blocks or fails the caller; the queue keeps the work if indexing fails or the process ends first.
    With `KITAB_INDEX_SYNC` (the test settings) it indexes at once instead.
    """
    global _soon_timer, _again
    if getattr(settings, "KITAB_INDEX_SYNC", False):
        _index_pending_quietly()
        return
    with _soon_lock:
        if _draining:
            _again = True  # the running drain goes round once more when it is done
            return
        if _soon_timer is not None:
            return  # a drain is already scheduled and will pick this change up
        _soon_timer = threading.Timer(INDEX_SOON_DELAY, _drain_in_background)
        _soon_timer.daemon = True
        _soon_timer.start()


def _drain_in_background() -> None:
    global _soon_timer, _draining, _again
    with _soon_lock:
        _soon_timer = None
        _draining, _again = True, False
    try:
        while True:
            _index_pending_quietly()
            with _soon_lock:
                if not _again:
                    _draining = False
                    return
                _again = False
            time.sleep(INDEX_SOON_DELAY)  # let the next burst of changes gather
    finally:
        with _soon_lock:
            _draining = False
        connection.close()  # this thread's own database connection


def _index_pending_quietly() -> None:
    try:
        index_pending(wait_seconds=5.0, heap_bytes=SMALL_WRITER_HEAP)
    except Exception:  # the queue keeps the work; never fail anyone over the index
        log.exception("indexing queued records failed; they stay queued")


class BulkIndexer:
    """Keeps one index writer open for a long import and commits every `commit_every` documents."""

    def __init__(self, *, commit_every: int) -> None:
        self.commit_every = commit_every
        self.writer = engine().writer(heap_bytes=_writer_heap(), timeout=30.0)
        self.writer.__enter__()
        _drain(self.writer)
        self.uncommitted: list[int] = []

    def add(self, docs: list[IndexDoc]) -> None:
        self.writer.upsert(add_extra_forms(docs))
        self.uncommitted.extend(doc.record_id for doc in docs)
        if len(self.uncommitted) >= self.commit_every:
            self.flush()

    def flush(self) -> None:
        self.writer.commit()
        ids = self.uncommitted
        self.uncommitted = []
        table = connection.ops.quote_name(PendingIndexUpdate._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {table} WHERE record_id = %s", [(rid,) for rid in ids])

    def close(self) -> None:
        """Commit what was added, drain anything queued meanwhile by other processes, release the writer."""
        try:
            self.flush()
            _drain(self.writer)
        finally:
            self.writer.__exit__(None, None, None)

    def abandon(self) -> None:
        """Release the writer without committing; the queue still lists the records for the next writer."""
        try:
            self.writer.rollback()
        finally:
            self.writer.__exit__(None, None, None)


def reindex(*, on_progress: Callable[[int, int], None] | None = None, batch_size: int = 2000) -> int:
    """Rebuild the index from the database from scratch. Returns the number of records indexed.

    Runs in place inside one index transaction: searches keep seeing the old index until the final commit.
    Works as well on a deleted index folder, and on one built by an older Kitab with another schema, which is
    then replaced (searches fail until the rebuild commits, as they did already with the old schema).
    """
    from kitab.catalogue.models import Record

    total = Record.objects.count()
    done = 0
    with transaction.atomic():
        # Whatever is queued now is covered by the rebuild; anything queued later stays queued.
        PendingIndexUpdate.objects.all().delete()
    try:
        target = engine()
    except SchemaVersionError:
        global _engine
        with _engine_lock:
            _engine = SearchEngine.recreate(Path(settings.KITAB_INDEX_DIR))
            target = _engine
    with target.writer(heap_bytes=_writer_heap(), timeout=30.0) as writer:
        writer.delete_all()
        for ids in _id_chunks(batch_size):
            docs, _gone = documents_for(ids)
            writer.add(docs)
            done += len(ids)
            if on_progress:
                on_progress(done, total)
        writer.commit()
    return done


def _id_chunks(size: int) -> Iterator[list[int]]:
    from kitab.catalogue.models import Record

    last = 0
    while True:
        ids = list(Record.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    """Poll until `predicate()` holds (tests and the CLI use it to wait for a reader reload)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
