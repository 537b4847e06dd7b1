"""SRU 1.1/1.2/2.0 wire format: request parameters in, XML responses out. Pure (lxml, pymarc), no Django.

The CQL parser lives in `cql.py` and its translation to Kitab's query language in `mapping.py`; this module
reads the HTTP parameters into an `SruRequest` and builds the explain, searchRetrieve and scan responses,
including the record formats (MARCXML, simple Dublin Core) and XCQL for the echoed request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pymarc
from lxml import etree

from kitab.marc.summary import BibSummary
from kitab.marc.writer import to_marcxml

from . import cql
from .diagnostics import SRUDiagnostic
from .mapping import CONTEXT_SETS, INDEX_NAMES, SPECS

VERSIONS = ("1.1", "1.2", "2.0")
DEFAULT_VERSION = "1.2"
OPERATIONS = ("explain", "searchRetrieve", "scan")
DEFAULT_MAXIMUM_RECORDS = 10
MAX_MAXIMUM_RECORDS = 100
DEFAULT_MAXIMUM_TERMS = 20
MAX_MAXIMUM_TERMS = 100

NS_SRW = "http://www.loc.gov/zing/srw/"
NS_SRW_DIAG = "http://www.loc.gov/zing/srw/diagnostic/"
NS_SRU2 = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
NS_SRU2_SCAN = "http://docs.oasis-open.org/ns/search-ws/scan"
NS_SRU2_DIAG = "http://docs.oasis-open.org/ns/search-ws/diagnostic"
NS_ZEEREX = "http://explain.z3950.org/dtd/2.0/"
NS_XCQL = "http://www.loc.gov/zing/cql/xcql/"
NS_MARCXML = "http://www.loc.gov/MARC21/slim"
NS_SRW_DC = "info:srw/schema/1/dc-schema"
NS_DC = "http://purl.org/dc/elements/1.1/"


@dataclass(frozen=True, slots=True)
class RecordSchema:
    name: str
    uri: str
    title: str
    aliases: tuple[str, ...] = ()


SCHEMAS: tuple[RecordSchema, ...] = (
    RecordSchema("marcxml", "info:srw/schema/1/marcxml-v1.1", "MARCXML (MARC 21 slim)",
                 ("marc21", "marc21-xml", "marc21xml", "marcxml-v1.1", "info:srw/schema/1/marcxml-v1.1-light")),
    RecordSchema("dc", "info:srw/schema/1/dc-v1.1", "Simple Dublin Core", ("dc-v1.1", "oai_dc", "srw_dc")),
)
DEFAULT_SCHEMA = SCHEMAS[0]
DIAGNOSTIC_SCHEMA_URI = "info:srw/schema/1/diagnostics-v1.1"
EXPLAIN_SCHEMA_URI = NS_ZEEREX


def find_schema(value: str) -> RecordSchema | None:
    v = value.strip().lower()
    for s in SCHEMAS:
        if v in (s.name, s.uri.lower(), *s.aliases):
            return s
    return None


# ---------------------------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------------------------

_COMMON_PARAMS = frozenset({"operation", "version", "stylesheet", "extraRequestData", "recordPacking",
                            "httpAccept", "renderedBy", "responseType"})
_OPERATION_PARAMS: dict[str, frozenset[str]] = {
    "explain": frozenset(),
    "searchRetrieve": frozenset({"query", "queryType", "startRecord", "maximumRecords", "recordSchema",
                                 "recordXPath", "resultSetTTL", "sortKeys", "recordXMLEscaping"}),
    "scan": frozenset({"scanClause", "responsePosition", "maximumTerms"}),
}


@dataclass(slots=True)
class SruRequest:
    operation: str = "explain"
    version: str = DEFAULT_VERSION
    query: str = ""
    start_record: int = 1
    maximum_records: int = DEFAULT_MAXIMUM_RECORDS
    schema: RecordSchema = DEFAULT_SCHEMA
    escaping: str = "xml"  # record packing in 1.x, recordXMLEscaping in 2.0: xml | string
    scan_clause: str = ""
    response_position: int = 1
    maximum_terms: int = DEFAULT_MAXIMUM_TERMS
    params: dict[str, str] = field(default_factory=dict)  # as received, for the echoed request

    @property
    def major(self) -> int:
        return 2 if self.version.startswith("2") else 1


def _int(params: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SRUDiagnostic(6, name) from None
    if value < minimum:
        raise SRUDiagnostic(6, name)
    return value


def parse_request(params: Mapping[str, str]) -> tuple[SruRequest, SRUDiagnostic | None]:
    """Read the HTTP parameters. The request comes back even with a diagnostic, so the response can still use
    the right version and operation."""
    req = SruRequest(params=dict(params))
    version = params.get("version", "").strip()
    if version:
        if version not in VERSIONS:
            return req, SRUDiagnostic(5, "supported versions: " + ", ".join(VERSIONS))
        req.version = version
    operation = params.get("operation", "").strip()
    if not operation:
        # SRU 2.0 has no operation parameter: the parameters present decide
        operation = "searchRetrieve" if "query" in params else "scan" if "scanClause" in params else "explain"
    if operation not in OPERATIONS:
        return req, SRUDiagnostic(4, operation)
    req.operation = operation
    try:
        _parse_operation(req, params)
    except SRUDiagnostic as diag:
        return req, diag
    return req, None


def _parse_operation(req: SruRequest, params: Mapping[str, str]) -> None:
    allowed = _COMMON_PARAMS | _OPERATION_PARAMS[req.operation]
    for name in params:
        if name not in allowed and not name.startswith("x-"):
            raise SRUDiagnostic(8, name)
    if params.get("stylesheet"):
        raise SRUDiagnostic(110, params["stylesheet"])
    packing = params.get("recordPacking", "").strip()
    if req.major == 1:
        if packing and packing not in ("xml", "string"):
            raise SRUDiagnostic(71, packing)
        req.escaping = packing or "xml"
    else:
        if packing and packing != "packed":
            raise SRUDiagnostic(6, "recordPacking")
        escaping = params.get("recordXMLEscaping", "").strip()
        if escaping and escaping not in ("xml", "string"):
            raise SRUDiagnostic(71, escaping)
        req.escaping = escaping or "xml"
    if req.operation == "searchRetrieve":
        req.query = params.get("query", "")
        if not req.query.strip():
            raise SRUDiagnostic(7, "query")
        query_type = params.get("queryType", "").strip()
        if query_type and query_type != "cql":
            raise SRUDiagnostic(6, "queryType")
        req.start_record = _int(params, "startRecord", 1, 1)
        req.maximum_records = min(_int(params, "maximumRecords", DEFAULT_MAXIMUM_RECORDS, 0), MAX_MAXIMUM_RECORDS)
        schema = params.get("recordSchema", "").strip()
        if schema:
            found = find_schema(schema)
            if found is None:
                raise SRUDiagnostic(66, schema)
            req.schema = found
        if params.get("recordXPath"):
            raise SRUDiagnostic(72, params["recordXPath"])
        if params.get("sortKeys"):
            raise SRUDiagnostic(80, "sortKeys: use a CQL sortBy clause")
    elif req.operation == "scan":
        req.scan_clause = params.get("scanClause", "")
        if not req.scan_clause.strip():
            raise SRUDiagnostic(7, "scanClause")
        req.maximum_terms = min(_int(params, "maximumTerms", DEFAULT_MAXIMUM_TERMS, 1), MAX_MAXIMUM_TERMS)
        req.response_position = _int(params, "responsePosition", 1, 0)
        if req.response_position > req.maximum_terms + 1:
            raise SRUDiagnostic(120, str(req.response_position))


# ---------------------------------------------------------------------------------------------------------------
# Response payloads
# ---------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class RecordOut:
    position: int
    identifier: str | None
    data: etree._Element | None  # None: the record could not be delivered (surrogate diagnostic)
    diagnostic: SRUDiagnostic | None = None


@dataclass(slots=True)
class ScanTerm:
    value: str
    count: int
    display: str | None = None


@dataclass(slots=True)
class ServerInfo:
    host: str
    port: int
    database: str
    title: str = "Kitab library catalogue"
    description: str = ""


# ---------------------------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------------------------


def marcxml_record(record: pymarc.Record) -> etree._Element:
    return etree.fromstring(to_marcxml(record))


def dc_record(summary: BibSummary) -> etree._Element:
    """Simple Dublin Core (the SRU dc schema) built from Kitab's extracted summary."""
    root = etree.Element(f"{{{NS_SRW_DC}}}dc", nsmap={"srw_dc": NS_SRW_DC, "dc": NS_DC})

    def add(name: str, value: str | int | None) -> None:
        if value is None or value == "":
            return
        etree.SubElement(root, f"{{{NS_DC}}}{name}").text = _xml_safe(str(value))

    add("title", summary.title)
    for author in summary.authors:
        add("creator", author)
    for subject in summary.subjects:
        add("subject", subject)
    add("description", summary.summary)
    for publisher in summary.publishers:
        add("publisher", publisher)
    add("date", summary.year)
    add("type", summary.material_type)
    add("format", summary.physical_description)
    for isbn in summary.isbns:
        add("identifier", f"URN:ISBN:{isbn}")
    for issn in summary.issns:
        add("identifier", f"URN:ISSN:{issn}")
    if summary.lccn:
        add("identifier", f"LCCN:{summary.lccn}")
    for language in summary.languages:
        add("language", language)
    for series in summary.series:
        add("relation", series)
    return root


