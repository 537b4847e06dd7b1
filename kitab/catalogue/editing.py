"""Changing one bibliographic record: the one save path (editor, staged import, batch edit, authority update,
merge, restore, API), with its history, and deleting one record with safeguards.

Every save stores the record exactly as the importer does (`services.prepare_record`,
`services.fill_record`), writes a `RecordVersion`, and queues the record for the search index in the same
transaction; the index is updated as soon as the transaction commits, so the change is searchable at once.
"""

from __future__ import annotations

import logging
from datetime import datetime

import pymarc
from django.conf import settings
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from kitab.core import clock
from kitab.core.actor import Actor
from kitab.items import services as item_services
from kitab.marc.errors import MarcError
from kitab.marc.iso2709 import parse_record
from kitab.search import services as search_services

from . import services, validation
from .errors import CatalogueError
from .models import DeletedRecord, Record, RecordDraft, RecordIdentifier, RecordVersion

log = logging.getLogger(__name__)

Channel = RecordVersion.Channel
# The MARC organisation code written to 003 of records created here without a control number.
DEFAULT_ORG_CODE = "KITAB"


def org_code() -> str:
    return str(getattr(settings, "KITAB_MARC_ORG_CODE", "") or DEFAULT_ORG_CODE)


def as_pymarc(marc: pymarc.Record | bytes | memoryview) -> pymarc.Record:
    """A pymarc.Record from a record or ISO 2709 bytes. Raises CatalogueError("marc_unreadable")."""
    if isinstance(marc, pymarc.Record):
        return marc
    try:
        record, _warnings = parse_record(bytes(marc))
    except (MarcError, ValueError) as exc:
        raise CatalogueError(
            "marc_unreadable", _("The MARC record cannot be read: %(error)s") % {"error": exc}
        ) from exc
    return record


def stamp_005(marc: pymarc.Record, at: datetime) -> None:
    """Set 005 (date and time of latest transaction, YYYYMMDDHHMMSS.F) to `at`."""
    value = at.strftime("%Y%m%d%H%M%S") + f".{at.microsecond // 100_000}"
    existing = marc.get_fields("005")
    if existing:
        existing[0].data = value
        return
    marc.add_ordered_field(pymarc.Field(tag="005", data=value))


def _ensure_control_number(marc: pymarc.Record, record_id: int) -> bool:
    """Give a record created here 001 (its id) and 003 (our organisation code); True when it changed."""
    if marc.get_fields("001"):
        return False
    marc.add_ordered_field(pymarc.Field(tag="001", data=str(record_id)))
    if not marc.get_fields("003"):
        marc.add_ordered_field(pymarc.Field(tag="003", data=org_code()))
    return True


def _version_row(
    record: Record,
    number: int,
    raw: bytes,
    *,
    actor: Actor | None,
    channel: str,
    reason: str,
    at: datetime,
    batch_id: int | None,
) -> RecordVersion:
    return RecordVersion(
        record=record,
        number=number,
        raw=raw,
        saved_at=at,
        actor=(actor.username or actor.label()) if actor else "",
        user_id=actor.user_id if actor else None,
        branch=(actor.branch_code or "") if actor else "",
        channel=channel,
        reason=reason,
        batch_id=batch_id,
    )


def _baseline(record: Record) -> None:
    """Record the state of a record saved before history was kept (an import) as its version 1."""
    run = record.import_run
    RecordVersion.objects.create(
        record=record,
        number=1,
        raw=bytes(record.raw),
        saved_at=record.updated_at,
        actor=run.actor if run else "",
        channel=Channel.BASELINE if run is None else Channel.IMPORT,
        reason=_("State before the first recorded change"),
    )


def _replace_identifiers(record: Record, keys: list[tuple[str, str]]) -> None:
    RecordIdentifier.objects.filter(record=record).delete()
    RecordIdentifier.objects.bulk_create(
        [RecordIdentifier(record=record, kind=kind, value=value) for kind, value in dict.fromkeys(keys)]
    )


def _index_saved_records() -> None:
    # Django empties run_on_commit before running it on a real commit; a test's captureOnCommitCallbacks runs the
    # callbacks but leaves them listed, which would make every later save in the test skip its index update.
    connection = transaction.get_connection()
    connection.run_on_commit = [entry for entry in connection.run_on_commit if entry[1] is not _index_saved_records]
    try:
        if getattr(settings, "KITAB_INDEX_SYNC", False) or not search_services.index_pending(
            wait_seconds=0.5, heap_bytes=search_services.SMALL_WRITER_HEAP
        ):
            search_services.index_pending_soon()
    except Exception:  # the outbox keeps the work; a save never fails over the index
        log.exception("indexing a saved record failed; it stays queued")


