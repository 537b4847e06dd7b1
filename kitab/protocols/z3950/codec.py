"""Z39.50 (ANSI/NISO Z39.50-2003, version 3) APDUs as dataclasses, to and from BER bytes. Pure, no Django.

Covered: Initialize, Search (type-1 and type-101 RPN queries with attribute lists), Present, Scan and Close,
both directions (the server decodes requests and encodes responses; the tests and clients do the reverse).
Any other APDU decodes to `UnsupportedAPDU` with its tag, so the server can refuse it politely.

Fields a Kitab server never uses (otherInfo except character notes, resource reports, segment sizes) are
skipped when decoding and never encoded. Unknown tagged fields are ignored, as ASN.1 extensibility asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ber
from .ber import CONTEXT, UNIVERSAL, BERError, Element
from .diagnostics import BIB1_DIAGNOSTICS

# Object identifiers
BIB1_ATTRIBUTES = "1.2.840.10003.3.1"
USMARC = "1.2.840.10003.5.10"
SUTRS = "1.2.840.10003.5.101"
TEXT_XML = "1.2.840.10003.5.109.10"
APPLICATION_XML = "1.2.840.10003.5.109.11"

# Options bits (Z39.50-2003 3.2.1.1.6)
OPTION_BITS: dict[str, int] = {
    "search": 0,
    "present": 1,
    "delSet": 2,
    "resourceReport": 3,
    "triggerResourceCtrl": 4,
    "resourceCtrl": 5,
    "accessCtrl": 6,
    "scan": 7,
    "sort": 8,
    "extendedServices": 10,
    "level-1Segmentation": 11,
    "level-2Segmentation": 12,
    "concurrentOperations": 13,
    "namedResultSets": 14,
    "encapsulation": 15,
    "resultCountInSort": 16,
    "negotiation": 17,
    "dedup": 18,
    "query104": 19,
    "pQESCorrection": 20,
    "stringSchema": 21,
}
_OPTION_NAMES = {v: k for k, v in OPTION_BITS.items()}
OPTIONS_SIZE = 22
VERSIONS_SIZE = 3

# APDU tags (context class)
INIT_REQUEST, INIT_RESPONSE, SEARCH_REQUEST, SEARCH_RESPONSE = 20, 21, 22, 23
PRESENT_REQUEST, PRESENT_RESPONSE, SCAN_REQUEST, SCAN_RESPONSE, CLOSE = 24, 25, 35, 36, 48
APDU_NAMES: dict[int, str] = {
    20: "initRequest",
    21: "initResponse",
    22: "searchRequest",
    23: "searchResponse",
    24: "presentRequest",
    25: "presentResponse",
    26: "deleteResultSetRequest",
    27: "deleteResultSetResponse",
    28: "accessControlRequest",
    29: "accessControlResponse",
    30: "resourceControlRequest",
    31: "resourceControlResponse",
    32: "triggerResourceControlRequest",
    33: "resourceReportRequest",
    34: "resourceReportResponse",
    35: "scanRequest",
    36: "scanResponse",
    43: "sortRequest",
    44: "sortResponse",
    45: "segmentRequest",
    46: "extendedServicesRequest",
    47: "extendedServicesResponse",
    48: "close",
}

# Close reasons
CLOSE_FINISHED, CLOSE_SHUTDOWN, CLOSE_SYSTEM_PROBLEM = 0, 1, 2
CLOSE_PROTOCOL_ERROR, CLOSE_LACK_OF_ACTIVITY, CLOSE_UNSPECIFIED = 6, 7, 9

# presentStatus values
PRESENT_SUCCESS, PRESENT_PARTIAL_2, PRESENT_FAILURE = 0, 2, 5
SCAN_SUCCESS, SCAN_FAILURE = 0, 6


class CodecError(BERError):
    """Well-formed BER that is not a valid Z39.50 APDU (missing mandatory field, wrong type)."""


# ------------------------------------------------------------------------------------------------------------
# Building blocks
# ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A DefaultDiagFormat diagnostic record (Bib-1 unless `diagnostic_set` says otherwise)."""

    condition: int
    addinfo: str = ""
    diagnostic_set: str = BIB1_DIAGNOSTICS


@dataclass(frozen=True, slots=True)
class Authentication:
    """idAuthentication. kind: open | idPass | anonymous | other."""

    kind: str
    user: str | None = None
    group: str | None = None
    password: str | None = None


@dataclass(frozen=True, slots=True)
class ComplexValue:
    """A 'complex' attribute value: its list of strings and numbers."""

    items: tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Attribute:
    type: int
    value: int | ComplexValue
    attribute_set: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """A search term. kind: general | numeric | characterString | oid | dateTime | external | integerAndUnit |
    null; `value` is bytes (general and the kinds kept raw), int (numeric), str (characterString, oid)."""

    kind: str
    value: bytes | int | str | None


@dataclass(frozen=True, slots=True)
class AttributesPlusTerm:
    attributes: tuple[Attribute, ...]
    term: Term


@dataclass(frozen=True, slots=True)
class ResultSetOperand:
    name: str


@dataclass(frozen=True, slots=True)
class RestrictionOperand:
    """resultAttr: a result set restricted by attributes."""

    name: str
    attributes: tuple[Attribute, ...]


