"""Copy cataloguing: search remote Z39.50 and SRU targets at once, and import a record found there.

Searching writes nothing; it runs one thread per target, each with its own deadline, so a slow or dead target
costs its own column an error message and never the page. Importing goes through the catalogue's import service
(`kitab.catalogue.services.import_records`), so a record already here (same 003|001 or 035) is updated rather
than added twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kitab.catalogue import matching
from kitab.catalogue import services as catalogue_services
from kitab.catalogue.models import RecordIdentifier
from kitab.core.actor import Actor
from kitab.marc.mapping import summarize
from kitab.marc.reader import ReadResult
from kitab.search import services as search_services

from .clients import QueryFields, Retrieved, TargetError, sru, z3950
from .errors import CopycatError
from .models import RemoteTarget
from .records import RemoteRecord, read_remote

log = logging.getLogger("kitab.copycat")

DEFAULT_LIMIT = 10
MAX_LIMIT = 50
DEFAULT_TIMEOUT = 10.0


@dataclass(slots=True)
class TargetResult:
    """One target's answer: the records it sent (each parsed, or with its own error), or why there are none."""

    target: RemoteTarget
    total: int = 0
    records: list[RemoteRecord] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    record_id: int
    status: str  # "added" | "updated" | "unchanged"


def retrieve(target: RemoteTarget, fields: QueryFields, *, limit: int, timeout: float) -> Retrieved:
    """Ask one target; raises TargetError."""
    if target.protocol == RemoteTarget.Protocol.SRU:
        return sru.search(target.host, target.port, target.database, fields, limit=limit, timeout=timeout)
    return z3950.search(
        target.host,
        target.port,
        target.database,
        fields,
        limit=limit,
        record_syntax=target.record_syntax,
        timeout=timeout,
    )


def _search_one(target: RemoteTarget, fields: QueryFields, limit: int, timeout: float) -> TargetResult:
    started = time.monotonic()
    result = TargetResult(target=target)
    try:
        retrieved = retrieve(target, fields, limit=limit, timeout=timeout)
    except TargetError as exc:
        result.error = str(exc)
    except Exception as exc:  # a bug or a very odd target: one column says so, the page still works
        log.exception("copy cataloguing: searching %s failed", target)
        result.error = _("Unexpected error while searching this target: %(error)s") % {"error": exc}
    else:
        result.total = retrieved.total
        for position, data in retrieved.records:
            result.records.append(
                read_remote(data, fmt=target.wire_format, encoding=target.encoding, position=position)
            )
        for position, problem in retrieved.record_errors.items():
            result.records.append(RemoteRecord(position, b"", target.wire_format, error=problem))
        result.records.sort(key=lambda r: r.position)
    result.seconds = time.monotonic() - started
    return result


def search_targets(
    targets: Sequence[RemoteTarget],
    query_fields: QueryFields,
    *,
    limit: int = DEFAULT_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[TargetResult]:
    """Search every target at once; results come back in the order of `targets`.

    limit: records fetched per target (at most MAX_LIMIT). timeout: seconds each target has, connection
    included. Never raises for a target's failure: its TargetResult carries the error instead.
    Raises CopycatError("empty_query") when no field is filled in.
    """
    if not query_fields:
        raise CopycatError("empty_query", _("Enter a title, an author or an ISBN."))
    limit = max(1, min(limit, MAX_LIMIT))
    if not targets:
        return []
    pool = ThreadPoolExecutor(max_workers=len(targets), thread_name_prefix="copycat")
    try:
        futures = [pool.submit(_search_one, target, query_fields, limit, timeout) for target in targets]
        results = []
        for target, future in zip(targets, futures, strict=True):
            try:
                # The clients keep their own deadline; this only guards against one that does not.
                results.append(future.result(timeout=timeout + 5))
            except FutureTimeout:
                results.append(
                    TargetResult(
                        target=target,
                        error=_("No answer within %(seconds)s seconds.") % {"seconds": f"{timeout:g}"},
                        seconds=timeout,
                    )
                )
        return results
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def import_remote_record(*, target: RemoteTarget, raw: bytes, actor: Actor) -> ImportOutcome:
    """Import one record as `target` sent it (`raw`: the bytes of `RemoteRecord.data`).

    The record goes through the catalogue's import service, which matches on 003|001 and 035: a record already
    here is updated (or left alone when nothing changed) instead of being added again. The search index is
    updated right away when its writer is free, otherwise the record stays queued for it.

    Raises CopycatError("unreadable_record" | "rejected_record").
    """
    remote = read_remote(raw, fmt=target.wire_format, encoding=target.encoding)
    if remote.record is None:
        raise CopycatError(
            "unreadable_record",
            _("The record from %(target)s cannot be read: %(error)s") % {"target": target.name, "error": remote.error},
        )
    result = ReadResult(1, 0, remote.record, remote.control_number, None, remote.warnings)
    docs: list[search_services.IndexDoc] = []
    rejects: list[catalogue_services.Reject] = []
    progress = catalogue_services.import_records(
        [result], actor=actor, origin=target.name, rejects=rejects, on_batch=docs.extend
    )
    if progress.rejected:
        reason = rejects[0].reason if rejects else ""
        raise CopycatError(
            "rejected_record",
            _("The record from %(target)s was not imported: %(error)s") % {"target": target.name, "error": reason},
        )
    if docs:
        record_id = docs[0].record_id
    else:
        record_id = _matching_record_id(remote)
    search_services.index_pending_soon()
    status = "added" if progress.added else "updated" if progress.updated else "unchanged"
    return ImportOutcome(record_id=record_id, status=status)


def _matching_record_id(remote: RemoteRecord) -> int:
    """The local record an unchanged import matched (same keys, in the import service's order)."""
    assert remote.record is not None
    keys = matching.identifier_rows(summarize(remote.record))
    for kind in matching.MATCH_KINDS:
        values = [value for k, value in keys if k == kind]
        found = (
            RecordIdentifier.objects.filter(kind=kind, value__in=values).order_by("record_id").values_list(
                "record_id", flat=True
            ).first()
            if values
            else None
        )
        if found is not None:
            return found
    raise CopycatError("rejected_record", _("The imported record cannot be found."))