def _xml_safe(text: str) -> str:
    # XML 1.0 forbids most C0 controls; MARC data occasionally carries them
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


# ---------------------------------------------------------------------------------------------------------------
# XCQL
# ---------------------------------------------------------------------------------------------------------------


def _x(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS_XCQL}}}{name}")
    if text is not None:
        el.text = _xml_safe(text)
    return el


def _xcql_modifiers(parent: etree._Element, mods: tuple[cql.Modifier, ...]) -> None:
    if not mods:
        return
    box = _x(parent, "modifiers")
    for m in mods:
        el = _x(box, "modifier")
        _x(el, "type", m.name)
        if m.comparison is not None:
            _x(el, "comparison", m.comparison)
            _x(el, "value", m.value or "")


def _xcql_prefixes(parent: etree._Element, prefixes: tuple[cql.Prefix, ...]) -> None:
    if not prefixes:
        return
    box = _x(parent, "prefixes")
    for p in prefixes:
        el = _x(box, "prefix")
        if p.name is not None:
            _x(el, "name", p.name)
        _x(el, "identifier", p.uri)


def _xcql_node(parent: etree._Element, node: cql.Node) -> etree._Element:
    if isinstance(node, cql.SearchClause):
        el = _x(parent, "searchClause")
        _xcql_prefixes(el, node.prefixes)
        _x(el, "index", node.index)
        rel = _x(el, "relation")
        _x(rel, "value", node.relation.base)
        _xcql_modifiers(rel, node.relation.modifiers)
        for term in node.terms:
            _x(el, "term", term)
        return el
    el = _x(parent, "triple")
    _xcql_prefixes(el, node.prefixes)
    boolean = _x(el, "boolean")
    _x(boolean, "value", node.boolean)
    _xcql_modifiers(boolean, node.modifiers)
    _xcql_node(_x(el, "leftOperand"), node.left)
    _xcql_node(_x(el, "rightOperand"), node.right)
    return el