@dataclass(frozen=True, slots=True)
class Proximity:
    distance: int = 1
    ordered: bool = False
    relation: int = 2
    unit: int = 2
    exclusion: bool | None = None


@dataclass(frozen=True, slots=True)
class RPNOp:
    """A boolean node. op: and | or | and-not | prox."""

    left: RPN
    right: RPN
    op: str
    proximity: Proximity | None = None


RPN = AttributesPlusTerm | ResultSetOperand | RestrictionOperand | RPNOp


@dataclass(frozen=True, slots=True)
class RPNQuery:
    attribute_set: str
    rpn: RPN
    type: int = 1  # 1 or 101


@dataclass(frozen=True, slots=True)
class OtherQuery:
    """A query type Kitab does not read (type-0, type-2, CCL, CQL, ...); its number, for diagnostics."""

    type: int


Query = RPNQuery | OtherQuery


@dataclass(frozen=True, slots=True)
class DatabaseSpecificESN:
    pairs: tuple[tuple[str, str], ...]


ElementSetNames = str | DatabaseSpecificESN


@dataclass(frozen=True, slots=True)
class ExternalRecord:
    """A retrieval record: the record syntax OID and the octet-aligned data."""

    syntax: str
    data: bytes


@dataclass(frozen=True, slots=True)
class NamePlusRecord:
    record: ExternalRecord | Diagnostic
    database: str | None = None


# ------------------------------------------------------------------------------------------------------------
# APDUs
# ------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class InitializeRequest:
    reference_id: bytes | None = None
    protocol_versions: frozenset[int] = frozenset({0, 1, 2})  # bit numbers: 0 = v1, 1 = v2, 2 = v3
    options: frozenset[str] = frozenset({"search", "present"})
    preferred_message_size: int = 1024 * 1024
    exceptional_record_size: int = 1024 * 1024
    authentication: Authentication | None = None
    implementation_id: str | None = None
    implementation_name: str | None = None
    implementation_version: str | None = None
    character_info: tuple[str, ...] = ()  # otherInfo characterInfo notes


@dataclass(slots=True)
class InitializeResponse:
    reference_id: bytes | None = None
    protocol_versions: frozenset[int] = frozenset({0, 1, 2})
    options: frozenset[str] = frozenset()
    preferred_message_size: int = 1024 * 1024
    exceptional_record_size: int = 1024 * 1024
    result: bool = True
    implementation_id: str | None = None
    implementation_name: str | None = None
    implementation_version: str | None = None
    character_info: tuple[str, ...] = ()


@dataclass(slots=True)
class SearchRequest:
    query: Query
    database_names: tuple[str, ...] = ("Default",)
    result_set_name: str = "default"
    replace_indicator: bool = True
    small_set_upper_bound: int = 0
    large_set_lower_bound: int = 1
    medium_set_present_number: int = 0
    small_set_element_set_names: ElementSetNames | None = None
    medium_set_element_set_names: ElementSetNames | None = None
    preferred_record_syntax: str | None = None
    reference_id: bytes | None = None


@dataclass(slots=True)
class SearchResponse:
    result_count: int = 0
    number_of_records_returned: int = 0
    next_result_set_position: int = 0
    search_status: bool = True
    result_set_status: int | None = None  # 1 subset, 2 interim, 3 none (only when search_status is False)
    present_status: int | None = None
    records: list[NamePlusRecord] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # non-surrogate
    reference_id: bytes | None = None


@dataclass(slots=True)
class PresentRequest:
    result_set_id: str = "default"
    start_point: int = 1
    number_of_records: int = 1
    element_set_names: ElementSetNames | None = None
    preferred_record_syntax: str | None = None
    additional_ranges: bool = False  # present but not decoded: Kitab does not support them
    comp_spec: bool = False  # likewise for recordComposition 'complex'
    reference_id: bytes | None = None


@dataclass(slots=True)
class PresentResponse:
    number_of_records_returned: int = 0
    next_result_set_position: int = 0
    present_status: int = PRESENT_SUCCESS
    records: list[NamePlusRecord] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reference_id: bytes | None = None


@dataclass(slots=True)
class ScanRequest:
    term: AttributesPlusTerm
    database_names: tuple[str, ...] = ("Default",)
    attribute_set: str | None = BIB1_ATTRIBUTES
    step_size: int | None = None
    number_of_terms_requested: int = 20
    preferred_position: int | None = None
    reference_id: bytes | None = None


@dataclass(frozen=True, slots=True)
class ScanEntry:
    term: str
    occurrences: int | None = None
    display_term: str | None = None


@dataclass(slots=True)
class ScanResponse:
    scan_status: int = SCAN_SUCCESS
    number_of_entries_returned: int = 0
    position_of_term: int | None = None
    entries: list[ScanEntry] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    step_size: int | None = None
    attribute_set: str | None = None
    reference_id: bytes | None = None


@dataclass(slots=True)
class Close:
    reason: int = CLOSE_FINISHED
    diagnostic_information: str | None = None
    reference_id: bytes | None = None


@dataclass(slots=True)
class UnsupportedAPDU:
    """An APDU this codec does not model (delete result set, sort, extended services, ...)."""

    tag: int
    reference_id: bytes | None = None

    @property
    def name(self) -> str:
        return APDU_NAMES.get(self.tag, f"[{self.tag}]")


