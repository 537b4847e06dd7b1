"""The Z39.50 adapter: decoded APDUs in, response APDUs out, one `Session` per connection.

Searching goes through the one search service (`kitab.search.services.search`); this module translates the
RPN query (`mapping.py`), keeps the session's named result sets, loads the records a Present asks for and maps
errors to Bib-1 diagnostics. Z39.50 here is read-only and anonymous: idAuthentication is accepted and ignored,
so there is no actor to build.

A result set is the list of record ids the search service returned, in its order, taken when the Search runs
(at most `max_result_set_records`, 10,000 by default): Present reads records by those ids, so positions stay
stable whatever is imported meanwhile. `resultCount` is the full number of hits; records past the limit cannot
be presented (diagnostic 13). A record deleted after the Search comes back as a surrogate diagnostic (14).

Scan browses the catalogue's title and main-author columns (kitab.catalogue.selectors.browse_headings), as SRU
scan does; subject headings cannot be scanned.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, field

from kitab.catalogue.models import Record
from kitab.catalogue.selectors import browse_headings
from kitab.marc.iso2709 import parse_record
from kitab.marc.writer import to_marcxml
from kitab.search.services import search
from kitab.search.types import QuerySyntaxError, SearchRequest

from . import codec, mapping
from .diagnostics import Bib1Diagnostic

log = logging.getLogger("kitab.z3950")

SEARCH_PAGE = 1000  # kitab.search.engine.MAX_LIMIT: the most hits one search call returns
XML_SYNTAXES = frozenset({codec.TEXT_XML, codec.APPLICATION_XML})
RECORD_SYNTAXES = frozenset({codec.USMARC}) | XML_SYNTAXES
FULL_ELEMENT_SETS = frozenset({"f", "b"})  # brief records are full records: MARC has no useful brief form
SUPPORTED_OPTIONS = frozenset({"search", "present", "scan", "namedResultSets"})
RECORD_OVERHEAD = 64  # bytes of BER around one record in a response, for the message size budget


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("kitab")
    except Exception:  # noqa: BLE001 - running from a checkout that was never installed
        return "dev"


@dataclass(slots=True)
class Config:
    """What a Z39.50 session may do; the server builds one from its command-line options."""

    database: str = "Default"
    implementation_id: str = "Kitab"
    implementation_name: str = "Kitab Z39.50 server"
    implementation_version: str = field(default_factory=_version)
    # Sent as an otherInfo note in the Init response: records are not converted to other character sets.
    charset_note: str = "charset=UTF-8; records are MARC 21 in UTF-8 (leader/09 = a); terms are read as UTF-8"
    max_message_size: int = (
        16 * 1024 * 1024
    )  # cap on the negotiated preferredMessageSize/exceptionalRecordSize
    max_result_set_records: int = 10_000
    max_result_sets: int = 16
    max_present_records: int = 1000
    max_scan_terms: int = 100


@dataclass(slots=True)
class ResultSet:
    query: str  # in Kitab's query language, for logs
    total: int
    ids: list[int]


@dataclass(slots=True)
class Reply:
    apdus: list[codec.APDU]
    close: bool = False


class Session:
    """One connection's state: whether Init happened, the negotiated sizes and the named result sets."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.initialised = False
        self.preferred_message_size = self.config.max_message_size
        self.exceptional_record_size = self.config.max_message_size
        self.result_sets: OrderedDict[str, ResultSet] = OrderedDict()
        self.user: str | None = None

    @staticmethod
    def needs_database(apdu: codec.APDU) -> bool:
        """Whether answering `apdu` touches the database (and should run in a worker thread)."""
        return isinstance(apdu, codec.SearchRequest | codec.PresentRequest | codec.ScanRequest)

    def respond(self, apdu: codec.APDU) -> Reply:
        """The answer to one APDU. A protocol violation is answered with a Close (ending the session)."""
        if isinstance(apdu, codec.InitializeRequest):
            if self.initialised:
                return self._protocol_error(apdu.reference_id, "a second initRequest")
            response = self.initialize(apdu)
            return Reply([response], close=not response.result)  # a rejected Init ends the association
        if isinstance(apdu, codec.Close):
            return Reply(
                [codec.Close(reason=codec.CLOSE_FINISHED, reference_id=apdu.reference_id)], close=True
            )
        if not self.initialised:
            return self._protocol_error(
                getattr(apdu, "reference_id", None), "the first APDU must be an initRequest"
            )
        if isinstance(apdu, codec.SearchRequest):
            return Reply([self.search(apdu)])
        if isinstance(apdu, codec.PresentRequest):
            return Reply([self.present(apdu)])
        if isinstance(apdu, codec.ScanRequest):
            return Reply([self.scan(apdu)])
        name = apdu.name if isinstance(apdu, codec.UnsupportedAPDU) else type(apdu).__name__
        return self._protocol_error(getattr(apdu, "reference_id", None), f"{name} is not supported")

    @staticmethod
    def _protocol_error(reference_id: bytes | None, why: str) -> Reply:
        close = codec.Close(
            reason=codec.CLOSE_PROTOCOL_ERROR, diagnostic_information=why, reference_id=reference_id
        )
        return Reply([close], close=True)

    # -- Init ------------------------------------------------------------------------------------------------

    def initialize(self, req: codec.InitializeRequest) -> codec.InitializeResponse:
        """Version 3 (or 2) and the intersection of the options; sizes capped by Config.max_message_size."""
        cap = self.config.max_message_size
        self.preferred_message_size = (
            min(req.preferred_message_size, cap) if req.preferred_message_size > 0 else cap
        )
        self.exceptional_record_size = max(
            min(req.exceptional_record_size, cap) if req.exceptional_record_size > 0 else cap,
            self.preferred_message_size,
        )
        common = {1, 2} & req.protocol_versions
        accepted = bool(common) or 0 in req.protocol_versions  # version 1 = version 2
        highest = max(common, default=1)
        if req.authentication is not None:
            self.user = req.authentication.user
        self.initialised = accepted
        return codec.InitializeResponse(
            reference_id=req.reference_id,
            protocol_versions=frozenset(range(highest + 1)),
            options=req.options & SUPPORTED_OPTIONS,
            preferred_message_size=self.preferred_message_size,
            exceptional_record_size=self.exceptional_record_size,
            result=accepted,
            implementation_id=self.config.implementation_id,
            implementation_name=self.config.implementation_name,
            implementation_version=self.config.implementation_version,
            character_info=(self.config.charset_note,) if self.config.charset_note else (),
        )

    # -- Search ----------------------------------------------------------------------------------------------

    def _check_databases(self, names: tuple[str, ...]) -> None:
        if not names:
            raise Bib1Diagnostic(235, "no database named")
        for name in names:
            if name.lower() != self.config.database.lower():
                raise Bib1Diagnostic(235, name)

    def search(self, req: codec.SearchRequest) -> codec.SearchResponse:
        name = req.result_set_name
        try:
            self._check_databases(req.database_names)
            if not name or len(name) > 200:
                raise Bib1Diagnostic(128, name[:200])
            if name in self.result_sets and not req.replace_indicator:
                raise Bib1Diagnostic(21, name)
            if name not in self.result_sets and len(self.result_sets) >= self.config.max_result_sets:
                raise Bib1Diagnostic(112, f"at most {self.config.max_result_sets} result sets per session")
            if not isinstance(req.query, codec.RPNQuery):
                raise Bib1Diagnostic(107, str(req.query.type))
            query = mapping.to_kitab(req.query)
            result_set = self._run(query)
        except Bib1Diagnostic as diag:
            self.result_sets.pop(name, None)  # a failed search replaces the set with nothing
            log.info("z3950 search failed: %s", diag)
            return codec.SearchResponse(
                reference_id=req.reference_id,
                search_status=False,
                result_set_status=3,
                diagnostics=[codec.Diagnostic(diag.condition, diag.addinfo)],
            )
        self.result_sets.pop(name, None)
        self.result_sets[name] = result_set
        log.info("z3950 search %r: %d hits", result_set.query, result_set.total)

        total = result_set.total
        if total <= req.small_set_upper_bound:
            count, esn = total, req.small_set_element_set_names
        elif total < req.large_set_lower_bound:
            count, esn = min(req.medium_set_present_number, total), req.medium_set_element_set_names
        else:
            count, esn = 0, None
        response = codec.SearchResponse(
            reference_id=req.reference_id, result_count=total, next_result_set_position=1
        )
        if count > 0:
            piggy = self._present(result_set, 1, count, esn, req.preferred_record_syntax)
            response.number_of_records_returned = piggy.number_of_records_returned
            response.next_result_set_position = piggy.next_result_set_position
            response.present_status = piggy.present_status
            response.records = piggy.records
            response.diagnostics = piggy.diagnostics
        return response

    def _run(self, query: mapping.KitabQuery) -> ResultSet:
        """Search and keep the ids of the first hits (up to the configured limit) in the service's order."""
        if query.matches_nothing:
            return ResultSet(query.text, 0, [])
        cap = self.config.max_result_set_records
        ids: list[int] = []
        seen: set[int] = set()
        total = 0
        offset = 0
        try:
            while offset < cap:
                limit = min(SEARCH_PAGE, cap - offset)
                result = search(SearchRequest(query=query.text, limit=limit, offset=offset, facets=False))
                total = result.total if offset == 0 else total
                for hit in result.hits:
                    if hit.record_id not in seen:
                        seen.add(hit.record_id)
                        ids.append(hit.record_id)
                offset += len(result.hits)
                if len(result.hits) < limit or offset >= result.total:
                    break
        except QuerySyntaxError as exc:
            condition = {"too_many_terms": 5, "too_long": 11}.get(exc.code, 108)
            raise Bib1Diagnostic(condition, str(exc)) from None
        return ResultSet(query.text, total, ids)

    # -- Present ---------------------------------------------------------------------------------------------

    def present(self, req: codec.PresentRequest) -> codec.PresentResponse:
        result_set = self.result_sets.get(req.result_set_id)
        try:
            if result_set is None:
                raise Bib1Diagnostic(30, req.result_set_id)
            if req.additional_ranges:
                raise Bib1Diagnostic(243)
            if req.comp_spec:
                raise Bib1Diagnostic(244)
        except Bib1Diagnostic as diag:
            return _present_failure(req.reference_id, diag)
        assert result_set is not None
        response = self._present(
            result_set,
            req.start_point,
            req.number_of_records,
            req.element_set_names,
            req.preferred_record_syntax,
        )
        response.reference_id = req.reference_id
        return response

    def _present(
        self,
        result_set: ResultSet,
        start: int,
        count: int,
        esn: codec.ElementSetNames | None,
        syntax: str | None,
    ) -> codec.PresentResponse:
        try:
            if isinstance(esn, codec.DatabaseSpecificESN):
                raise Bib1Diagnostic(26)
            if esn is not None and esn.lower() not in FULL_ELEMENT_SETS:
                raise Bib1Diagnostic(25, esn)
            syntax = syntax or codec.USMARC
            if syntax not in RECORD_SYNTAXES:
                raise Bib1Diagnostic(239, syntax)
            if count < 0 or start < 1 or start > result_set.total:
                raise Bib1Diagnostic(13, f"start {start}, count {count}, result set of {result_set.total}")
            if start > len(result_set.ids):
                raise Bib1Diagnostic(
                    13, f"only the first {len(result_set.ids)} records of a result set can be retrieved"
                )
        except Bib1Diagnostic as diag:
            return _present_failure(None, diag)

        wanted = result_set.ids[start - 1 : start - 1 + min(count, self.config.max_present_records)]
        raws = dict(Record.objects.filter(pk__in=wanted).values_list("pk", "raw"))
        records: list[codec.NamePlusRecord] = []
        budget = self.preferred_message_size - 256
        status = codec.PRESENT_SUCCESS
        for record_id in wanted:
            item: codec.ExternalRecord | codec.Diagnostic
            raw = raws.get(record_id)
            if raw is None:
                item = codec.Diagnostic(14, f"record {record_id} has been deleted")
                size = RECORD_OVERHEAD
            else:
                item = self._record(bytes(raw), syntax, record_id)
                size = (
                    len(item.data) + RECORD_OVERHEAD
                    if isinstance(item, codec.ExternalRecord)
                    else RECORD_OVERHEAD
                )
                if size > self.exceptional_record_size:
                    item = codec.Diagnostic(17, f"record {record_id} is {size} bytes")
                    size = RECORD_OVERHEAD
            if records and size > budget:
                status = codec.PRESENT_PARTIAL_2  # the rest does not fit the preferred message size
                break
            budget -= size
            records.append(codec.NamePlusRecord(item, self.config.database))
        if (
            len(records) < count
            and status == codec.PRESENT_SUCCESS
            and start - 1 + len(records) < result_set.total
        ):
            status = codec.PRESENT_PARTIAL_2  # capped by max_present_records or by the result set limit
        last = start - 1 + len(records)
        return codec.PresentResponse(
            number_of_records_returned=len(records),
            next_result_set_position=last + 1 if last < result_set.total else 0,
            present_status=status,
            records=records,
        )

    @staticmethod
    def _record(raw: bytes, syntax: str, record_id: int) -> codec.ExternalRecord | codec.Diagnostic:
        if syntax == codec.USMARC:
            return codec.ExternalRecord(
                codec.USMARC, raw
            )  # the stored bytes, exactly what `kitab export` writes
        try:
            record, _warnings = parse_record(raw)
            return codec.ExternalRecord(syntax, to_marcxml(record))
        except Exception as exc:  # noqa: BLE001 - one unreadable record must not fail the whole Present
            log.warning("z3950: record %s cannot be converted to XML: %s", record_id, exc)
            return codec.Diagnostic(14, f"record {record_id} cannot be converted to XML")

    # -- Scan ------------------------------------------------------------------------------------------------

    def scan(self, req: codec.ScanRequest) -> codec.ScanResponse:
        try:
            self._check_databases(req.database_names)
            if req.attribute_set not in (None, codec.BIB1_ATTRIBUTES):
                raise Bib1Diagnostic(121, req.attribute_set or "")
            if req.step_size not in (None, 0):
                raise Bib1Diagnostic(205, str(req.step_size))
            column, start = mapping.scan_column(req.term)
        except Bib1Diagnostic as diag:
            return codec.ScanResponse(
                reference_id=req.reference_id,
                scan_status=codec.SCAN_FAILURE,
                diagnostics=[codec.Diagnostic(diag.condition, diag.addinfo)],
            )
        maximum = max(0, min(req.number_of_terms_requested, self.config.max_scan_terms))
        position = 1 if req.preferred_position is None else max(0, min(req.preferred_position, maximum + 1))
        headings = browse_headings(column, start, position, maximum)
        before = sum(1 for h in headings if h.key < start)
        return codec.ScanResponse(
            reference_id=req.reference_id,
            scan_status=codec.SCAN_SUCCESS,
            number_of_entries_returned=len(headings),
            position_of_term=before + 1,
            entries=[codec.ScanEntry(h.heading, h.count) for h in headings],
            step_size=0,
        )


def _present_failure(reference_id: bytes | None, diag: Bib1Diagnostic) -> codec.PresentResponse:
    return codec.PresentResponse(
        reference_id=reference_id,
        number_of_records_returned=0,
        next_result_set_position=0,
        present_status=codec.PRESENT_FAILURE,
        diagnostics=[codec.Diagnostic(diag.condition, diag.addinfo)],
    )
