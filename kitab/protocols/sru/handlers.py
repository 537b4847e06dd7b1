"""The SRU adapter: parsed request in, response bytes out. Searching goes through the one search service
(`kitab.search.services.search`); this module only translates, loads the records it must show and maps errors
to SRU diagnostics. SRU is read-only and anonymous, so there is no actor to build.

Scan reads the catalogue's own `Record.title` / `Record.author` columns (the search engine exposes no term
dictionary): it browses whole titles and main-author headings in case-insensitive order, and the count of a
term is the number of records carrying exactly that heading. Subject headings have no column and cannot be
scanned (diagnostic 16).
"""

from __future__ import annotations

from collections.abc import Mapping

from kitab.catalogue.models import Record
from kitab.catalogue.selectors import browse_headings
from kitab.marc.iso2709 import parse_record
from kitab.marc.mapping import summarize
from kitab.search.services import search
from kitab.search.types import QuerySyntaxError, SearchRequest

from . import codec, cql, mapping
from .diagnostics import SRUDiagnostic

SCAN_COLUMNS = {"title": "title", "author": "author"}


def handle(params: Mapping[str, str], *, server: codec.ServerInfo) -> bytes:
    """Answer one SRU request (explain, searchRetrieve or scan) with the response document."""
    req, diag = codec.parse_request(params)
    if diag is not None:
        return codec.diagnostic_response(req, diag)
    if req.operation == "searchRetrieve":
        return search_retrieve(req)
    if req.operation == "scan":
        return scan(req)
    return codec.explain_response(req, server, [])


def _control_number(record_id: int) -> str | None:
    value = Record.objects.filter(pk=record_id).values_list("control_number", flat=True).first()
    return value.strip() if value and value.strip() else None


def search_retrieve(req: codec.SruRequest) -> bytes:
    try:
        query = cql.parse(req.query)
    except cql.CQLSyntaxError as exc:
        return codec.diagnostic_response(req, SRUDiagnostic(10, exc.message))

    def fail(diag: SRUDiagnostic) -> bytes:
        return codec.search_retrieve_response(req, total=0, records=[], next_position=None,
                                              diagnostics=[diag], query=query)

    try:
        kitab_query = mapping.to_kitab(query, resolve_record_id=_control_number)
        sort = mapping.sort_order(query) or "relevance"
    except SRUDiagnostic as diag:
        return fail(diag)
    if kitab_query.matches_nothing:
        return codec.search_retrieve_response(req, total=0, records=[], next_position=None, diagnostics=[],
                                              query=query)
    try:
        result = search(SearchRequest(query=kitab_query.text, limit=req.maximum_records,
                                      offset=req.start_record - 1, sort=sort, facets=False))  # type: ignore[arg-type]
    except QuerySyntaxError as exc:
        return fail(SRUDiagnostic(38 if exc.code == "too_many_terms" else 10, str(exc)))

    diagnostics: list[SRUDiagnostic] = []
    if result.total and req.start_record > result.total:
        diagnostics.append(SRUDiagnostic(61, f"startRecord {req.start_record} > {result.total} records"))
    ids = [hit.record_id for hit in result.hits]
    records = _records(ids, req)
    end = req.start_record - 1 + len(records)
    next_position = end + 1 if records and end < result.total else None
    return codec.search_retrieve_response(req, total=result.total, records=records, next_position=next_position,
                                          diagnostics=diagnostics, query=query)


def _records(ids: list[int], req: codec.SruRequest) -> list[codec.RecordOut]:
    raw_by_id = dict(Record.objects.filter(pk__in=ids).values_list("pk", "raw"))
    out: list[codec.RecordOut] = []
    for offset, record_id in enumerate(ids):
        position = req.start_record + offset
        raw = raw_by_id.get(record_id)
        if raw is None:  # deleted since the index was last updated
            out.append(codec.RecordOut(position, str(record_id), None, SRUDiagnostic(64, str(record_id))))
            continue
        record, _warnings = parse_record(bytes(raw))
        if req.schema.name == "dc":
            data = codec.dc_record(summarize(record))
        else:
            data = codec.marcxml_record(record)
        out.append(codec.RecordOut(position, str(record_id), data))
    return out


def scan(req: codec.SruRequest) -> bytes:
    try:
        clause = cql.parse_clause(req.scan_clause)
    except cql.CQLSyntaxError as exc:
        return codec.diagnostic_response(req, SRUDiagnostic(10, exc.message))
    try:
        spec = mapping.resolve_index(clause.index, clause.scope)
        if spec.key not in SCAN_COLUMNS:
            raise SRUDiagnostic(16, f"{clause.index} cannot be scanned")
        if clause.relation.base.lower() not in ("=", "==", "exact", "adj") or clause.relation.modifiers:
            raise SRUDiagnostic(19, clause.relation.base)
        start = mapping.plain_term(" ".join(clause.terms)).lower()
    except SRUDiagnostic as diag:
        return codec.scan_response(req, terms=[], diagnostics=[diag])
    terms = _browse(SCAN_COLUMNS[spec.key], start, req.response_position, req.maximum_terms)
    return codec.scan_response(req, terms=terms, diagnostics=[])


def _browse(column: str, start: str, position: int, maximum: int) -> list[codec.ScanTerm]:
    """Headings of `column` around `start` (see kitab.catalogue.selectors.browse_headings)."""
    return [codec.ScanTerm(h.heading, h.count) for h in browse_headings(column, start, position, maximum)]