APDU = (
    InitializeRequest
    | InitializeResponse
    | SearchRequest
    | SearchResponse
    | PresentRequest
    | PresentResponse
    | ScanRequest
    | ScanResponse
    | Close
    | UnsupportedAPDU
)


# ------------------------------------------------------------------------------------------------------------
# Encoding helpers
# ------------------------------------------------------------------------------------------------------------


def _ctx_int(tag: int, v: int | None) -> Element | None:
    return None if v is None else ber.integer(CONTEXT, tag, v)


def _ctx_str(tag: int, v: str | None) -> Element | None:
    return None if v is None else ber.string(CONTEXT, tag, v)


def _ref(v: bytes | None) -> Element | None:
    return None if v is None else ber.prim(CONTEXT, 2, v)


def _other_info(notes: tuple[str, ...]) -> Element | None:
    if not notes:
        return None
    return ber.cons(
        CONTEXT, 201, [ber.cons(UNIVERSAL, ber.SEQUENCE, [ber.string(CONTEXT, 2, n)]) for n in notes]
    )


def _bits(tag: int, bits: frozenset[int], size: int) -> Element:
    return ber.prim(CONTEXT, tag, ber.bits_bytes(bits, size))


def _options(tag: int, names: frozenset[str]) -> Element:
    return _bits(tag, frozenset(OPTION_BITS[n] for n in names if n in OPTION_BITS), OPTIONS_SIZE)


def _diag(d: Diagnostic) -> Element:
    return ber.cons(
        UNIVERSAL,
        ber.SEQUENCE,
        [
            ber.oid(UNIVERSAL, ber.OBJECT_IDENTIFIER, d.diagnostic_set),
            ber.integer(UNIVERSAL, ber.INTEGER, d.condition),
            ber.string(UNIVERSAL, ber.GENERAL_STRING, d.addinfo),
        ],
    )


def _external(rec: ExternalRecord) -> Element:
    return ber.cons(
        UNIVERSAL,
        ber.EXTERNAL,
        [
            ber.oid(UNIVERSAL, ber.OBJECT_IDENTIFIER, rec.syntax),
            ber.prim(CONTEXT, 1, rec.data),  # octet-aligned
        ],
    )


def _name_plus_record(npr: NamePlusRecord) -> Element:
    if isinstance(npr.record, ExternalRecord):
        inner = ber.cons(CONTEXT, 1, [_external(npr.record)])
    else:
        inner = ber.cons(CONTEXT, 2, [_diag(npr.record)])
    return ber.cons(
        UNIVERSAL,
        ber.SEQUENCE,
        [
            _ctx_str(0, npr.database),
            ber.cons(CONTEXT, 1, [inner]),
        ],
    )


def _records(records: list[NamePlusRecord] | None, diagnostics: list[Diagnostic]) -> Element | None:
    if records is not None:
        return ber.cons(CONTEXT, 28, [_name_plus_record(r) for r in records])
    if len(diagnostics) == 1:
        d = _diag(diagnostics[0])
        return ber.cons(CONTEXT, 130, d.children)
    if diagnostics:
        return ber.cons(CONTEXT, 205, [_diag(d) for d in diagnostics])
    return None


def _esn(tag: int, names: ElementSetNames | None) -> Element | None:
    if names is None:
        return None
    if isinstance(names, str):
        inner = ber.string(CONTEXT, 0, names)
    else:
        inner = ber.cons(
            CONTEXT,
            1,
            [
                ber.cons(
                    UNIVERSAL, ber.SEQUENCE, [ber.string(CONTEXT, 105, db), ber.string(CONTEXT, 103, esn)]
                )
                for db, esn in names.pairs
            ],
        )
    return ber.cons(CONTEXT, tag, [inner])


def _attribute(a: Attribute) -> Element:
    if isinstance(a.value, ComplexValue):
        items = [
            ber.string(CONTEXT, 1, v) if isinstance(v, str) else ber.integer(CONTEXT, 2, v)
            for v in a.value.items
        ]
        value = ber.cons(CONTEXT, 224, [ber.cons(CONTEXT, 1, items)])
    else:
        value = ber.integer(CONTEXT, 121, a.value)
    return ber.cons(
        UNIVERSAL,
        ber.SEQUENCE,
        [
            None if a.attribute_set is None else ber.oid(CONTEXT, 1, a.attribute_set),
            ber.integer(CONTEXT, 120, a.type),
            value,
        ],
    )


def _attribute_list(attrs: tuple[Attribute, ...]) -> Element:
    return ber.cons(CONTEXT, 44, [_attribute(a) for a in attrs])


_TERM_TAGS = {
    "general": 45,
    "numeric": 215,
    "characterString": 216,
    "oid": 217,
    "dateTime": 218,
    "external": 219,
    "integerAndUnit": 220,
    "null": 221,
}
_TERM_KINDS = {v: k for k, v in _TERM_TAGS.items()}


def _term(t: Term) -> Element:
    tag = _TERM_TAGS[t.kind]
    if t.kind == "numeric":
        assert isinstance(t.value, int)
        return ber.integer(CONTEXT, tag, t.value)
    if t.kind == "characterString":
        assert isinstance(t.value, str)
        return ber.string(CONTEXT, tag, t.value)
    if t.kind == "oid":
        assert isinstance(t.value, str)
        return ber.oid(CONTEXT, tag, t.value)
    if t.kind == "null":
        return ber.null(CONTEXT, tag)
    if t.kind in ("external", "integerAndUnit"):  # kept raw: the encoded content of the constructed value
        el = ber.decode(t.value) if isinstance(t.value, bytes) and t.value else None
        return ber.cons(CONTEXT, tag, el.children if el else [])
    value = t.value if isinstance(t.value, bytes) else str(t.value or "").encode("utf-8")
    return ber.prim(CONTEXT, tag, value)