def index_after_commit() -> None:
    """Index the queued records right after the commit (not after the coalescing delay of small changes): a
    cataloguer expects to find a record the moment it is saved. Falls back to the delayed drain when another
    process holds the index writer (an import): it drains the queue itself or the delayed drain does.

    Many saves in one transaction (an authority heading update, a batch edit) share one index update: each
    index update is an index commit (~0.1-0.2 s), which would otherwise dominate a batch of hundreds of saves.
    Django drops the callbacks of a rolled-back savepoint from `run_on_commit`, so looking there is exact.
    """
    connection = transaction.get_connection()
    if any(entry[1] is _index_saved_records for entry in connection.run_on_commit):
        return
    transaction.on_commit(_index_saved_records)


def save_record(
    *,
    record: Record | None,
    marc: pymarc.Record | bytes,
    actor: Actor,
    channel: str,
    reason: str = "",
    at: datetime | None = None,
    batch_id: int | None = None,
    validate: bool = True,
    framework: object | None = None,
    sync_holdings: bool | None = None,
    source: str | None = None,
) -> Record:
    """Create (`record=None`) or change a bibliographic record, keeping its history. Returns the saved record.

    - `marc`: the new state, a pymarc.Record or ISO 2709 bytes (any encoding the reader accepts).
    - `channel`: a `RecordVersion.Channel` value (editor, import, batch_edit, authority, merge, restore, api).
    - `validate`: check the record first (`validation.validate`, with `framework`'s rules when given, a
      `frameworks.FrameworkSpec`); errors raise `validation.RecordInvalid` (code "record_invalid", `.issues`).
    - `batch_id`: ties the version to a staged import or batch edit (undo restores the version before it).
    - `sync_holdings`: create/update copies from embedded 952/852/949 fields, as an import does. Default: only
      for the import channel; copies edited in the copies workbench are not overwritten by an editor save.
    - `source`: member library code for a new record (default: our own); an existing record keeps its source.

    A record created without 001 gets 001 = its id and 003 = KITAB_MARC_ORG_CODE. Every channel but import
    sets 005 to `at`. Saving a record whose content did not change writes nothing and returns it as it is.
    A record with no history yet (imported earlier) first gets its current state as version 1.

    Raises CatalogueError("marc_unreadable" | "record_invalid" | "marc_unwritable" | "channel_unknown").
    """
    if channel not in Channel.values:
        raise CatalogueError(
            "channel_unknown", _("Unknown change channel: %(channel)s") % {"channel": channel}
        )
    at = at or clock.now()
    marc = as_pymarc(marc)
    if validate:
        issues = validation.validate(marc, framework)  # type: ignore[arg-type]
        if validation.errors(issues):
            raise validation.RecordInvalid(issues)
    if sync_holdings is None:
        sync_holdings = channel == Channel.IMPORT
    with transaction.atomic():
        if record is not None:
            # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to import_run.
            record = Record.objects.select_for_update(of=("self",)).select_related("import_run").get(pk=record.pk)
        source_code = record.source if record is not None else (source or "")
        prepared = _prepare(marc, source_code)
        if record is not None and record.raw_digest == prepared.digest:
            return record  # nothing changed: no version, no reindexing
        if channel != Channel.IMPORT:
            stamp_005(marc, at)
            prepared = _prepare(marc, source_code)
        if record is None:
            record = _create(marc, prepared, source_code)
            prepared = _prepare(marc, source_code)  # 001/003 may have been added
            number = 1
        else:
            if not RecordVersion.objects.filter(record=record).exists():
                _baseline(record)
            number = (RecordVersion.objects.filter(record=record).aggregate(n=Max("number"))["n"] or 0) + 1
        services.fill_record(record, prepared)
        record.updated_at = at
        record.save()
        _replace_identifiers(record, prepared.keys)
        _version_row(
            record,
            number,
            prepared.raw,
            actor=actor,
            channel=channel,
            reason=reason,
            at=at,
            batch_id=batch_id,
        ).save()
        if sync_holdings:
            item_services.sync_imported_holdings(
                {record.pk: prepared.summary.holdings}, replace_for=[record.pk]
            )
        search_services.queue([record.pk])
        index_after_commit()
    return record


def _prepare(marc: pymarc.Record, source: str) -> services.PreparedRecord:
    try:
        return services.prepare_record(marc, source=source)
    except Exception as exc:  # the writer or mapper refuses it: say why instead of failing the request
        raise CatalogueError(
            "marc_unwritable", _("The record cannot be stored: %(error)s") % {"error": exc}
        ) from exc


