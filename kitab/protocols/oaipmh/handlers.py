"""OAI-PMH 2.0 data provider: answers the six verbs from the catalogue (read only).

Harvest semantics (see docs/protocols.md):
- datestamp = Record.updated_at, or DeletedRecord.deleted_at for a deleted record (reported with
  status="deleted"; deletions are kept for good);
- lists are ordered by (datestamp, record id) and paged by keyset: the stateless, signed resumption token
  carries the request's arguments and the last (datestamp, id) sent. A record added, changed or deleted during
  a harvest gets a datestamp later than anything sent so far, so it comes (again) at the end of the same
  harvest; nothing already in the list is skipped or repeated because of it;
- sets: `branch:<code>` (records with a copy whose home branch is <code>), `type:<material type>`, plus the
  parents `branch` (records with any copy) and `type` (every record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from heapq import merge

from django.db.models import Exists, Min, OuterRef, QuerySet
from django.utils.translation import gettext as _
from lxml import etree

from kitab.catalogue.display import MATERIAL_TYPES
from kitab.catalogue.models import DeletedRecord, Record
from kitab.items.models import Branch, Item
from kitab.marc.iso2709 import parse_record
from kitab.marc.mapping import summarize

from . import codec
from .codec import OaiError


@dataclass(frozen=True, slots=True)
class Context:
    """What an OAI-PMH response depends on besides the request: built by the view from settings."""

    base_url: str
    now: datetime
    repository_name: str
    repository_id: str
    admin_email: str
    page_size: int
    token_key: bytes
    token_lifetime: timedelta
    record_url: Callable[[int], str] | None = None  # a record's public page, given as a dc:identifier


def handle(params: Mapping[str, Sequence[str]], ctx: Context) -> bytes:
    """Answer one request; every outcome, errors included, is an OAI-PMH XML document."""
    try:
        request = codec.parse_request(params)
    except OaiError as error:
        return codec.serialize(codec.Response(ctx.now, ctx.base_url, None, errors=[error]))
    echoed = {"verb": request.verb, **request.args}
    try:
        body = _VERBS[request.verb](request, ctx)
    except OaiError as error:
        # badArgument responses echo no arguments (protocol section 3.2).
        args = None if error.code in (codec.BAD_ARGUMENT, codec.BAD_VERB) else echoed
        return codec.serialize(codec.Response(ctx.now, ctx.base_url, args, errors=[error]))
    return codec.serialize(codec.Response(ctx.now, ctx.base_url, echoed, body=body))


# ------------------------------------------------------------------------------------------------------------
# Verbs
# ------------------------------------------------------------------------------------------------------------


def _identify(request: codec.OaiRequest, ctx: Context) -> etree._Element:
    earliest = [
        Record.objects.aggregate(m=Min("updated_at"))["m"],
        DeletedRecord.objects.aggregate(m=Min("deleted_at"))["m"],
    ]
    known = [moment for moment in earliest if moment is not None]
    sample = Record.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    return codec.identify(
        codec.RepositoryInfo(
            name=ctx.repository_name,
            base_url=ctx.base_url,
            # adminEmail is mandatory: without KITAB_ADMIN_EMAIL, an address at the repository identifier.
            admin_emails=[ctx.admin_email or f"admin@{ctx.repository_id}"],
            earliest_datestamp=min(known) if known else ctx.now,
            repository_id=ctx.repository_id,
            sample_id=sample,
        )
    )


def _list_metadata_formats(request: codec.OaiRequest, ctx: Context) -> etree._Element:
    identifier = request.get("identifier")
    if identifier is not None:
        _resolve(identifier, ctx)  # raises idDoesNotExist; every record is available in every format
    return codec.list_metadata_formats(codec.FORMATS.values())


def _list_sets(request: codec.OaiRequest, ctx: Context) -> etree._Element:
    if request.get("resumptionToken") is not None:
        raise OaiError(codec.BAD_RESUMPTION_TOKEN, "ListSets is never split into pages here.")
    sets = [codec.SetInfo("branch", _("Records with a copy in a branch"))]
    for code, name in Branch.objects.order_by("code").values_list("code", "name"):
        if code:
            spec = f"branch:{codec.encode_spec_part(code)}"
            sets.append(codec.SetInfo(spec, _("Branch: %(name)s") % {"name": name}))
    sets.append(codec.SetInfo("type", _("Records by type of material")))
    for code, label in MATERIAL_TYPES.items():
        spec = f"type:{codec.encode_spec_part(code)}"
        sets.append(codec.SetInfo(spec, _("Type of material: %(name)s") % {"name": label}))
    return codec.list_sets(sets)


def _get_record(request: codec.OaiRequest, ctx: Context) -> etree._Element:
    fmt = _format(request.args["metadataPrefix"])
    found = _resolve(request.args["identifier"], ctx)
    entry = _Entry.of(found)
    sets = _set_specs([entry])
    return codec.get_record(_record_element(entry, sets.get(entry.record_id, []), fmt, ctx))


def _list_identifiers(request: codec.OaiRequest, ctx: Context) -> etree._Element:
    return _list(request, ctx, with_metadata=False)


def _list_records(request: codec.OaiRequest, ctx: Context) -> etree._Element:
    return _list(request, ctx, with_metadata=True)


# ------------------------------------------------------------------------------------------------------------
# Lists
# ------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    datestamp: datetime
    record_id: int
    deleted: bool
    raw: bytes | None = None
    material_type: str = ""
    branch_codes: str = ""

    @property
    def key(self) -> tuple[datetime, int]:
        return (self.datestamp, self.record_id)

    @classmethod
    def of(cls, found: Record | DeletedRecord) -> _Entry:
        if isinstance(found, DeletedRecord):
            return cls(found.deleted_at, found.record_id, True, None, found.material_type, found.branch_codes)
        return cls(found.updated_at, found.pk, False, bytes(found.raw), found.material_type)


def _list(request: codec.OaiRequest, ctx: Context, *, with_metadata: bool) -> etree._Element:
    token = request.get("resumptionToken")
    if token is not None:
        state = codec.decode_token(token, key=ctx.token_key, now=ctx.now)
        if state.verb != request.verb:
            raise OaiError(codec.BAD_RESUMPTION_TOKEN, f"This resumptionToken belongs to {state.verb}.")
    else:
        state = codec.ListState(
            verb=request.verb,
            metadata_prefix=request.args["metadataPrefix"],
            set_spec=request.get("set"),
            from_=request.get("from"),
            until=request.get("until"),
        )
    fmt = _format(state.metadata_prefix)
    dates = codec.date_range(state.from_, state.until)
    records, tombstones = _filtered(dates, state.set_spec)
    if dates.empty:
        records, tombstones = records.none(), tombstones.none()

    page = _page(records, tombstones, state.after, ctx.page_size, with_metadata=with_metadata)
    more = len(page) > ctx.page_size
    page = page[: ctx.page_size]
    if not page:
        raise OaiError(codec.NO_RECORDS_MATCH, "No records match the request.")

    sets = _set_specs(page)
    if with_metadata:
        entries = [_record_element(entry, sets.get(entry.record_id, []), fmt, ctx) for entry in page]
    else:
        entries = [codec.header(_header(entry, sets.get(entry.record_id, []), ctx)) for entry in page]

    info: codec.PageInfo | None = None
    if more or state.after is not None:  # the whole list in one response needs no token element at all
        size = records.count() + tombstones.count()
        info = codec.PageInfo(token="", cursor=state.cursor, complete_list_size=size or None)
        if more:
            expires = ctx.now + ctx.token_lifetime
            next_state = codec.ListState(
                verb=state.verb,
                metadata_prefix=state.metadata_prefix,
                set_spec=state.set_spec,
                from_=state.from_,
                until=state.until,
                after=page[-1].key,
                cursor=state.cursor + len(page),
            )
            info.token = codec.encode_token(next_state, key=ctx.token_key, expires=expires)
            info.expires = expires
    return codec.list_page(request.verb, entries, info)


def _filtered(
    dates: codec.DateRange, set_spec: str | None
) -> tuple[QuerySet[Record], QuerySet[DeletedRecord]]:
    """Records and tombstones in the date range and the set (any date: the keyset condition comes later)."""
    records = Record.objects.all()
    tombstones = DeletedRecord.objects.all()
    if dates.lower is not None:
        records = records.filter(updated_at__gte=dates.lower)
        tombstones = tombstones.filter(deleted_at__gte=dates.lower)
    if dates.upper is not None:
        records = records.filter(updated_at__lt=dates.upper)
        tombstones = tombstones.filter(deleted_at__lt=dates.upper)
    if set_spec is None or set_spec == "type":
        return records, tombstones
    kind, _sep, value = set_spec.partition(":")
    decoded = codec.decode_spec_part(value) if value else None
    if kind == "branch" and not value:
        return (
            records.filter(Exists(Item.objects.filter(record=OuterRef("pk")))),
            tombstones.exclude(branch_codes=""),
        )
    if kind == "branch" and decoded:
        return (
            records.filter(Exists(Item.objects.filter(record=OuterRef("pk"), home_branch__code=decoded))),
            tombstones.filter(branch_codes__contains=DeletedRecord.branch_token(decoded)),
        )
    if kind == "type" and decoded:
        return records.filter(material_type=decoded), tombstones.filter(material_type=decoded)
    # A set we do not have: an empty list (noRecordsMatch).
    return records.none(), tombstones.none()


def _page(
    records: QuerySet[Record],
    tombstones: QuerySet[DeletedRecord],
    after: tuple[datetime, int] | None,
    size: int,
    *,
    with_metadata: bool,
) -> list[_Entry]:
    """Up to size + 1 entries after `after` in (datestamp, id) order, live and deleted records merged."""
    if after is not None:
        moment, last_id = after
        # (datestamp, id) > (moment, last_id), written as a range on the datestamp index
        records = records.filter(updated_at__gte=moment).exclude(updated_at=moment, pk__lte=last_id)
        tombstones = tombstones.filter(deleted_at__gte=moment).exclude(deleted_at=moment, pk__lte=last_id)
    fields = ["pk", "updated_at", "material_type"] + (["raw"] if with_metadata else [])
    live = [
        _Entry(
            row["updated_at"],
            row["pk"],
            False,
            bytes(row["raw"]) if with_metadata else None,
            row["material_type"],
        )
        for row in records.order_by("updated_at", "pk").values(*fields)[: size + 1]
    ]
    gone = [
        _Entry(deleted_at, record_id, True, None, material_type, branch_codes)
        for record_id, deleted_at, material_type, branch_codes in tombstones.order_by(
            "deleted_at", "pk"
        ).values_list("pk", "deleted_at", "material_type", "branch_codes")[: size + 1]
    ]
    return list(merge(live, gone, key=lambda entry: entry.key))[: size + 1]


# ------------------------------------------------------------------------------------------------------------
# Pieces
# ------------------------------------------------------------------------------------------------------------


def _format(prefix: str) -> codec.MetadataFormat:
    fmt = codec.FORMATS.get(prefix)
    if fmt is None:
        raise OaiError(
            codec.CANNOT_DISSEMINATE_FORMAT, f"Unsupported metadataPrefix {prefix!r}: use oai_dc or marc21."
        )
    return fmt


def _resolve(identifier: str, ctx: Context) -> Record | DeletedRecord:
    record_id = codec.parse_identifier(ctx.repository_id, identifier)
    if record_id is not None:
        record = Record.objects.filter(pk=record_id).first()
        if record is not None:
            return record
        tombstone = DeletedRecord.objects.filter(pk=record_id).first()
        if tombstone is not None:
            return tombstone
    raise OaiError(codec.ID_DOES_NOT_EXIST, f"No such identifier: {identifier!r}.")


def _set_specs(entries: Iterable[_Entry]) -> dict[int, list[str]]:
    """Each entry's setSpecs: its material type and the home branches of its copies."""
    entries = list(entries)
    branches: dict[int, list[str]] = {}
    live_ids = [entry.record_id for entry in entries if not entry.deleted]
    if live_ids:
        rows = (
            Item.objects.filter(record_id__in=live_ids)
            .values_list("record_id", "home_branch__code")
            .order_by("record_id", "home_branch__code")
            .distinct()
        )
        for record_id, code in rows:
            branches.setdefault(record_id, []).append(code)
    specs: dict[int, list[str]] = {}
    for entry in entries:
        codes = (
            [c for c in entry.branch_codes.split("|") if c]
            if entry.deleted
            else branches.get(entry.record_id, [])
        )
        out = [f"branch:{codec.encode_spec_part(code)}" for code in codes if code]
        if entry.material_type:
            out.append(f"type:{codec.encode_spec_part(entry.material_type)}")
        specs[entry.record_id] = out
    return specs


def _header(entry: _Entry, sets: Sequence[str], ctx: Context) -> codec.Header:
    return codec.Header(
        identifier=codec.make_identifier(ctx.repository_id, entry.record_id),
        datestamp=entry.datestamp,
        set_specs=sets,
        deleted=entry.deleted,
    )


def _record_element(
    entry: _Entry, sets: Sequence[str], fmt: codec.MetadataFormat, ctx: Context
) -> etree._Element:
    head = _header(entry, sets, ctx)
    if entry.deleted or entry.raw is None:
        return codec.record(head, None)
    marc, _warnings = parse_record(entry.raw)
    if fmt is codec.MARC21:
        metadata = codec.marc21_metadata(marc)
    else:
        links = [ctx.record_url(entry.record_id)] if ctx.record_url else []
        metadata = codec.dublin_core_metadata(summarize(marc), identifiers=links)
    return codec.record(head, metadata)


_VERBS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": _list_identifiers,
    "ListRecords": _list_records,
}