def _apt(apt: AttributesPlusTerm) -> Element:
    return ber.cons(CONTEXT, 102, [_attribute_list(apt.attributes), _term(apt.term)])


def _operand(node: RPN) -> Element:
    if isinstance(node, AttributesPlusTerm):
        return _apt(node)
    if isinstance(node, ResultSetOperand):
        return ber.string(CONTEXT, 31, node.name)
    assert isinstance(node, RestrictionOperand)
    return ber.cons(CONTEXT, 214, [ber.string(CONTEXT, 31, node.name), _attribute_list(node.attributes)])


_OPERATOR_TAGS = {"and": 0, "or": 1, "and-not": 2, "prox": 3}
_OPERATOR_NAMES = {v: k for k, v in _OPERATOR_TAGS.items()}


def _operator(node: RPNOp) -> Element:
    tag = _OPERATOR_TAGS[node.op]
    if node.op != "prox":
        inner = ber.null(CONTEXT, tag)
    else:
        p = node.proximity or Proximity()
        inner = ber.cons(
            CONTEXT,
            3,
            [
                None if p.exclusion is None else ber.boolean(CONTEXT, 1, p.exclusion),
                ber.integer(CONTEXT, 2, p.distance),
                ber.boolean(CONTEXT, 3, p.ordered),
                ber.integer(CONTEXT, 4, p.relation),
                ber.cons(CONTEXT, 5, [ber.integer(CONTEXT, 1, p.unit)]),
            ],
        )
    return ber.cons(CONTEXT, 46, [inner])


def _rpn(node: RPN) -> Element:
    if isinstance(node, RPNOp):
        return ber.cons(CONTEXT, 1, [_rpn(node.left), _rpn(node.right), _operator(node)])
    return ber.cons(CONTEXT, 0, [_operand(node)])


def _query(q: Query) -> Element:
    if isinstance(q, OtherQuery):
        return ber.cons(CONTEXT, 21, [ber.prim(CONTEXT, q.type, b"")])
    body = [ber.oid(UNIVERSAL, ber.OBJECT_IDENTIFIER, q.attribute_set), _rpn(q.rpn)]
    return ber.cons(CONTEXT, 21, [ber.cons(CONTEXT, q.type, body)])


def _db_names(tag: int, names: tuple[str, ...]) -> Element:
    return ber.cons(CONTEXT, tag, [ber.string(CONTEXT, 105, n) for n in names])


def _auth(a: Authentication | None) -> Element | None:
    if a is None:
        return None
    if a.kind == "open":
        text = (a.user or "") + (f"/{a.password}" if a.password else "")  # YAZ's "user/password" convention
        inner = ber.string(UNIVERSAL, ber.VISIBLE_STRING, text)
    elif a.kind == "idPass":
        inner = ber.cons(
            UNIVERSAL, ber.SEQUENCE, [_ctx_str(0, a.group), _ctx_str(1, a.user), _ctx_str(2, a.password)]
        )
    else:
        inner = ber.null(UNIVERSAL, ber.NULL)
    return ber.cons(CONTEXT, 7, [inner])


