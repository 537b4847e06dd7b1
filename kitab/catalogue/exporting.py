"""Streaming export of stored records as ISO 2709, MARCXML or CSV (memory stays flat whatever the size).

A selection is everything, a search query, a list of record ids or a staff record list (kitab.worklists).
Records are read 1,000 at a time and written one by one, so `iter_export` can feed a file, stdout or an HTTP
StreamingHttpResponse alike.

With `with_items`, each record carries its copies as Koha-style 952 fields built from the copies as they are now
(the record's own 952 fields, and the 852/949 fields its copies were imported from, are dropped first so a copy
never appears twice): $a home branch, $b current branch, $c shelving location, $o call number, $p barcode,
$y item type, $g price, and the status as Koha flags ($1 lost, $0 withdrawn, $4 damaged, $7 not for loan,
$q due date of a copy on loan) — what `kitab import` reads back.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pymarc

from kitab.marc.errors import MarcWriteError
from kitab.marc.mapping import summarize
from kitab.marc.writer import MarcXmlWriter, to_iso2709

from .models import Record

log = logging.getLogger(__name__)

FORMATS = ("iso2709", "marcxml", "csv")
CHUNK = 1000
CONTENT_TYPES = {
    "iso2709": "application/marc",
    "marcxml": "application/marcxml+xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
EXTENSIONS = {"iso2709": "mrc", "marcxml": "xml", "csv": "csv"}
CSV_COLUMNS = [
    "id", "001", "003", "title", "responsibility", "authors", "edition", "publishers", "places", "year",
    "language", "material_type", "isbn", "issn", "lccn", "035", "subjects", "series", "copies",
]
CSV_ITEM_COLUMNS = ["barcodes", "call_numbers", "branches"]
_STATUS_FLAGS = {"lost": "1", "withdrawn": "0", "damaged": "4", "not_for_loan": "7"}


@dataclass(frozen=True)
class Selection:
    """Which records: a search `query`, record `ids` (in that order), a staff record list, or (none) all."""

    query: str | None = None
    ids: tuple[int, ...] | None = None
    list_id: int | None = None

    @property
    def everything(self) -> bool:
        return self.query is None and self.ids is None and self.list_id is None


@dataclass
class _Copy:
    barcode: str | None
    home: str
    current: str
    location: str
    call_number: str
    item_type: str
    status: str
    price: str
    source_tag: str
    due: str = ""


@dataclass
class ExportStream:
    """An iterable of byte chunks; `count` says how many records have gone out so far."""

    fmt: str
    selection: Selection = field(default_factory=Selection)
    with_items: bool = False
    count: int = 0

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS:
            raise ValueError(f"unknown export format {self.fmt!r}")

    def __iter__(self) -> Iterator[bytes]:
        if self.fmt == "csv":
            yield from self._csv()
        elif self.fmt == "marcxml":
            yield from self._marcxml()
        else:
            yield from self._iso2709()

    def _records(self) -> Iterator[tuple[int, bytes, list[_Copy]]]:
        for chunk in _chunks(self.selection):
            copies = _copies_for([pk for pk, _raw in chunk]) if self.with_items or self.fmt == "csv" else {}
            for pk, raw in chunk:
                self.count += 1
                yield pk, raw, copies.get(pk, [])

    def _iso2709(self) -> Iterator[bytes]:
        for _pk, raw, copies in self._records():
            if not self.with_items:
                yield raw  # the stored record, byte for byte
                continue
            try:
                yield to_iso2709(_with_copies(_parse(raw), copies))
            except MarcWriteError:  # too long for ISO 2709 with its copies: the record as stored, and say so
                log.warning("record %s is too long for ISO 2709 with its copies; exported without them", _pk)
                yield raw

    def _marcxml(self) -> Iterator[bytes]:
        buffer = io.BytesIO()
        writer = MarcXmlWriter(buffer)
        for _pk, raw, copies in self._records():
            record = _parse(raw)
            writer.write(_with_copies(record, copies) if self.with_items else record)
            if buffer.tell() >= 1 << 16:
                yield _drain(buffer)
        writer.close()
        yield _drain(buffer)

    def _csv(self) -> Iterator[bytes]:
        text = io.StringIO()
        out = csv.writer(text)
        out.writerow(CSV_COLUMNS + (CSV_ITEM_COLUMNS if self.with_items else []))
        yield "\ufeff".encode() + text.getvalue().encode("utf-8")  # the BOM makes spreadsheets read UTF-8
        text.seek(0)
        text.truncate()
        for pk, raw, copies in self._records():
            out.writerow(_csv_row(pk, _parse(raw), copies, with_items=self.with_items))
            if text.tell() >= 1 << 16:
                yield text.getvalue().encode("utf-8")
                text.seek(0)
                text.truncate()
        yield text.getvalue().encode("utf-8")


def _drain(buffer: io.BytesIO) -> bytes:
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data


def _parse(raw: bytes) -> pymarc.Record:
    return pymarc.Record(data=raw, to_unicode=True, force_utf8=True)


def iter_export(fmt: str, selection: Selection | None = None, *, with_items: bool = False) -> ExportStream:
    """The export as an iterable of byte chunks (for StreamingHttpResponse). Raises ValueError for a format
    not in FORMATS."""
    return ExportStream(fmt, selection or Selection(), with_items)


def export_records(
    stream: BinaryIO,
    *,
    fmt: str = "iso2709",
    query: str | None = None,
    ids: Iterable[int] | None = None,
    list_id: int | None = None,
    with_items: bool = False,
) -> int:
    """Write the selected records (all of them when nothing is selected; a query's in relevance order, ids and
    lists in their order) to `stream`. Returns the count. ISO 2709 without copies is the stored record byte for
    byte; MARCXML and CSV are generated from it."""
    selection = Selection(query=query, ids=tuple(ids) if ids is not None else None, list_id=list_id)
    export = iter_export(fmt, selection, with_items=with_items)
    stream.writelines(export)
    return export.count


def export_record_ids(stream: BinaryIO, record_ids: list[int], *, fmt: str = "iso2709") -> int:
    """Write the records `record_ids` names, in that order (a patron's list, the cart), to `stream`.

    Ids of records deleted meanwhile are skipped. Returns the count written.
    """
    return export_records(stream, fmt=fmt, ids=record_ids)


# --- which records -----------------------------------------------------------------------------------------------


def _chunks(selection: Selection) -> Iterator[list[tuple[int, bytes]]]:
    if selection.everything:
        last = 0
        while True:
            rows = list(Record.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "raw")[:CHUNK])
            if not rows:
                return
            yield [(pk, bytes(raw)) for pk, raw in rows]
            last = rows[-1][0]
    for ids in _id_chunks(selection):
        raws = dict(Record.objects.filter(pk__in=ids).values_list("pk", "raw"))
        yield [(pk, bytes(raws[pk])) for pk in dict.fromkeys(ids) if pk in raws]


def _id_chunks(selection: Selection) -> Iterator[list[int]]:
    if selection.ids is not None:
        ids = list(selection.ids)
        for start in range(0, len(ids), CHUNK):
            yield ids[start : start + CHUNK]
        return
    if selection.list_id is not None:
        from kitab.worklists.models import RecordListEntry

        entries = RecordListEntry.objects.filter(record_list_id=selection.list_id).order_by("added_at", "pk")
        batch: list[int] = []
        for record_id in entries.values_list("record_id", flat=True).iterator(chunk_size=CHUNK):
            batch.append(record_id)
            if len(batch) == CHUNK:
                yield batch
                batch = []
        if batch:
            yield batch
        return
    yield from _query_chunks(selection.query or "")


def _query_chunks(query: str) -> Iterator[list[int]]:
    from kitab.search.services import SearchRequest, search

    offset = 0
    while True:
        result = search(SearchRequest(query=query, limit=CHUNK, offset=offset, facets=False))
        if not result.hits:
            return
        yield [hit.record_id for hit in result.hits]
        offset += len(result.hits)
        if offset >= result.total:
            return


# --- copies ------------------------------------------------------------------------------------------------------


def _copies_for(record_ids: list[int]) -> dict[int, list[_Copy]]:
    from kitab.circulation.models import Loan
    from kitab.items.models import Branch, Item, ItemType

    branches = dict(Branch.objects.values_list("pk", "code"))
    types = dict(ItemType.objects.values_list("pk", "code"))
    rows = list(
        Item.objects.filter(record_id__in=record_ids).order_by("record_id", "pk").values_list(
            "pk", "record_id", "barcode", "home_branch_id", "holding_branch_id", "location", "call_number",
            "item_type_id", "status", "price", "source_tag",
        )
    )
    on_loan = [row[0] for row in rows if row[8] == "on_loan"]
    due = dict(
        Loan.objects.filter(item_id__in=on_loan, status="on_loan").values_list("item_id", "due_at")
    ) if on_loan else {}
    copies: dict[int, list[_Copy]] = {}
    for pk, record_id, barcode, home, current, location, call, item_type, status, price, tag in rows:
        copies.setdefault(record_id, []).append(
            _Copy(barcode, branches.get(home, ""), branches.get(current, ""), location, call,
                  types.get(item_type, "") if item_type else "", status, price, tag,
                  due[pk].strftime("%Y-%m-%d") if pk in due else "")
        )
    return copies


def copy_field(copy: _Copy) -> pymarc.Field:
    """One copy as a Koha 952 field (see the module docstring)."""
    pairs = [("a", copy.home), ("b", copy.current), ("c", copy.location), ("o", copy.call_number),
             ("p", copy.barcode or ""), ("y", copy.item_type), ("g", copy.price)]
    if copy.status in _STATUS_FLAGS:
        pairs.append((_STATUS_FLAGS[copy.status], "1"))
    elif copy.status == "on_loan":
        pairs.append(("q", copy.due or "on loan"))
    return pymarc.Field(tag="952", indicators=[" ", " "],
                        subfields=[pymarc.Subfield(code, value) for code, value in pairs if value])


def _with_copies(record: pymarc.Record, copies: list[_Copy]) -> pymarc.Record:
    drop = {"952"} | {copy.source_tag for copy in copies if copy.source_tag in ("852", "949")}
    for old in [f for f in record.fields if f.tag in drop]:
        record.remove_field(old)
    for copy in copies:
        record.add_ordered_field(copy_field(copy))
    return record


def _csv_row(pk: int, record: pymarc.Record, copies: list[_Copy], *, with_items: bool) -> list[object]:
    s = summarize(record)
    join = "; ".join
    row: list[object] = [
        pk, s.control_number or "", s.control_number_identifier or "", s.title, s.responsibility or "",
        join(s.authors), s.edition or "", join(s.publishers), join(s.places), s.year or "",
        join(s.languages), s.material_type, join(s.isbns), join(s.issns), s.lccn or "", join(s.system_numbers),
        join(s.subjects), join(s.series), len(copies),
    ]
    if with_items:
        row += [join(c.barcode or "" for c in copies), join(c.call_number for c in copies),
                join(c.home for c in copies)]
    return row
