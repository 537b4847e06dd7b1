"""Streaming export of stored records as ISO 2709 or MARCXML (memory stays flat whatever the size)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import pymarc

from kitab.marc.writer import MarcXmlWriter

from .models import Record


def _record_ids_for(query: str) -> Iterator[int]:
    from kitab.search.services import SearchRequest, search

    offset = 0
    while True:
        result = search(SearchRequest(query=query, limit=1000, offset=offset, facets=False))
        if not result.hits:
            return
        for hit in result.hits:
            yield hit.record_id
        offset += len(result.hits)
        if offset >= result.total:
            return


def _raw_records(query: str | None) -> Iterator[bytes]:
    if query is None:
        for raw in Record.objects.order_by("pk").values_list("raw", flat=True).iterator(chunk_size=2000):
            yield bytes(raw)
        return
    ids: list[int] = []
    for record_id in _record_ids_for(query):
        ids.append(record_id)
        if len(ids) == 1000:
            yield from _raws_in_order(ids)
            ids = []
    if ids:
        yield from _raws_in_order(ids)


def _raws_in_order(ids: list[int]) -> Iterator[bytes]:
    raws = dict(Record.objects.filter(pk__in=ids).values_list("pk", "raw"))
    for record_id in ids:
        if record_id in raws:
            yield bytes(raws[record_id])


def export_records(stream: BinaryIO, *, fmt: str = "iso2709", query: str | None = None) -> int:
    """Write every record (or those `query` finds, in relevance order) to `stream`. Returns the count.

    ISO 2709 output is the stored record byte for byte; MARCXML is generated from it.
    """
    count = 0
    if fmt == "iso2709":
        for raw in _raw_records(query):
            stream.write(raw)
            count += 1
        return count
    if fmt == "marcxml":
        writer = MarcXmlWriter(stream)
        for raw in _raw_records(query):
            writer.write(pymarc.Record(data=raw, to_unicode=True, force_utf8=True))
            count += 1
        writer.close()
        return count
    raise ValueError(f"unknown export format {fmt!r}")