def _to_element(apdu: APDU) -> Element:
    if isinstance(apdu, InitializeRequest | InitializeResponse):
        is_req = isinstance(apdu, InitializeRequest)
        return ber.cons(
            CONTEXT,
            INIT_REQUEST if is_req else INIT_RESPONSE,
            [
                _ref(apdu.reference_id),
                _bits(3, apdu.protocol_versions, VERSIONS_SIZE),
                _options(4, apdu.options),
                ber.integer(CONTEXT, 5, apdu.preferred_message_size),
                ber.integer(CONTEXT, 6, apdu.exceptional_record_size),
                _auth(apdu.authentication)
                if isinstance(apdu, InitializeRequest)
                else ber.boolean(CONTEXT, 12, apdu.result),
                _ctx_str(110, apdu.implementation_id),
                _ctx_str(111, apdu.implementation_name),
                _ctx_str(112, apdu.implementation_version),
                _other_info(apdu.character_info),
            ],
        )
    if isinstance(apdu, SearchRequest):
        return ber.cons(
            CONTEXT,
            SEARCH_REQUEST,
            [
                _ref(apdu.reference_id),
                ber.integer(CONTEXT, 13, apdu.small_set_upper_bound),
                ber.integer(CONTEXT, 14, apdu.large_set_lower_bound),
                ber.integer(CONTEXT, 15, apdu.medium_set_present_number),
                ber.boolean(CONTEXT, 16, apdu.replace_indicator),
                ber.string(CONTEXT, 17, apdu.result_set_name),
                _db_names(18, apdu.database_names),
                _esn(100, apdu.small_set_element_set_names),
                _esn(101, apdu.medium_set_element_set_names),
                None
                if apdu.preferred_record_syntax is None
                else ber.oid(CONTEXT, 104, apdu.preferred_record_syntax),
                _query(apdu.query),
            ],
        )
    if isinstance(apdu, SearchResponse):
        return ber.cons(
            CONTEXT,
            SEARCH_RESPONSE,
            [
                _ref(apdu.reference_id),
                ber.integer(CONTEXT, 23, apdu.result_count),
                ber.integer(CONTEXT, 24, apdu.number_of_records_returned),
                ber.integer(CONTEXT, 25, apdu.next_result_set_position),
                ber.boolean(CONTEXT, 22, apdu.search_status),
                _ctx_int(26, apdu.result_set_status),
                _ctx_int(27, apdu.present_status),
                _records(apdu.records, apdu.diagnostics),
            ],
        )
    if isinstance(apdu, PresentRequest):
        return ber.cons(
            CONTEXT,
            PRESENT_REQUEST,
            [
                _ref(apdu.reference_id),
                ber.string(CONTEXT, 31, apdu.result_set_id),
                ber.integer(CONTEXT, 30, apdu.start_point),
                ber.integer(CONTEXT, 29, apdu.number_of_records),
                _esn(19, apdu.element_set_names),
                None
                if apdu.preferred_record_syntax is None
                else ber.oid(CONTEXT, 104, apdu.preferred_record_syntax),
            ],
        )
    if isinstance(apdu, PresentResponse):
        return ber.cons(
            CONTEXT,
            PRESENT_RESPONSE,
            [
                _ref(apdu.reference_id),
                ber.integer(CONTEXT, 24, apdu.number_of_records_returned),
                ber.integer(CONTEXT, 25, apdu.next_result_set_position),
                ber.integer(CONTEXT, 27, apdu.present_status),
                _records(apdu.records, apdu.diagnostics),
            ],
        )
    if isinstance(apdu, ScanRequest):
        return ber.cons(
            CONTEXT,
            SCAN_REQUEST,
            [
                _ref(apdu.reference_id),
                _db_names(3, apdu.database_names),
                None
                if apdu.attribute_set is None
                else ber.oid(UNIVERSAL, ber.OBJECT_IDENTIFIER, apdu.attribute_set),
                _apt(apdu.term),
                _ctx_int(5, apdu.step_size),
                ber.integer(CONTEXT, 6, apdu.number_of_terms_requested),
                _ctx_int(7, apdu.preferred_position),
            ],
        )
    if isinstance(apdu, ScanResponse):
        entries = None
        if apdu.entries is not None or apdu.diagnostics:
            entries = ber.cons(
                CONTEXT,
                7,
                [
                    None
                    if apdu.entries is None
                    else ber.cons(CONTEXT, 1, [_scan_entry(e) for e in apdu.entries]),
                    ber.cons(CONTEXT, 2, [_diag(d) for d in apdu.diagnostics]) if apdu.diagnostics else None,
                ],
            )
        return ber.cons(
            CONTEXT,
            SCAN_RESPONSE,
            [
                _ref(apdu.reference_id),
                _ctx_int(3, apdu.step_size),
                ber.integer(CONTEXT, 4, apdu.scan_status),
                ber.integer(CONTEXT, 5, apdu.number_of_entries_returned),
                _ctx_int(6, apdu.position_of_term),
                entries,
                None if apdu.attribute_set is None else ber.oid(CONTEXT, 8, apdu.attribute_set),
            ],
        )
    if isinstance(apdu, Close):
        return ber.cons(
            CONTEXT,
            CLOSE,
            [
                _ref(apdu.reference_id),
                ber.integer(CONTEXT, 211, apdu.reason),
                _ctx_str(3, apdu.diagnostic_information),
            ],
        )
    return ber.cons(CONTEXT, apdu.tag, [_ref(apdu.reference_id)])


def _scan_entry(e: ScanEntry) -> Element:
    return ber.cons(
        CONTEXT,
        1,
        [  # termInfo
            ber.prim(CONTEXT, 45, e.term.encode("utf-8")),
            _ctx_str(0, e.display_term),
            _ctx_int(2, e.occurrences),
        ],
    )


def encode_apdu(apdu: APDU) -> bytes:
    """The BER bytes of one APDU."""
    return ber.encode(_to_element(apdu))


# ------------------------------------------------------------------------------------------------------------
# Decoding
# ------------------------------------------------------------------------------------------------------------


def _fields(el: Element) -> dict[tuple[int, int], Element]:
    """The children of a SEQUENCE by (class, tag); the first of repeated tags wins."""
    if not el.constructed:
        raise CodecError(f"[{el.tag}] must be constructed")
    out: dict[tuple[int, int], Element] = {}
    for c in el.children:
        out.setdefault((c.cls, c.tag), c)
    return out


def _need(f: dict[tuple[int, int], Element], cls: int, tag: int, what: str) -> Element:
    el = f.get((cls, tag))
    if el is None:
        raise CodecError(f"missing {what}")
    return el


def _opt_int(f: dict[tuple[int, int], Element], tag: int) -> int | None:
    el = f.get((CONTEXT, tag))
    return None if el is None else ber.to_int(el)


def _opt_str(f: dict[tuple[int, int], Element], tag: int) -> str | None:
    el = f.get((CONTEXT, tag))
    return None if el is None else ber.to_str(el)


def _opt_ref(f: dict[tuple[int, int], Element]) -> bytes | None:
    el = f.get((CONTEXT, 2))
    return None if el is None else ber.to_bytes(el)


