"""Authority writes: importing authority files, saving and deleting one authority, linking headings by hand,
and the heading update job that rewrites every linked bibliographic record.

Every change that alters what a linked record is found by (a new or changed authority, a new link) queues the
linked records for the search index in the same transaction.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pymarc
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from kitab.core import clock
from kitab.core.actor import Actor
from kitab.core.batching import batched
from kitab.marc.errors import MarcError, MarcReadError
from kitab.marc.iso2709 import parse_record
from kitab.marc.reader import ReadResult, iter_records
from kitab.marc.writer import to_iso2709
from kitab.search import services as search_services

from . import headings, linking
from .errors import AuthorityError
from .models import Authority, AuthorityForm, HeadingLink, HeadingUpdateJob
from .receivers import relinking_suspended

log = logging.getLogger(__name__)

BATCH_SIZE = 500
JOB_BATCH = 200
# A running job whose heartbeat is older than this was abandoned (its process ended): it may be resumed.
JOB_STALE_AFTER = timedelta(minutes=2)


# --- import ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Reject:
    position: int
    offset: int
    control_number: str | None
    reason: str


@dataclass
class AuthorityImportProgress:
    position: int = 0
    offset: int = 0
    file_offset: int = 0
    resumed_from: int = 0  # the import bar reads it; authority imports always start at the top
    added: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0


@dataclass
class AuthorityImportReport:
    path: str
    added: int
    updated: int
    skipped: int
    rejected: int
    linked_records: int
    seconds: float
    rejects: list[Reject] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "added": self.added,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "linked_records": self.linked_records,
            "seconds": round(self.seconds, 3),
            "rejects": [
                {"position": r.position, "offset": r.offset, "control_number": r.control_number, "reason": r.reason}
                for r in self.rejects[:100]
            ],
        }


def is_authority_file(path: str | os.PathLike[str]) -> bool:
    """Whether the first readable record of a MARC file is an authority record (leader/06 = 'z')."""
    try:
        for result in iter_records(path):
            if result.record is not None:
                return headings.is_authority(result.record)
            if result.position >= 10:
                return False
    except MarcReadError:
        return False
    return False


def import_file(
    path: str | os.PathLike[str],
    *,
    actor: Actor,
    encoding: str | None = None,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[AuthorityImportProgress], None] | None = None,
) -> AuthorityImportReport:
    """Import MARC 21 authority records (ISO 2709 or MARCXML, plain or compressed).

    Records are matched on 003|001 (001 alone when 003 is absent), then 010: an unchanged record is skipped, a
    changed one updated (its links stay), a new one added. Records that are not authorities (leader/06 other
    than 'z') or carry no 1XX heading are rejected with their position and the reason; the file goes on. Each
    batch is one transaction. Afterwards the unlinked bibliographic headings that match the new headings are
    linked, and the records whose links or variant forms changed are reindexed.

    Raises AuthorityError("file_not_found" | "file_unreadable").
    """
    source = Path(path)
    if not source.is_file():
        raise AuthorityError("file_not_found", _("No such file: %(path)s") % {"path": source})
    started = time.monotonic()
    progress = AuthorityImportProgress()
    rejects: list[Reject] = []
    touched: list[int] = []
    form_changed: set[int] = set()
    try:
        for batch in batched(iter_records(source, encoding=encoding), batch_size):
            prepared: list[tuple[pymarc.Record, headings.AuthoritySummary, bytes]] = []
            for result in batch:
                progress.position, progress.offset = result.position, result.offset
                progress.file_offset = result.file_offset
                entry = _prepare(result, rejects)
                if entry is None:
                    progress.rejected += 1
                else:
                    prepared.append(entry)
            ids, changed_forms = _store_batch(prepared, progress, import_path=str(source))
            touched.extend(ids)
            form_changed |= changed_forms
            if on_progress:
                on_progress(progress)
    except MarcReadError as exc:
        raise AuthorityError(
            "file_unreadable",
            _("%(path)s: %(error)s (records before record %(position)s were imported)")
            % {"path": source.name, "error": exc, "position": progress.position + 1},
        ) from exc
    with transaction.atomic():
        linked = linking.link_to_authorities(touched)
        reindex = linking.records_with_forms(form_changed)
        search_services.queue(reindex)
    search_services.index_pending()
    return AuthorityImportReport(
        path=str(source),
        added=progress.added,
        updated=progress.updated,
        skipped=progress.skipped,
        rejected=progress.rejected,
        linked_records=len(linked),
        seconds=time.monotonic() - started,
        rejects=rejects,
    )


def _prepare(
    result: ReadResult, rejects: list[Reject]
) -> tuple[pymarc.Record, headings.AuthoritySummary, bytes] | None:
    reason = result.error
    if reason is None and result.record is not None:
        try:
            summary = headings.summarize_authority(result.record)
            raw = result.raw or to_iso2709(result.record)
            return result.record, summary, raw
        except headings.NotAnAuthority as exc:
            reason = _reason(exc)
        except MarcError as exc:
            reason = str(exc)
    reason = " ".join((reason or _("empty record")).split())
    if len(rejects) < 10_000:
        rejects.append(Reject(result.position, result.offset, result.control_number, reason))
    return None


def _reason(exc: headings.NotAnAuthority) -> str:
    # headings.py has no Django; its messages are translated here, by their start.
    text = str(exc)
    if text.startswith("not an authority record"):
        return _("not an authority record (leader/06 is %(value)s, not 'z')") % {"value": text.split("is ", 1)[1].split(",")[0]}
    if text.startswith("no heading field"):
        return _("no heading field (100, 110, 111, 130, 148, 150, 151, 155, 162 or 180-185)")
    return _("the heading field is empty")


def _match_existing(summaries: list[headings.AuthoritySummary]) -> tuple[dict[str, Authority], dict[str, Authority]]:
    keys = {_own_key(s) for s in summaries} - {""}
    lccns = {s.lccn for s in summaries if s.lccn}
    by_key = {a.control_key: a for a in Authority.objects.filter(control_key__in=keys)} if keys else {}
    by_lccn = {a.lccn: a for a in Authority.objects.filter(lccn__in=lccns)} if lccns else {}
    return by_key, by_lccn


def _own_key(summary: headings.AuthoritySummary) -> str:
    if not summary.control_number:
        return ""
    return headings.control_key(summary.control_number_identifier, summary.control_number)


def _fill(authority: Authority, summary: headings.AuthoritySummary, raw: bytes, now: datetime) -> None:
    authority.kind = summary.kind
    authority.tag = summary.tag
    authority.heading = summary.heading
    authority.heading_key = summary.key
    authority.control_number = summary.control_number
    authority.control_number_identifier = summary.control_number_identifier
    authority.control_key = _own_key(summary)
    authority.lccn = summary.lccn
    authority.raw = raw
    authority.raw_digest = hashlib.sha1(raw).hexdigest()
    authority.updated_at = now


def _form_rows(authority_id: int, summary: headings.AuthoritySummary) -> list[AuthorityForm]:
    rows = [
        AuthorityForm(authority_id=authority_id, relation=AuthorityForm.Relation.SEE_FROM, tag=f.tag,
                      text=f.text, key=f.key)
        for f in summary.see_from
    ]
    rows += [
        AuthorityForm(authority_id=authority_id, relation=AuthorityForm.Relation.SEE_ALSO, tag=f.tag,
                      text=f.text, key=f.key, note=f.relation[:200])
        for f in summary.see_also
    ]
    return rows


def _forms_signature(summary: headings.AuthoritySummary) -> tuple[str, ...]:
    return tuple(f.text for f in summary.see_from) + (summary.heading,)


def _store_batch(
    entries: list[tuple[pymarc.Record, headings.AuthoritySummary, bytes]],
    progress: AuthorityImportProgress,
    *,
    import_path: str,
) -> tuple[list[int], set[int]]:
    """Store one batch; return the ids of added/updated authorities and of those whose forms changed."""
    now = clock.now()
    with transaction.atomic():
        by_key, by_lccn = _match_existing([s for _r, s, _raw in entries])
        new: list[tuple[Authority, headings.AuthoritySummary]] = []
        changed: list[tuple[Authority, headings.AuthoritySummary]] = []
        form_changed: set[int] = set()
        seen: dict[str, Authority] = {}
        old_signatures: dict[int, tuple[str, ...]] = {}
        for _record, summary, raw in entries:
            key = _own_key(summary)
            authority = seen.get(key) if key else None
            authority = authority or (by_key.get(key) if key else None) or (
                by_lccn.get(summary.lccn) if summary.lccn else None
            )
            digest = hashlib.sha1(raw).hexdigest()
            if authority is not None and authority.raw_digest == digest:
                progress.skipped += 1
                continue
            if authority is None:
                authority = Authority(created_at=now, import_path=import_path)
                new.append((authority, summary))
                progress.added += 1
            else:
                if authority.pk and authority.pk not in old_signatures:
                    old_signatures[authority.pk] = _signature_of(authority)
                changed.append((authority, summary))
                progress.updated += 1
            _fill(authority, summary, raw, now)
            if key:
                seen[key] = authority
        created = list({id(a): a for a, _s in new}.values())
        Authority.objects.bulk_create(created)
        created_ids = {id(a) for a in created}
        updated = list({id(a): a for a, _s in changed if id(a) not in created_ids}.values())
        if updated:
            Authority.objects.bulk_update(
                updated,
                ["kind", "tag", "heading", "heading_key", "control_number", "control_number_identifier",
                 "control_key", "lccn", "raw", "raw_digest", "updated_at"],
            )
        final = {a.pk: s for a, s in new + changed}
        AuthorityForm.objects.filter(authority_id__in=list(final)).delete()
        AuthorityForm.objects.bulk_create([row for pk, s in final.items() for row in _form_rows(pk, s)])
        for pk, summary in final.items():
            if pk in old_signatures and old_signatures[pk] != _forms_signature(summary):
                form_changed.add(pk)
    return list(final), form_changed


def _signature_of(authority: Authority) -> tuple[str, ...]:
    forms = authority.forms.filter(relation=AuthorityForm.Relation.SEE_FROM).order_by("pk")
    return tuple(forms.values_list("text", flat=True)) + (authority.heading,)


# --- one authority ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class SaveOutcome:
    authority: Authority
    created: bool
    job: HeadingUpdateJob | None  # set when the heading changed and linked records must follow


def save_authority(
    *, authority: Authority | None, marc: pymarc.Record, actor: Actor, at: datetime | None = None
) -> SaveOutcome:
    """Create (`authority=None`) or change one authority record from the editor.

    When the heading of an authority with linked records changes, a `HeadingUpdateJob` is queued (returned in
    the outcome; start it with `run_job_soon` or `kitab authorities update-headings`). Records whose headings
    now match a new authority are linked; records whose variant forms changed are reindexed.

    Raises AuthorityError("invalid_record" | "duplicate_control_number").
    """
    at = at or clock.now()
    leader = list(str(marc.leader).ljust(24)[:24])
    leader[6] = "z"  # the editor edits authorities only
    marc.leader = pymarc.Leader("".join(leader))
    try:
        summary = headings.summarize_authority(marc)
        raw = to_iso2709(marc)
    except headings.NotAnAuthority as exc:
        raise AuthorityError("invalid_record", _reason(exc)) from exc
    except MarcError as exc:
        raise AuthorityError("invalid_record", str(exc)) from exc
    with transaction.atomic():
        key = _own_key(summary)
        clash = Authority.objects.filter(control_key=key) if key else Authority.objects.none()
        if authority is not None:
            clash = clash.exclude(pk=authority.pk)
        if clash.exists():
            raise AuthorityError(
                "duplicate_control_number",
                _("Another authority record already has the control number %(number)s.")
                % {"number": summary.control_number},
            )
        created = authority is None
        job = None
        if authority is None:
            authority = Authority(created_at=at)
            old_heading = old_key = ""
            old_signature: tuple[str, ...] = ()
        else:
            authority = Authority.objects.select_for_update().get(pk=authority.pk)
            old_heading, old_key = authority.heading, authority.heading_key
            old_signature = _signature_of(authority)
        old_raw = bytes(authority.raw) if not created else b""
        _fill(authority, summary, raw, at)
        authority.save()
        AuthorityForm.objects.filter(authority=authority).delete()
        AuthorityForm.objects.bulk_create(_form_rows(authority.pk, summary))
        if not created and old_raw != raw:
            heading_changed = old_heading != summary.heading
            if heading_changed and HeadingLink.objects.filter(authority=authority).exists():
                job = _queue_job(authority, old_heading, actor=actor, at=at)
            if old_signature != _forms_signature(summary) or old_key != summary.key:
                search_services.queue(linking.records_with_forms([authority.pk]))
        linking.link_to_authorities([authority.pk])
    transaction.on_commit(search_services.index_pending_soon)
    return SaveOutcome(authority=authority, created=created, job=job)


def delete_authority(*, authority: Authority, actor: Actor) -> int:
    """Delete an authority record; its links are removed (the headings stay in the records, unlinked) and the
    linked records are reindexed without its variant forms. Returns how many records were linked."""
    with transaction.atomic():
        record_ids = linking.records_with_forms([authority.pk])
        HeadingLink.objects.filter(authority=authority).update(authority=None, method="", match="")
        authority.delete()
        search_services.queue(record_ids)
    transaction.on_commit(search_services.index_pending_soon)
    log.info("authority deleted by %s; %d records unlinked", actor.label(), len(record_ids))
    return len(record_ids)


def link_heading(*, link: HeadingLink, authority: Authority | None, actor: Actor) -> HeadingLink:
    """Link one bibliographic heading to an authority by hand (`authority=None` unlinks it).

    Raises AuthorityError("link_mismatch") when the authority's type does not fit the heading's field.
    """
    with transaction.atomic():
        link = HeadingLink.objects.select_for_update().get(pk=link.pk)
        if authority is not None and authority.tag != link.authority_tag:
            raise AuthorityError(
                "link_mismatch",
                _("A %(tag)s heading can only be linked to a %(expected)s authority record.")
                % {"tag": link.tag, "expected": link.authority_tag},
            )
        link.authority = authority
        link.method = HeadingLink.Method.MANUAL if authority else ""
        if authority is not None:
            full = authority.heading_key == link.heading_key or authority.heading_key != link.main_key
            link.match = HeadingLink.Match.FULL if full else HeadingLink.Match.MAIN
        else:
            link.match = ""
        link.save(update_fields=["authority", "method", "match"])
        search_services.queue([link.record_id])
    transaction.on_commit(search_services.index_pending_soon)
    log.info("heading %s/%s of record %s linked by %s", link.tag, link.occurrence, link.record_id, actor.label())
    return link


def link_matching(*, authority: Authority, actor: Actor) -> int:
    """Link, on demand, the unlinked headings that match this authority's heading (when no other authority has
    the same heading). Returns how many records got a link; they are reindexed."""
    with transaction.atomic():
        linked = linking.link_to_authorities([authority.pk])
    transaction.on_commit(search_services.index_pending_soon)
    log.info("headings matching authority %s linked by %s: %d records", authority.pk, actor.label(), len(linked))
    return len(linked)


def relink_all(*, on_progress: Callable[[int, int], None] | None = None, batch_size: int = 1000) -> int:
    """Link the headings of every bibliographic record again (after authorities were loaded into an existing
    catalogue, or to repair). Records whose links changed are reindexed. Returns how many changed."""
    from kitab.catalogue.models import Record

    total = Record.objects.count()
    done = 0
    changed = 0
    last = 0
    while True:
        ids = list(Record.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        changed += len(linking.link_records_by_id(ids))
        done += len(ids)
        last = ids[-1]
        if on_progress:
            on_progress(done, total)
    search_services.index_pending()
    return changed


# --- heading update jobs ------------------------------------------------------------------------------------


def _queue_job(authority: Authority, old_heading: str, *, actor: Actor, at: datetime) -> HeadingUpdateJob:
    return HeadingUpdateJob.objects.create(
        authority=authority,
        old_heading=old_heading,
        new_heading=authority.heading,
        total=HeadingLink.objects.filter(authority=authority).count(),
        created_at=at,
        actor=actor.username or actor.label(),
    )


def run_job(
    job: HeadingUpdateJob, *, actor: Actor, on_progress: Callable[[HeadingUpdateJob], None] | None = None
) -> HeadingUpdateJob:
    """Rewrite the linked heading of every record linked to the job's authority, through the catalogue's one
    save path (`kitab.catalogue.editing.save_record`, channel "authority", so each change has a version).

    Works in batches of JOB_BATCH links in link-id order and records its position after each, so a job
    interrupted by a restart resumes where it stopped. A record that cannot be saved is listed in `errors` and
    skipped. Safe to run twice: a record already carrying the new heading is not changed again.
    """
    from kitab.catalogue.editing import save_record
    from kitab.catalogue.models import Record

    job = HeadingUpdateJob.objects.get(pk=job.pk)
    if job.status == HeadingUpdateJob.Status.FINISHED:
        return job
    now = clock.now()
    HeadingUpdateJob.objects.filter(pk=job.pk).update(
        status=HeadingUpdateJob.Status.RUNNING, started_at=job.started_at or now, heartbeat_at=now
    )
    job.refresh_from_db()
    authority = job.authority
    authority_field = _heading_field(authority)
    reason = _("Authority heading changed from “%(old)s” to “%(new)s”") % {
        "old": job.old_heading, "new": job.new_heading,
    }
    try:
        while True:
            links = list(
                HeadingLink.objects.filter(authority=authority, pk__gt=job.last_link_id).order_by("pk")[:JOB_BATCH]
            )
            if not links:
                break
            # One transaction per batch: the saves share one search index update (an index commit each would
            # cost more than the saves), and the progress is committed with the records it counts. Each save is
            # a savepoint of its own, so a record that fails is rolled back alone.
            with transaction.atomic(), relinking_suspended():
                records = Record.objects.in_bulk({link.record_id for link in links})
                rewritten: list[HeadingLink] = []
                for link in links:
                    record = records.get(link.record_id)
                    try:
                        if record is not None and _rewrite_one(
                            record, link, authority_field, actor, reason, save_record
                        ):
                            job.changed += 1
                            rewritten.append(link)
                    except Exception as exc:  # noqa: BLE001 - one bad record must not stop the others
                        job.error_count += 1
                        if len(job.errors) < 200:
                            job.errors.append({"record": link.record_id, "message": str(exc)})
                    job.done += 1
                    job.last_link_id = link.pk
                HeadingLink.objects.bulk_update(rewritten, ["heading", "heading_key", "main_key"])
                job.heartbeat_at = clock.now()
                job.save(update_fields=["done", "changed", "last_link_id", "errors", "error_count", "heartbeat_at"])
            if on_progress:
                on_progress(job)
        job.status = HeadingUpdateJob.Status.FINISHED
    except BaseException:
        job.status = HeadingUpdateJob.Status.FAILED
        raise
    finally:
        job.finished_at = clock.now()
        job.total = max(job.total, job.done)
        job.save(update_fields=["status", "finished_at", "total", "done", "changed", "errors", "error_count"])
    if on_progress:
        on_progress(job)
    return job


def _heading_field(authority: Authority) -> pymarc.Field:
    marc, _warnings = parse_record(bytes(authority.raw))
    fld = next((f for f in marc.fields if f.tag == authority.tag), None)
    if fld is None:
        raise AuthorityError("invalid_record", _("The authority record has no heading field."))
    return fld


def _rewrite_one(record, link: HeadingLink, authority_field: pymarc.Field, actor: Actor, reason: str,  # type: ignore[no-untyped-def]
                 save_record) -> bool:
    marc, _warnings = parse_record(bytes(record.raw))
    same_tag = [f for f in marc.fields if f.tag == link.tag]
    if link.occurrence > len(same_tag):
        raise AuthorityError("link_mismatch", _("The linked field is no longer in the record."))
    fld = same_tag[link.occurrence - 1]
    # Follow the authority's tag family ($a of a 100 stays a 100/600/700): only subfields change.
    if not headings.rewrite_heading(fld, authority_field, main_only=link.match == HeadingLink.Match.MAIN):
        return False
    save_record(record=record, marc=marc, actor=actor, channel="authority", reason=reason, validate=False)
    # The link row follows the field (what the relinking of a saved record would have found: same authority).
    for heading in headings.bib_headings(marc):
        if (heading.tag, heading.occurrence) == (link.tag, link.occurrence):
            link.heading, link.heading_key, link.main_key = heading.heading, heading.key, heading.main_key
    return True


def pending_jobs() -> list[HeadingUpdateJob]:
    """Jobs to run: queued ones, and running ones whose process stopped beating (to resume)."""
    stale = clock.now() - JOB_STALE_AFTER
    jobs = HeadingUpdateJob.objects.filter(status__in=[HeadingUpdateJob.Status.QUEUED, HeadingUpdateJob.Status.RUNNING])
    return [j for j in jobs.order_by("pk") if j.status == "queued" or (j.heartbeat_at or j.created_at) < stale]


def run_job_soon(job: HeadingUpdateJob, *, actor: Actor) -> None:
    """Start the job in a background thread of this process once the current transaction commits (the staff
    page polls its progress). With KITAB_JOBS_SYNC (tests) it runs at once. If the process ends first, the
    job stays queued and `kitab authorities update-headings` finishes it."""
    if getattr(settings, "KITAB_JOBS_SYNC", False):
        transaction.on_commit(lambda: run_job(job, actor=actor))
        return

    def work() -> None:
        try:
            run_job(job, actor=actor)
        except Exception:
            log.exception("heading update job %s failed", job.pk)
        finally:
            connection.close()

    transaction.on_commit(lambda: threading.Thread(target=work, name=f"heading-job-{job.pk}", daemon=True).start())


def jobs_for(authority_ids: Iterable[int]) -> list[HeadingUpdateJob]:
    return list(HeadingUpdateJob.objects.filter(authority_id__in=list(authority_ids)).order_by("-pk"))