def xcql(query: cql.Query, parent: etree._Element) -> etree._Element:
    """Append the XCQL form of `query` to `parent` (sort keys inside the root node, as YAZ writes them)."""
    el = _xcql_node(parent, query.root)
    if query.sort_keys:
        keys = _x(el, "sortKeys")
        for k in query.sort_keys:
            key = _x(keys, "key")
            _x(key, "index", k.index)
            _xcql_modifiers(key, k.modifiers)
    return el


# ---------------------------------------------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Names:
    ns: str
    prefix: str
    diag_ns: str
    scan_ns: str
    scan_prefix: str


def _names(version: str) -> _Names:
    if version.startswith("2"):
        return _Names(NS_SRU2, "sruResponse", NS_SRU2_DIAG, NS_SRU2_SCAN, "scan")
    return _Names(NS_SRW, "zs", NS_SRW_DIAG, NS_SRW, "zs")


class _Doc:
    def __init__(self, version: str, root_name: str, *, scan: bool = False) -> None:
        self.version = version
        self.n = _names(version)
        self.ns = self.n.scan_ns if scan else self.n.ns
        prefix = self.n.scan_prefix if scan else self.n.prefix
        self.root = etree.Element(f"{{{self.ns}}}{root_name}", nsmap={prefix: self.ns})
        self.add(self.root, "version", version)

    def add(self, parent: etree._Element, name: str, text: str | int | None = None) -> etree._Element:
        el = etree.SubElement(parent, f"{{{self.ns}}}{name}")
        if text is not None:
            el.text = _xml_safe(str(text))
        return el

    def diagnostic(self, parent: etree._Element, diag: SRUDiagnostic) -> etree._Element:
        el = etree.SubElement(parent, f"{{{self.n.diag_ns}}}diagnostic", nsmap={"diag": self.n.diag_ns})
        etree.SubElement(el, f"{{{self.n.diag_ns}}}uri").text = diag.uri
        if diag.details:
            etree.SubElement(el, f"{{{self.n.diag_ns}}}details").text = _xml_safe(diag.details)
        etree.SubElement(el, f"{{{self.n.diag_ns}}}message").text = diag.message
        return el

    def diagnostics(self, diags: list[SRUDiagnostic]) -> None:
        if diags:
            box = self.add(self.root, "diagnostics")
            for d in diags:
                self.diagnostic(box, d)

    def record_data(self, parent: etree._Element, data: etree._Element, escaping: str) -> None:
        box = self.add(parent, "recordData")
        if escaping == "string":
            box.text = etree.tostring(data, encoding="unicode")
        else:
            box.append(data)

    def packing(self, parent: etree._Element, escaping: str) -> None:
        if self.version.startswith("2"):
            self.add(parent, "recordXMLEscaping", escaping)
        else:
            self.add(parent, "recordPacking", escaping)

    def echo(self, name: str, req: SruRequest, order: tuple[str, ...],
             query: cql.Query | None = None) -> None:
        box = self.add(self.root, name)
        self.add(box, "version", req.version)
        for key in order:
            if key == "xQuery":
                if query is not None:
                    xcql(query, self.add(box, "xQuery"))
                continue
            value = req.params.get(key)
            if value not in (None, ""):
                self.add(box, key, value)

    def bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=False)