def _single(el: Element, what: str) -> Element:
    """The one child of an explicit tag."""
    if not el.constructed or len(el.children) != 1:
        raise CodecError(f"{what} must hold exactly one element")
    return el.children[0]


def _dec_other_info(f: dict[tuple[int, int], Element]) -> tuple[str, ...]:
    el = f.get((CONTEXT, 201))
    if el is None or not el.constructed:
        return ()
    notes = []
    for unit in el.children:
        if unit.constructed:
            for c in unit.children:
                if c.is_(CONTEXT, 2):
                    notes.append(ber.to_str(c))
    return tuple(notes)


def _dec_options(el: Element) -> frozenset[str]:
    return frozenset(_OPTION_NAMES[b] for b in ber.to_bits(el) if b in _OPTION_NAMES)


def _dec_auth(el: Element | None) -> Authentication | None:
    if el is None:
        return None
    inner = _single(el, "idAuthentication")
    if inner.is_(UNIVERSAL, ber.VISIBLE_STRING) or inner.is_(UNIVERSAL, ber.GENERAL_STRING):
        text = ber.to_str(inner)
        user, _, password = text.partition("/")
        return Authentication("open", user=user or None, password=password or None)
    if inner.is_(UNIVERSAL, ber.SEQUENCE):
        f = _fields(inner)
        return Authentication("idPass", user=_opt_str(f, 1), group=_opt_str(f, 0), password=_opt_str(f, 2))
    if inner.is_(UNIVERSAL, ber.NULL):
        return Authentication("anonymous")
    return Authentication("other")


def _dec_diag(el: Element) -> Diagnostic:
    if el.is_(UNIVERSAL, ber.EXTERNAL):
        return Diagnostic(1, "externally defined diagnostic", "")
    if not el.constructed or len(el.children) < 2:
        raise CodecError("malformed diagnostic record")
    set_id = ber.to_oid(el.children[0])
    condition = ber.to_int(el.children[1])
    addinfo = ber.to_str(el.children[2]) if len(el.children) > 2 else ""
    return Diagnostic(condition, addinfo, set_id)


def _dec_external(el: Element) -> ExternalRecord:
    syntax = ""
    data = b""
    for c in el.children:
        if c.is_(UNIVERSAL, ber.OBJECT_IDENTIFIER):
            syntax = ber.to_oid(c)
        elif c.is_(CONTEXT, 1):  # octet-aligned
            data = ber.to_bytes(c)
        elif c.is_(CONTEXT, 0):  # single-ASN1-type: keep its encoding
            data = b"".join(ber.encode(x) for x in c.children)
    return ExternalRecord(syntax, data)


def _dec_records(f: dict[tuple[int, int], Element]) -> tuple[list[NamePlusRecord] | None, list[Diagnostic]]:
    if (el := f.get((CONTEXT, 28))) is not None:
        out = []
        for npr in el.children:
            nf = _fields(npr)
            name = _opt_str(nf, 0)
            rec = _single(_need(nf, CONTEXT, 1, "record"), "record")
            body = _single(rec, "record")
            if rec.is_(CONTEXT, 1):
                out.append(NamePlusRecord(_dec_external(body), name))
            elif rec.is_(CONTEXT, 2):
                out.append(NamePlusRecord(_dec_diag(body), name))
            else:
                raise CodecError("record fragments are not supported")
        return out, []
    if (el := f.get((CONTEXT, 130))) is not None:
        return None, [_dec_diag(el)]
    if (el := f.get((CONTEXT, 205))) is not None:
        return None, [_dec_diag(c) for c in el.children]
    return None, []


def _dec_esn(el: Element | None) -> ElementSetNames | None:
    if el is None:
        return None
    inner = _single(el, "element set names")
    if inner.is_(CONTEXT, 0):
        return ber.to_str(inner)
    if inner.is_(CONTEXT, 1):
        pairs = []
        for pair in inner.children:
            pf = _fields(pair)
            pairs.append(
                (ber.to_str(_need(pf, CONTEXT, 105, "dbName")), ber.to_str(_need(pf, CONTEXT, 103, "esn")))
            )
        return DatabaseSpecificESN(tuple(pairs))
    raise CodecError("malformed element set names")


def _dec_attribute(el: Element) -> Attribute:
    f = _fields(el)
    attr_set = f.get((CONTEXT, 1))
    type_ = ber.to_int(_need(f, CONTEXT, 120, "attributeType"))
    if (v := f.get((CONTEXT, 121))) is not None:
        value: int | ComplexValue = ber.to_int(v)
    elif (v := f.get((CONTEXT, 224))) is not None:
        items: list[str | int] = []
        lst = _fields(v).get((CONTEXT, 1))
        for item in lst.children if lst is not None and lst.constructed else []:
            items.append(ber.to_str(item) if item.is_(CONTEXT, 1) else ber.to_int(item))
        value = ComplexValue(tuple(items))
    else:
        raise CodecError("missing attributeValue")
    return Attribute(type_, value, None if attr_set is None else ber.to_oid(attr_set))


def _dec_attribute_list(el: Element) -> tuple[Attribute, ...]:
    if not el.is_(CONTEXT, 44) or not el.constructed:
        raise CodecError("malformed attribute list")
    return tuple(_dec_attribute(c) for c in el.children)


