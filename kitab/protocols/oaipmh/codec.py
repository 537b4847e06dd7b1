"""OAI-PMH 2.0 wire format: request arguments, datestamps, resumption tokens and response XML.

Pure: no Django and no database. `handlers.py` decides what to answer; this module says how it is written.
Protocol reference: http://www.openarchives.org/OAI/openarchivesprotocol.html
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pymarc
from lxml import etree

from kitab.marc.summary import BibSummary
from kitab.marc.writer import MARCXML_NS, to_marcxml

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
MARCXML_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DAY = "day"
SECONDS = "seconds"

# Error codes (section 3.6 of the protocol).
BAD_ARGUMENT = "badArgument"
BAD_RESUMPTION_TOKEN = "badResumptionToken"
BAD_VERB = "badVerb"
CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
ID_DOES_NOT_EXIST = "idDoesNotExist"
NO_RECORDS_MATCH = "noRecordsMatch"
NO_METADATA_FORMATS = "noMetadataFormats"
NO_SET_HIERARCHY = "noSetHierarchy"


class OaiError(Exception):
    """An OAI-PMH error condition; the response carries `<error code="...">message</error>`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


OAI_DC = MetadataFormat("oai_dc", OAI_DC_SCHEMA, OAI_DC_NS)
MARC21 = MetadataFormat("marc21", MARCXML_SCHEMA, MARCXML_NS)
FORMATS: dict[str, MetadataFormat] = {f.prefix: f for f in (OAI_DC, MARC21)}


# ------------------------------------------------------------------------------------------------------------
# Requests
# ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _VerbArgs:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    exclusive: str | None = None  # an argument that must come alone (resumptionToken)


VERBS: dict[str, _VerbArgs] = {
    "Identify": _VerbArgs(),
    "ListMetadataFormats": _VerbArgs(optional=("identifier",)),
    "ListSets": _VerbArgs(exclusive="resumptionToken"),
    "GetRecord": _VerbArgs(required=("identifier", "metadataPrefix")),
    "ListIdentifiers": _VerbArgs(
        required=("metadataPrefix",), optional=("from", "until", "set"), exclusive="resumptionToken"
    ),
    "ListRecords": _VerbArgs(
        required=("metadataPrefix",), optional=("from", "until", "set"), exclusive="resumptionToken"
    ),
}


_PREFIX_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_SET_SPEC_RE = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
_IDENTIFIER_RE = re.compile(r"\S+")  # an anyURI; ours are oai:<repository>:<id>


@dataclass(frozen=True, slots=True)
class OaiRequest:
    verb: str
    args: dict[str, str]  # every argument but the verb

    def get(self, name: str) -> str | None:
        return self.args.get(name)


def parse_request(params: Mapping[str, Sequence[str]]) -> OaiRequest:
    """Check the verb and the arguments of a request (GET query or POST form, each name with all its values).

    Raises OaiError(badVerb) for a missing, repeated or unknown verb, and OaiError(badArgument) for a
    repeated, unknown, missing or malformed argument, or a resumptionToken that comes with other arguments.
    """
    verbs = list(params.get("verb", ()))
    if not verbs:
        raise OaiError(BAD_VERB, "The request has no verb argument.")
    if len(verbs) > 1:
        raise OaiError(BAD_VERB, "The verb argument is repeated.")
    verb = verbs[0]
    spec = VERBS.get(verb)
    if spec is None:
        raise OaiError(BAD_VERB, f"Illegal OAI verb: {verb!r}.")
    args: dict[str, str] = {}
    allowed = set(spec.required) | set(spec.optional) | ({spec.exclusive} if spec.exclusive else set())
    for name, values in params.items():
        if name == "verb":
            continue
        if name not in allowed:
            raise OaiError(BAD_ARGUMENT, f"Illegal argument for {verb}: {name!r}.")
        if len(values) != 1:
            raise OaiError(BAD_ARGUMENT, f"The argument {name!r} is repeated.")
        args[name] = values[0]
    if spec.exclusive and spec.exclusive in args:
        if len(args) > 1:
            raise OaiError(
                BAD_ARGUMENT, f"{spec.exclusive} is an exclusive argument: it cannot be combined with others."
            )
        return OaiRequest(verb, args)
    missing = [name for name in spec.required if not args.get(name)]
    if missing:
        raise OaiError(BAD_ARGUMENT, f"Missing required argument for {verb}: {', '.join(missing)}.")
    # Values echoed in <request> must be valid for the schema, so malformed ones are a badArgument.
    if "metadataPrefix" in args and not _PREFIX_RE.fullmatch(args["metadataPrefix"]):
        raise OaiError(BAD_ARGUMENT, "Illegal metadataPrefix.")
    if "set" in args and not _SET_SPEC_RE.fullmatch(args["set"]):
        raise OaiError(BAD_ARGUMENT, "Illegal set specification.")
    if "identifier" in args and not _IDENTIFIER_RE.fullmatch(args["identifier"]):
        raise OaiError(BAD_ARGUMENT, "Illegal identifier.")
    return OaiRequest(verb, args)