def _create(marc: pymarc.Record, prepared: services.PreparedRecord, source: str) -> Record:
    """Insert a new record row: under the id of a deleted record with the same 003|001 (as a re-import does,
    so harvesters see it come back), else under a new id, which becomes its 001 when it has none."""
    control_key = next((value for kind, value in prepared.keys if kind == "ctl"), None)
    tomb = (
        DeletedRecord.objects.filter(control_key=control_key).order_by("-deleted_at").first()
        if control_key
        else None
    )
    record = Record(pk=tomb.pk if tomb else None, source=source)
    services.fill_record(record, prepared)
    record.save(force_insert=True)
    if tomb is not None:
        tomb.delete()
    _ensure_control_number(marc, record.pk)
    return record


def restore_version(
    *, version: RecordVersion, actor: Actor, reason: str = "", at: datetime | None = None
) -> Record:
    """Make an earlier version the current state of its record (as a new version, channel "restore").

    Not validated again: the version was accepted when it was saved. Raises CatalogueError("marc_unwritable").
    """
    note = reason or _("Restored version %(n)d") % {"n": version.number}
    return save_record(
        record=version.record,
        marc=bytes(version.raw),
        actor=actor,
        channel=Channel.RESTORE,
        reason=note,
        at=at,
        validate=False,
    )


def version_before(version: RecordVersion) -> RecordVersion | None:
    """The version saved just before `version` (what undoing `version` returns to); None for the first."""
    return (
        RecordVersion.objects.filter(record_id=version.record_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )


def delete_checks(record: Record) -> None:
    """Refuse to delete a record whose copies are on loan or for which holds wait.

    Raises CatalogueError("copies_on_loan" | "holds_waiting").
    """
    from kitab.circulation.models import Loan
    from kitab.holds.models import Hold

    on_loan = Loan.objects.filter(item__record=record).open().count()
    if on_loan:
        raise CatalogueError(
            "copies_on_loan",
            _("%(n)d copies of this record are on loan; check them in first.") % {"n": on_loan},
        )
    holds = Hold.objects.filter(record=record, status__in=Hold.ACTIVE).count()
    if holds:
        raise CatalogueError(
            "holds_waiting",
            _("%(n)d holds wait for this record; cancel them or move them to another record (merge) first.")
            % {"n": holds},
        )


def delete_record(*, record: Record, actor: Actor, at: datetime | None = None) -> None:
    """Delete one record and its copies, leaving a tombstone for OAI-PMH (`services.delete_records`).

    Raises CatalogueError("copies_on_loan" | "holds_waiting" | "circulation_history").
    """
    with transaction.atomic():
        record = Record.objects.select_for_update().get(pk=record.pk)
        delete_checks(record)
        try:
            with transaction.atomic():
                services.delete_records([record.pk], actor=actor, at=at)
        except ProtectedError as exc:
            raise CatalogueError(
                "circulation_history",
                _(
                    "Copies of this record have loan history, which must be kept; withdraw the copies "
                    "instead, or merge this record into another one."
                ),
            ) from exc


def save_draft(
    *,
    state: dict[str, object],
    actor: Actor,
    draft: RecordDraft | None = None,
    record: Record | None = None,
    framework: str = "",
    note: str = "",
    at: datetime | None = None,
) -> RecordDraft:
    """Keep the editor's state (`editor_state.State`) as a draft: of a new record (`record=None`) or of
    changes to `record`. Drafts are not part of the catalogue: not indexed, not harvested, not shown in the OPAC.
    `draft`: the draft being saved again (updated in place). Raises CatalogueError("draft_other_record")."""
    at = at or clock.now()
    if draft is not None and record is not None and draft.record_id not in (None, record.pk):
        raise CatalogueError("draft_other_record", _("This draft belongs to another record."))
    title = ""
    for entry in state.get("fields", []) or []:  # type: ignore[union-attr]
        if isinstance(entry, dict) and entry.get("tag") == "245":
            title = " ".join(
                str(p[1])
                for p in entry.get("subfields", [])
                if isinstance(p, list) and len(p) == 2 and p[0] in ("a", "b")
            )[:500]
            break
    if draft is None:
        draft = RecordDraft(record=record, created_at=at)
    elif record is not None:
        draft.record = record
    draft.state = state
    draft.framework = framework
    draft.title = title
    draft.note = note
    draft.actor = actor.username or actor.label()
    draft.user_id = actor.user_id
    draft.updated_at = at
    draft.save()
    return draft


def discard_draft(*, draft: RecordDraft, actor: Actor) -> None:
    """Delete a draft (after it was saved as a record, or when the cataloguer throws it away)."""
    RecordDraft.objects.filter(pk=draft.pk).delete()