_SEARCH_ECHO = ("query", "xQuery", "startRecord", "maximumRecords", "recordPacking", "recordXMLEscaping",
                "recordSchema", "resultSetTTL", "sortKeys", "stylesheet")


def search_retrieve_response(req: SruRequest, *, total: int | None, records: list[RecordOut],
                             next_position: int | None, diagnostics: list[SRUDiagnostic],
                             query: cql.Query | None = None) -> bytes:
    doc = _Doc(req.version, "searchRetrieveResponse")
    doc.add(doc.root, "numberOfRecords", total if total is not None else 0)
    if records:
        box = doc.add(doc.root, "records")
        for r in records:
            rec = doc.add(box, "record")
            if r.data is None:
                doc.add(rec, "recordSchema", DIAGNOSTIC_SCHEMA_URI)
                doc.packing(rec, "xml")
                data = doc.add(rec, "recordData")
                doc.diagnostic(data, r.diagnostic or SRUDiagnostic(64))
            else:
                doc.add(rec, "recordSchema", req.schema.uri)
                doc.packing(rec, req.escaping)
                doc.record_data(rec, r.data, req.escaping)
                if req.major == 2 and r.identifier:
                    doc.add(rec, "recordIdentifier", r.identifier)
            doc.add(rec, "recordPosition", r.position)
    if next_position is not None:
        doc.add(doc.root, "nextRecordPosition", next_position)
    doc.echo("echoedSearchRetrieveRequest", req, _SEARCH_ECHO, query)
    doc.diagnostics(diagnostics)
    return doc.bytes()


def scan_response(req: SruRequest, *, terms: list[ScanTerm], diagnostics: list[SRUDiagnostic]) -> bytes:
    doc = _Doc(req.version, "scanResponse", scan=True)
    if terms:
        box = doc.add(doc.root, "terms")
        for t in terms:
            el = doc.add(box, "term")
            doc.add(el, "value", t.value)
            doc.add(el, "numberOfRecords", t.count)
            if t.display and t.display != t.value:
                doc.add(el, "displayTerm", t.display)
    doc.echo("echoedScanRequest", req, ("scanClause", "responsePosition", "maximumTerms", "stylesheet"))
    doc.diagnostics(diagnostics)
    return doc.bytes()