# ------------------------------------------------------------------------------------------------------------
# Datestamps
# ------------------------------------------------------------------------------------------------------------

_DAY_RE = re.compile(r"\A([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_SECONDS_RE = re.compile(r"\A([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z\Z")


def parse_datestamp(text: str) -> tuple[datetime, str]:
    """A `from`/`until` value as an aware UTC datetime plus its granularity (DAY or SECONDS).

    Raises OaiError(badArgument) for anything but YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ naming a real moment.
    """
    try:
        if m := _DAY_RE.match(text):
            return datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=UTC), DAY
        if m := _SECONDS_RE.match(text):
            y, mo, d, h, mi, sec = (int(part) for part in m.groups())
            return datetime(y, mo, d, h, mi, sec, tzinfo=UTC), SECONDS
    except ValueError:
        pass
    raise OaiError(BAD_ARGUMENT, f"Illegal date: {text!r} (use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).")


@dataclass(frozen=True, slots=True)
class DateRange:
    """Datestamps d with lower <= d < upper (either bound may be open)."""

    lower: datetime | None = None
    upper: datetime | None = None  # exclusive

    @property
    def empty(self) -> bool:
        return self.lower is not None and self.upper is not None and self.lower >= self.upper


def date_range(from_: str | None, until: str | None) -> DateRange:
    """The datestamps selected by inclusive `from` and `until` arguments.

    `until=2024-05-01` includes the whole day and `until=2024-05-01T10:00:00Z` the whole second, since stored
    datestamps are finer than the granularity we publish. Raises OaiError(badArgument) for a bad date or for
    `from` and `until` of different granularities.
    """
    lower = upper = None
    lower_g = upper_g = None
    if from_ is not None:
        lower, lower_g = parse_datestamp(from_)
    if until is not None:
        start, upper_g = parse_datestamp(until)
        try:
            upper = start + (timedelta(days=1) if upper_g == DAY else timedelta(seconds=1))
        except OverflowError:
            upper = None  # until the end of year 9999: no upper bound
    if lower_g and upper_g and lower_g != upper_g:
        raise OaiError(BAD_ARGUMENT, "The from and until arguments must have the same granularity.")
    return DateRange(lower, upper)


def format_datestamp(moment: datetime) -> str:
    """YYYY-MM-DDThh:mm:ssZ in UTC, truncated to the second (the granularity we publish)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ------------------------------------------------------------------------------------------------------------
# Identifiers and set specs
# ------------------------------------------------------------------------------------------------------------

_SPEC_SAFE = re.compile(r"[A-Za-z0-9\-_.!*'()]")


def make_identifier(repository_id: str, local_id: int) -> str:
    return f"oai:{repository_id}:{local_id}"


def parse_identifier(repository_id: str, identifier: str) -> int | None:
    """The record id in `oai:<repository_id>:<id>`, or None when the identifier is not one of ours."""
    prefix = f"oai:{repository_id}:"
    if not identifier.startswith(prefix):
        return None
    local = identifier[len(prefix) :]
    if not local.isascii() or not local.isdigit() or len(local) > 18:
        return None
    return int(local)


def encode_spec_part(value: str) -> str:
    """A value (a branch code) as one setSpec segment; characters the protocol forbids become ~XX (UTF-8)."""
    out: list[str] = []
    for char in value:
        if _SPEC_SAFE.fullmatch(char):
            out.append(char)
        else:
            out.extend(f"~{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def decode_spec_part(part: str) -> str | None:
    """The inverse of encode_spec_part; None when `part` cannot have come from it."""
    data = bytearray()
    i = 0
    while i < len(part):
        char = part[i]
        if char == "~":
            hex_digits = part[i + 1 : i + 3]
            if len(hex_digits) != 2 or not re.fullmatch(r"[0-9A-F]{2}", hex_digits):
                return None
            data.append(int(hex_digits, 16))
            i += 3
        elif _SPEC_SAFE.fullmatch(char):
            data.extend(char.encode("ascii"))
            i += 1
        else:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


# ------------------------------------------------------------------------------------------------------------
# Resumption tokens
# ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ListState:
    """What is needed to continue a ListIdentifiers/ListRecords list; carried in the token, not on the server.

    The list is ordered by (datestamp, record id); `after` is the last (datestamp, id) already sent, with the
    stored datestamp's full precision, and `cursor` is how many entries were sent before the next page.
    """

    verb: str
    metadata_prefix: str
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None
    after: tuple[datetime, int] | None = None
    cursor: int = 0


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()[:16])


def encode_token(state: ListState, *, key: bytes, expires: datetime) -> str:
    """A signed, URL-safe token: base64url(JSON) + "." + base64url(HMAC-SHA256 prefix)."""
    body: dict[str, object] = {
        "v": state.verb,
        "p": state.metadata_prefix,
        "c": state.cursor,
        "x": int(expires.timestamp()),
    }
    if state.set_spec is not None:
        body["s"] = state.set_spec
    if state.from_ is not None:
        body["f"] = state.from_
    if state.until is not None:
        body["u"] = state.until
    if state.after is not None:
        moment, last_id = state.after
        delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
        body["t"] = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        body["i"] = last_id
    payload = _b64(json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode("ascii"))
    return f"{payload}.{_sign(key, payload)}"


def decode_token(token: str, *, key: bytes, now: datetime) -> ListState:
    """Check and open a token made by encode_token. Raises OaiError(badResumptionToken) when it is not one of
    ours, has been altered, or has expired."""
    bad = OaiError(BAD_RESUMPTION_TOKEN, "The resumptionToken is invalid or has expired.")
    payload, dot, signature = token.partition(".")
    if not dot or not payload.isascii() or not signature.isascii():
        raise bad
    if not hmac.compare_digest(_sign(key, payload), signature):
        raise bad
    try:
        body = json.loads(_unb64(payload))
        expires = int(body["x"])
        after = None
        if "t" in body:
            moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(body["t"]))
            after = (moment, int(body["i"]))
        state = ListState(
            verb=str(body["v"]),
            metadata_prefix=str(body["p"]),
            set_spec=body.get("s"),
            from_=body.get("f"),
            until=body.get("u"),
            after=after,
            cursor=int(body["c"]),
        )
    except (ValueError, KeyError, TypeError, OverflowError):
        raise bad from None
    if now.timestamp() > expires:
        raise OaiError(BAD_RESUMPTION_TOKEN, "The resumptionToken has expired; start the harvest again.")
    return state


# ------------------------------------------------------------------------------------------------------------
# Response XML
# ------------------------------------------------------------------------------------------------------------

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def _oai(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _oai(tag), {k: v for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


@dataclass(frozen=True, slots=True)
class RepositoryInfo:
    name: str
    base_url: str
    admin_emails: Sequence[str]
    earliest_datestamp: datetime
    repository_id: str
    sample_id: int = 1


@dataclass(frozen=True, slots=True)
class SetInfo:
    spec: str
    name: str


@dataclass(frozen=True, slots=True)
class Header:
    identifier: str
    datestamp: datetime
    set_specs: Sequence[str] = ()
    deleted: bool = False


@dataclass(slots=True)
class PageInfo:
    """What goes in the resumptionToken element of a list page (an empty token marks the last page)."""

    token: str
    cursor: int
    complete_list_size: int | None = None
    expires: datetime | None = None


@dataclass(slots=True)
class Response:
    """One OAI-PMH response: the echoed request and either errors or the verb's element."""

    response_date: datetime
    base_url: str
    request_args: Mapping[str, str] | None  # None: echo no arguments (badVerb / badArgument)
    body: etree._Element | None = None
    errors: list[OaiError] = field(default_factory=list)


def serialize(response: Response) -> bytes:
    root = etree.Element(_oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
    _sub(root, "responseDate", format_datestamp(response.response_date))
    request = _sub(root, "request", response.base_url)
    for name, value in (response.request_args or {}).items():
        request.set(name, _clean(value))
    if response.errors:
        for error in response.errors:
            _sub(root, "error", error.message, code=error.code)
    elif response.body is not None:
        root.append(response.body)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def identify(info: RepositoryInfo) -> etree._Element:
    element = etree.Element(_oai("Identify"))
    _sub(element, "repositoryName", info.name)
    _sub(element, "baseURL", info.base_url)
    _sub(element, "protocolVersion", "2.0")
    for email in info.admin_emails:
        _sub(element, "adminEmail", email)
    _sub(element, "earliestDatestamp", format_datestamp(info.earliest_datestamp))
    _sub(element, "deletedRecord", "persistent")
    _sub(element, "granularity", GRANULARITY)
    description = _sub(element, "description")
    ident = etree.SubElement(
        description, f"{{{OAI_IDENTIFIER_NS}}}oai-identifier", nsmap={None: OAI_IDENTIFIER_NS, "xsi": XSI_NS}
    )
    ident.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}")
    for tag, text in (
        ("scheme", "oai"),
        ("repositoryIdentifier", info.repository_id),
        ("delimiter", ":"),
        ("sampleIdentifier", make_identifier(info.repository_id, info.sample_id)),
    ):
        etree.SubElement(ident, f"{{{OAI_IDENTIFIER_NS}}}{tag}").text = text
    return element


def list_metadata_formats(formats: Iterable[MetadataFormat]) -> etree._Element:
    element = etree.Element(_oai("ListMetadataFormats"))
    for fmt in formats:
        entry = _sub(element, "metadataFormat")
        _sub(entry, "metadataPrefix", fmt.prefix)
        _sub(entry, "schema", fmt.schema)
        _sub(entry, "metadataNamespace", fmt.namespace)
    return element


def list_sets(sets: Iterable[SetInfo]) -> etree._Element:
    element = etree.Element(_oai("ListSets"))
    for info in sets:
        entry = _sub(element, "set")
        _sub(entry, "setSpec", info.spec)
        _sub(entry, "setName", info.name)
    return element


def header(info: Header) -> etree._Element:
    element = etree.Element(_oai("header"))
    if info.deleted:
        element.set("status", "deleted")
    _sub(element, "identifier", info.identifier)
    _sub(element, "datestamp", format_datestamp(info.datestamp))
    for spec in info.set_specs:
        _sub(element, "setSpec", spec)
    return element


def record(info: Header, metadata: etree._Element | None) -> etree._Element:
    """A <record>: a deleted record has a header only."""
    element = etree.Element(_oai("record"))
    element.append(header(info))
    if metadata is not None and not info.deleted:
        _sub(element, "metadata").append(metadata)
    return element


def get_record(entry: etree._Element) -> etree._Element:
    element = etree.Element(_oai("GetRecord"))
    element.append(entry)
    return element


def list_page(verb: str, entries: Iterable[etree._Element], page: PageInfo | None) -> etree._Element:
    """A ListIdentifiers or ListRecords element; `page` None means the whole list fits in this response."""
    element = etree.Element(_oai(verb))
    for entry in entries:
        element.append(entry)
    if page is not None:
        token = _sub(element, "resumptionToken", page.token)
        token.set("cursor", str(page.cursor))
        if page.complete_list_size:
            token.set("completeListSize", str(page.complete_list_size))
        if page.expires is not None and page.token:
            token.set("expirationDate", format_datestamp(page.expires))
    return element


# ------------------------------------------------------------------------------------------------------------
# Metadata formats
# ------------------------------------------------------------------------------------------------------------


def marc21_metadata(marc: pymarc.Record) -> etree._Element:
    """The record as a MARCXML (MARC 21 slim) <record> element."""
    element = etree.fromstring(to_marcxml(marc))
    element.set(f"{{{XSI_NS}}}schemaLocation", f"{MARCXML_NS} {MARCXML_SCHEMA}")
    return element


# MARC material type (kitab.marc.mapping) → DCMI Type Vocabulary term.
DCMI_TYPES = {
    "book": "Text",
    "ebook": "Text",
    "serial": "Text",
    "manuscript": "Text",
    "score": "Text",
    "map": "StillImage",
    "visual": "StillImage",
    "video": "MovingImage",
    "sound": "Sound",
    "computer": "Software",
    "kit": "Collection",
    "mixed": "Collection",
}


def dublin_core_metadata(summary: BibSummary, *, identifiers: Sequence[str] = ()) -> etree._Element:
    """Unqualified Dublin Core (oai_dc) from the record's summary; `identifiers` are extra dc:identifiers
    (such as the catalogue page's URL)."""
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def add(tag: str, values: Iterable[str | None]) -> None:
        for value in values:
            text = _clean(value or "").strip()
            if text:
                etree.SubElement(root, f"{{{DC_NS}}}{tag}").text = text

    add("title", [summary.title])
    add("creator", summary.authors)
    add("subject", summary.subjects)
    add("description", [summary.summary, *summary.notes])
    add("publisher", summary.publishers)
    add("date", [str(summary.year) if summary.year else None])
    add("type", [DCMI_TYPES.get(summary.material_type)])
    add("format", [summary.physical_description])
    add(
        "identifier",
        [
            *(f"urn:isbn:{isbn}" for isbn in summary.isbns),
            *(f"urn:issn:{issn}" for issn in summary.issns),
            *identifiers,
        ],
    )
    add("language", summary.languages)
    add("relation", summary.series)
    return root