def _dec_term(el: Element) -> Term:
    if el.cls != CONTEXT or el.tag not in _TERM_KINDS:
        raise CodecError("malformed term")
    kind = _TERM_KINDS[el.tag]
    if kind == "numeric":
        return Term(kind, ber.to_int(el))
    if kind == "characterString":
        return Term(kind, ber.to_str(el))
    if kind == "oid":
        return Term(kind, ber.to_oid(el))
    if kind == "null":
        return Term(kind, None)
    if el.constructed:
        return Term(kind, ber.encode(el))
    return Term(kind, el.value)


def _dec_apt(el: Element) -> AttributesPlusTerm:
    if not el.constructed or len(el.children) != 2:
        raise CodecError("malformed attributes-plus-term")
    return AttributesPlusTerm(_dec_attribute_list(el.children[0]), _dec_term(el.children[1]))


def _dec_operand(el: Element) -> RPN:
    if el.is_(CONTEXT, 102):
        return _dec_apt(el)
    if el.is_(CONTEXT, 31):
        return ResultSetOperand(ber.to_str(el))
    if el.is_(CONTEXT, 214):
        f = _fields(el)
        return RestrictionOperand(
            ber.to_str(_need(f, CONTEXT, 31, "resultSet")),
            _dec_attribute_list(_need(f, CONTEXT, 44, "attributes")),
        )
    raise CodecError("malformed operand")


def _dec_rpn(el: Element) -> RPN:
    if el.is_(CONTEXT, 0):
        return _dec_operand(_single(el, "operand"))
    if el.is_(CONTEXT, 1) and el.constructed and len(el.children) == 3:
        left, right, op_el = el.children
        if not op_el.is_(CONTEXT, 46):
            raise CodecError("malformed operator")
        op = _single(op_el, "operator")
        if op.cls != CONTEXT or op.tag not in _OPERATOR_NAMES:
            raise CodecError("unknown operator")
        prox = None
        if op.tag == 3:
            pf = _fields(op)
            unit_el = pf.get((CONTEXT, 5))
            unit = 2
            if unit_el is not None and unit_el.constructed and unit_el.children:
                unit = ber.to_int(unit_el.children[0])
            excl = pf.get((CONTEXT, 1))
            ordered = pf.get((CONTEXT, 3))
            prox = Proximity(
                distance=_opt_int(pf, 2) or 0,
                ordered=bool(ordered and ber.to_bool(ordered)),
                relation=_opt_int(pf, 4) or 0,
                unit=unit,
                exclusion=None if excl is None else ber.to_bool(excl),
            )
        return RPNOp(_dec_rpn(left), _dec_rpn(right), _OPERATOR_NAMES[op.tag], prox)
    raise CodecError("malformed RPN structure")


def _dec_query(el: Element) -> Query:
    inner = _single(el, "query")
    if inner.cls == CONTEXT and inner.tag in (1, 101):
        if not inner.constructed or len(inner.children) != 2:
            raise CodecError("malformed RPN query")
        return RPNQuery(ber.to_oid(inner.children[0]), _dec_rpn(inner.children[1]), inner.tag)
    return OtherQuery(inner.tag)


def _dec_db_names(el: Element) -> tuple[str, ...]:
    if not el.constructed:
        raise CodecError("malformed database names")
    return tuple(ber.to_str(c) for c in el.children)