def _z(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS_ZEEREX}}}{tag}", attrib=attrs)
    if text is not None:
        el.text = text
    return el


def explain_record(req: SruRequest, server: ServerInfo) -> etree._Element:
    """The ZeeRex 2.0 description of this server: indexes, schemas, defaults and limits."""
    root = etree.Element(f"{{{NS_ZEEREX}}}explain", nsmap={"zr": NS_ZEEREX})
    info = _z(root, "serverInfo", protocol="SRU", version=req.version, transport="http")
    _z(info, "host", server.host)
    _z(info, "port", str(server.port))
    _z(info, "database", server.database)
    db = _z(root, "databaseInfo")
    _z(db, "title", server.title, lang="en", primary="true")
    if server.description:
        _z(db, "description", server.description, lang="en", primary="true")

    index_info = _z(root, "indexInfo")
    for short, uris in CONTEXT_SETS.items():
        _z(index_info, "set", name=short, identifier=uris[0])
    by_key: dict[str, list[tuple[str, str]]] = {}
    for set_name, name, key in INDEX_NAMES:
        by_key.setdefault(key, []).append((set_name, name))
    for key, names in by_key.items():
        spec = SPECS[key]
        idx = _z(index_info, "index", search="true", scan="true" if spec.scan else "false",
                 sort="true" if spec.sort else "false", id=key)
        _z(idx, "title", spec.title, lang="en")
        for set_name, name in names:
            _z(_z(idx, "map"), "name", name, set=set_name)

    schema_info = _z(root, "schemaInfo")
    for s in SCHEMAS:
        el = _z(schema_info, "schema", identifier=s.uri, name=s.name, sort="false", retrieve="true")
        _z(el, "title", s.title, lang="en")

    config = _z(root, "configInfo")
    _z(config, "default", str(DEFAULT_MAXIMUM_RECORDS), type="numberOfRecords")
    _z(config, "default", DEFAULT_SCHEMA.name, type="retrieveSchema")
    _z(config, "default", "dc", type="contextSet")
    _z(config, "default", "cql.serverChoice", type="index")
    _z(config, "default", "=", type="relation")
    _z(config, "setting", str(MAX_MAXIMUM_RECORDS), type="maximumRecords")
    _z(config, "setting", str(MAX_MAXIMUM_TERMS), type="maximumTerms")
    for relation in ("=", "==", "exact", "adj", "all", "any", "<", ">", "<=", ">=", "<>", "within"):
        _z(config, "supports", relation, type="relation")
    for modifier in ("relevant", "ignoreCase", "ignoreAccents", "masked", "word"):
        _z(config, "supports", modifier, type="relationModifier")
    for boolean in ("and", "or", "not"):
        _z(config, "supports", boolean, type="boolean")
    _z(config, "supports", "*", type="maskingCharacter")
    _z(config, "supports", "dc.date", type="sort")
    _z(config, "supports", "dc.title", type="sort")
    for v in VERSIONS:
        _z(config, "supports", v, type="version")
    return root


def explain_response(req: SruRequest, server: ServerInfo, diagnostics: list[SRUDiagnostic]) -> bytes:
    doc = _Doc(req.version, "explainResponse")
    rec = doc.add(doc.root, "record")
    doc.add(rec, "recordSchema", EXPLAIN_SCHEMA_URI)
    doc.packing(rec, req.escaping)
    doc.record_data(rec, explain_record(req, server), req.escaping)
    doc.add(rec, "recordPosition", 1)
    doc.echo("echoedExplainRequest", req, ("recordPacking", "recordXMLEscaping", "stylesheet"))
    doc.diagnostics(diagnostics)
    return doc.bytes()


def diagnostic_response(req: SruRequest, diag: SRUDiagnostic) -> bytes:
    """A response carrying only a fatal diagnostic, shaped for the requested operation."""
    if req.operation == "searchRetrieve":
        return search_retrieve_response(req, total=0, records=[], next_position=None, diagnostics=[diag])
    if req.operation == "scan":
        return scan_response(req, terms=[], diagnostics=[diag])
    doc = _Doc(req.version, "explainResponse")
    doc.diagnostics([diag])
    return doc.bytes()