def _from_element(el: Element) -> APDU:
    if el.cls != CONTEXT:
        raise CodecError("not a Z39.50 APDU")
    f = _fields(el)
    ref = _opt_ref(f)
    tag = el.tag
    if tag in (INIT_REQUEST, INIT_RESPONSE):
        common = {
            "reference_id": ref,
            "protocol_versions": ber.to_bits(_need(f, CONTEXT, 3, "protocolVersion")),
            "options": _dec_options(_need(f, CONTEXT, 4, "options")),
            "preferred_message_size": ber.to_int(_need(f, CONTEXT, 5, "preferredMessageSize")),
            "exceptional_record_size": ber.to_int(_need(f, CONTEXT, 6, "exceptionalRecordSize")),
            "implementation_id": _opt_str(f, 110),
            "implementation_name": _opt_str(f, 111),
            "implementation_version": _opt_str(f, 112),
            "character_info": _dec_other_info(f),
        }
        if tag == INIT_REQUEST:
            return InitializeRequest(authentication=_dec_auth(f.get((CONTEXT, 7))), **common)  # type: ignore[arg-type]
        return InitializeResponse(result=ber.to_bool(_need(f, CONTEXT, 12, "result")), **common)  # type: ignore[arg-type]
    if tag == SEARCH_REQUEST:
        syntax = f.get((CONTEXT, 104))
        return SearchRequest(
            reference_id=ref,
            small_set_upper_bound=ber.to_int(_need(f, CONTEXT, 13, "smallSetUpperBound")),
            large_set_lower_bound=ber.to_int(_need(f, CONTEXT, 14, "largeSetLowerBound")),
            medium_set_present_number=ber.to_int(_need(f, CONTEXT, 15, "mediumSetPresentNumber")),
            replace_indicator=ber.to_bool(_need(f, CONTEXT, 16, "replaceIndicator")),
            result_set_name=ber.to_str(_need(f, CONTEXT, 17, "resultSetName")),
            database_names=_dec_db_names(_need(f, CONTEXT, 18, "databaseNames")),
            small_set_element_set_names=_dec_esn(f.get((CONTEXT, 100))),
            medium_set_element_set_names=_dec_esn(f.get((CONTEXT, 101))),
            preferred_record_syntax=None if syntax is None else ber.to_oid(syntax),
            query=_dec_query(_need(f, CONTEXT, 21, "query")),
        )
    if tag == SEARCH_RESPONSE:
        records, diags = _dec_records(f)
        status = f.get((CONTEXT, 22))
        return SearchResponse(
            reference_id=ref,
            result_count=ber.to_int(_need(f, CONTEXT, 23, "resultCount")),
            number_of_records_returned=ber.to_int(_need(f, CONTEXT, 24, "numberOfRecordsReturned")),
            next_result_set_position=ber.to_int(_need(f, CONTEXT, 25, "nextResultSetPosition")),
            search_status=ber.to_bool(status) if status is not None else False,
            result_set_status=_opt_int(f, 26),
            present_status=_opt_int(f, 27),
            records=records,
            diagnostics=diags,
        )
    if tag == PRESENT_REQUEST:
        syntax = f.get((CONTEXT, 104))
        return PresentRequest(
            reference_id=ref,
            result_set_id=ber.to_str(_need(f, CONTEXT, 31, "resultSetId")),
            start_point=ber.to_int(_need(f, CONTEXT, 30, "resultSetStartPoint")),
            number_of_records=ber.to_int(_need(f, CONTEXT, 29, "numberOfRecordsRequested")),
            element_set_names=_dec_esn(f.get((CONTEXT, 19))),
            preferred_record_syntax=None if syntax is None else ber.to_oid(syntax),
            additional_ranges=(CONTEXT, 212) in f,
            comp_spec=(CONTEXT, 209) in f,
        )
    if tag == PRESENT_RESPONSE:
        records, diags = _dec_records(f)
        return PresentResponse(
            reference_id=ref,
            number_of_records_returned=ber.to_int(_need(f, CONTEXT, 24, "numberOfRecordsReturned")),
            next_result_set_position=ber.to_int(_need(f, CONTEXT, 25, "nextResultSetPosition")),
            present_status=ber.to_int(_need(f, CONTEXT, 27, "presentStatus")),
            records=records,
            diagnostics=diags,
        )
    if tag == SCAN_REQUEST:
        attr_set = f.get((UNIVERSAL, ber.OBJECT_IDENTIFIER))
        return ScanRequest(
            reference_id=ref,
            database_names=_dec_db_names(_need(f, CONTEXT, 3, "databaseNames")),
            attribute_set=None if attr_set is None else ber.to_oid(attr_set),
            term=_dec_apt(_need(f, CONTEXT, 102, "termListAndStartPoint")),
            step_size=_opt_int(f, 5),
            number_of_terms_requested=ber.to_int(_need(f, CONTEXT, 6, "numberOfTermsRequested")),
            preferred_position=_opt_int(f, 7),
        )
    if tag == SCAN_RESPONSE:
        entries: list[ScanEntry] | None = None
        diags: list[Diagnostic] = []
        if (le := f.get((CONTEXT, 7))) is not None:
            lf = _fields(le)
            if (ents := lf.get((CONTEXT, 1))) is not None:
                entries = []
                for e in ents.children:
                    if not e.is_(CONTEXT, 1):
                        continue  # surrogate diagnostics are not modelled
                    tf = e.children
                    term = ber.to_str(tf[0]) if tf else ""
                    ef = _fields(e)
                    entries.append(ScanEntry(term, _opt_int(ef, 2), _opt_str(ef, 0)))
            if (nd := lf.get((CONTEXT, 2))) is not None:
                diags = [_dec_diag(c) for c in nd.children]
        attr_set = f.get((CONTEXT, 8))
        return ScanResponse(
            reference_id=ref,
            step_size=_opt_int(f, 3),
            scan_status=ber.to_int(_need(f, CONTEXT, 4, "scanStatus")),
            number_of_entries_returned=ber.to_int(_need(f, CONTEXT, 5, "numberOfEntriesReturned")),
            position_of_term=_opt_int(f, 6),
            entries=entries,
            diagnostics=diags,
            attribute_set=None if attr_set is None else ber.to_oid(attr_set),
        )
    if tag == CLOSE:
        return Close(
            reference_id=ref,
            reason=ber.to_int(_need(f, CONTEXT, 211, "closeReason")),
            diagnostic_information=_opt_str(f, 3),
        )
    return UnsupportedAPDU(tag, ref)


def decode_apdu(data: bytes) -> APDU:
    """Decode one APDU; raises BERError (malformed BER) or CodecError (not a valid APDU)."""
    el = ber.decode(data)
    try:
        return _from_element(el)
    except (IndexError, KeyError, ValueError) as exc:
        if isinstance(exc, BERError):
            raise
        raise CodecError(str(exc)) from exc


def reference_id_of(data: bytes) -> bytes | None:
    """The referenceId of an APDU that could not be decoded, when it can still be found (for the reply)."""
    try:
        el = ber.decode(data)
        if el.constructed:
            for c in el.children:
                if c.is_(CONTEXT, 2) and not c.constructed:
                    return c.value
    except BERError:
        pass
    return None
