"""A small, defensive BER (ASN.1 Basic Encoding Rules, X.690) encoder and decoder. Pure, no Django.

Everything the Z39.50 codec needs and nothing more: tag/length/value elements, primitive values (INTEGER,
BOOLEAN, OCTET STRING, character strings, OBJECT IDENTIFIER, BIT STRING, NULL) and constructed elements.

The decoder is written for bytes from strangers. It checks every length against the bytes that are really
there, refuses nesting deeper than MAX_DEPTH, tag numbers and integers longer than a few bytes, and
`frame_length` says how long the next top-level element is from its header alone, so a server can refuse an
oversized APDU before reading (or allocating) its body. Indefinite lengths are accepted inside an element
but not for a top-level element (a framer would have to parse the whole body to find its end; Z39.50
clients, YAZ included, always send definite lengths).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

UNIVERSAL, APPLICATION, CONTEXT, PRIVATE = 0, 1, 2, 3

# Universal tag numbers
BOOLEAN = 1
INTEGER = 2
BIT_STRING = 3
OCTET_STRING = 4
NULL = 5
OBJECT_IDENTIFIER = 6
EXTERNAL = 8
SEQUENCE = 16
VISIBLE_STRING = 26
GENERAL_STRING = 27
GENERALIZED_TIME = 24

MAX_DEPTH = 100  # nesting levels; Z39.50 APDUs need about a dozen plus two per RPN operator
MAX_TAG_BYTES = 4  # tag numbers up to 2**28
MAX_LENGTH_BYTES = 4  # lengths up to 4 GiB can be *expressed*; frame_length compares them with a maximum
MAX_INT_BYTES = 8  # INTEGER values are kept within 64 bits
MAX_OID_ARC_BYTES = 5


class BERError(ValueError):
    """The bytes are not valid BER (or break one of the decoder's limits)."""


class Incomplete(BERError):
    """More bytes are needed to decode the element."""


@dataclass(slots=True)
class Element:
    """One BER element. Primitive elements carry `value`; constructed ones carry `children`."""

    cls: int
    tag: int
    constructed: bool = False
    value: bytes = b""
    children: list[Element] = field(default_factory=list)

    def is_(self, cls: int, tag: int) -> bool:
        return self.cls == cls and self.tag == tag

    def __iter__(self) -> Iterator[Element]:
        return iter(self.children)


# ------------------------------------------------------------------------------------------------------------
# Encoding
# ------------------------------------------------------------------------------------------------------------


def _encode_tag(cls: int, constructed: bool, tag: int) -> bytes:
    first = (cls << 6) | (0x20 if constructed else 0)
    if tag < 31:
        return bytes([first | tag])
    arcs = [tag & 0x7F]
    tag >>= 7
    while tag:
        arcs.append(0x80 | (tag & 0x7F))
        tag >>= 7
    return bytes([first | 0x1F, *reversed(arcs)])


def _encode_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def encode(el: Element) -> bytes:
    """The definite-length BER encoding of `el`."""
    content = b"".join(encode(c) for c in el.children) if el.constructed else el.value
    return _encode_tag(el.cls, el.constructed, el.tag) + _encode_length(len(content)) + content


def prim(cls: int, tag: int, value: bytes) -> Element:
    return Element(cls, tag, False, value)


def cons(cls: int, tag: int, children: Iterable[Element | None]) -> Element:
    """A constructed element; None children (absent OPTIONAL fields) are dropped."""
    return Element(cls, tag, True, b"", [c for c in children if c is not None])


def int_bytes(v: int) -> bytes:
    return v.to_bytes(max(1, (v + (v < 0)).bit_length() // 8 + 1), "big", signed=True)


def oid_bytes(oid: str) -> bytes:
    arcs = [int(a) for a in oid.split(".")]
    if len(arcs) < 2 or arcs[0] > 2 or (arcs[0] < 2 and arcs[1] >= 40) or min(arcs) < 0:
        raise ValueError(f"not an object identifier: {oid!r}")
    out = bytearray()
    for arc in [arcs[0] * 40 + arcs[1], *arcs[2:]]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out.extend(reversed(chunk))
    return bytes(out)


def bits_bytes(bits: Iterable[int], size: int) -> bytes:
    """A BIT STRING of `size` bits with the given bit numbers set (bit 0 is the first, most significant)."""
    data = bytearray((size + 7) // 8)
    for b in bits:
        if 0 <= b < size:
            data[b // 8] |= 0x80 >> (b % 8)
    return bytes([(8 - size % 8) % 8]) + bytes(data)


def integer(cls: int, tag: int, v: int) -> Element:
    return prim(cls, tag, int_bytes(v))


def boolean(cls: int, tag: int, v: bool) -> Element:
    return prim(cls, tag, b"\xff" if v else b"\x00")


def string(cls: int, tag: int, v: str) -> Element:
    return prim(cls, tag, v.encode("utf-8"))


def oid(cls: int, tag: int, v: str) -> Element:
    return prim(cls, tag, oid_bytes(v))


def null(cls: int, tag: int) -> Element:
    return prim(cls, tag, b"")


# ------------------------------------------------------------------------------------------------------------
# Decoding
# ------------------------------------------------------------------------------------------------------------


def _header(
    data: bytes | bytearray | memoryview, pos: int, end: int
) -> tuple[int, int, bool, int | None, int]:
    """(cls, tag, constructed, length or None for indefinite, position of the content)."""
    if pos >= end:
        raise Incomplete("missing tag")
    first = data[pos]
    pos += 1
    cls, constructed, tag = first >> 6, bool(first & 0x20), first & 0x1F
    if tag == 0x1F:
        tag = 0
        for i in range(MAX_TAG_BYTES + 1):
            if i == MAX_TAG_BYTES:
                raise BERError("tag number too long")
            if pos >= end:
                raise Incomplete("truncated tag")
            b = data[pos]
            pos += 1
            if i == 0 and b == 0x80:
                raise BERError("tag number with a leading zero byte")
            tag = (tag << 7) | (b & 0x7F)
            if not b & 0x80:
                break
    if pos >= end:
        raise Incomplete("missing length")
    b = data[pos]
    pos += 1
    if b < 0x80:
        return cls, tag, constructed, b, pos
    if b == 0x80:
        if not constructed:
            raise BERError("indefinite length on a primitive element")
        return cls, tag, constructed, None, pos
    n = b & 0x7F
    if n > MAX_LENGTH_BYTES:
        raise BERError("length field too long")
    if pos + n > end:
        raise Incomplete("truncated length")
    length = int.from_bytes(bytes(data[pos : pos + n]), "big")
    return cls, tag, constructed, length, pos + n


def frame_length(data: bytes | bytearray, max_size: int) -> int | None:
    """Size of the complete top-level element at the start of `data`, or None if its header is incomplete.

    Raises BERError for a malformed header, an indefinite length, or an element larger than `max_size`:
    all of this is decided from the header, before the body has arrived.
    """
    try:
        _cls, _tag, _constructed, length, pos = _header(data, 0, len(data))
    except Incomplete:
        if len(data) > 16:  # no valid header is this long
            raise BERError("unreadable header") from None
        return None
    if length is None:
        raise BERError("indefinite length APDUs are not accepted")
    total = pos + length
    if total > max_size:
        raise BERError(f"element of {total} bytes is larger than the maximum of {max_size}")
    return total


def element_length(data: bytes | bytearray) -> int | None:
    """Size of the complete element at the start of `data`, of definite or indefinite length, or None while more
    bytes are needed. For clients reading a server's answers (YAZ sends indefinite-length APDUs): it decodes the
    element to find its end, so a server reading strangers' requests keeps to `frame_length`."""
    try:
        _el, end = _decode(bytes(data), 0, len(data), 0)
    except Incomplete:
        return None
    return end


def _decode(data: bytes, pos: int, end: int, depth: int) -> tuple[Element, int]:
    if depth > MAX_DEPTH:
        raise BERError("elements nested too deeply")
    cls, tag, constructed, length, pos = _header(data, pos, end)
    if length is not None:
        stop = pos + length
        if stop > end:
            raise Incomplete("content shorter than its length")
        if not constructed:
            return Element(cls, tag, False, data[pos:stop]), stop
        children: list[Element] = []
        while pos < stop:
            child, pos = _decode(data, pos, stop, depth + 1)
            children.append(child)
        return Element(cls, tag, True, b"", children), stop
    # indefinite length: children up to an end-of-contents marker (00 00)
    children = []
    while True:
        if pos + 2 > end:
            raise Incomplete("missing end-of-contents")
        if data[pos] == 0 and data[pos + 1] == 0:
            return Element(cls, tag, True, b"", children), pos + 2
        child, pos = _decode(data, pos, end, depth + 1)
        children.append(child)


def decode(data: bytes) -> Element:
    """Decode exactly one element that fills `data`."""
    el, pos = _decode(bytes(data), 0, len(data), 0)
    if pos != len(data):
        raise BERError(f"{len(data) - pos} bytes after the element")
    return el


# ------------------------------------------------------------------------------------------------------------
# Primitive values
# ------------------------------------------------------------------------------------------------------------


def _primitive(el: Element, what: str) -> bytes:
    if el.constructed:
        raise BERError(f"{what} must be primitive")
    return el.value


def to_int(el: Element) -> int:
    v = _primitive(el, "INTEGER")
    if not v or len(v) > MAX_INT_BYTES:
        raise BERError("INTEGER of bad length")
    return int.from_bytes(v, "big", signed=True)


def to_bool(el: Element) -> bool:
    v = _primitive(el, "BOOLEAN")
    if len(v) != 1:
        raise BERError("BOOLEAN of bad length")
    return v != b"\x00"


def to_bytes(el: Element) -> bytes:
    """An OCTET STRING or character string's bytes; constructed (segmented) strings are joined."""
    if not el.constructed:
        return el.value
    return b"".join(to_bytes(c) for c in el.children)


def to_str(el: Element) -> str:
    """A character string: UTF-8 (what Kitab speaks), falling back to Latin-1 for legacy clients."""
    raw = to_bytes(el)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def to_oid(el: Element) -> str:
    v = _primitive(el, "OBJECT IDENTIFIER")
    if not v:
        raise BERError("empty OBJECT IDENTIFIER")
    arcs: list[int] = []
    cur = 0
    nbytes = 0
    for b in v:
        if nbytes == 0 and b == 0x80:
            raise BERError("OBJECT IDENTIFIER arc with a leading zero byte")
        cur = (cur << 7) | (b & 0x7F)
        nbytes += 1
        if nbytes > MAX_OID_ARC_BYTES:
            raise BERError("OBJECT IDENTIFIER arc too long")
        if not b & 0x80:
            arcs.append(cur)
            cur = nbytes = 0
    if nbytes:
        raise BERError("truncated OBJECT IDENTIFIER")
    first = arcs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(a) for a in head + arcs[1:])


def to_bits(el: Element) -> frozenset[int]:
    """The numbers of the bits set in a BIT STRING (bit 0 = most significant bit of the first byte)."""
    v = _primitive(el, "BIT STRING")
    if not v or v[0] > 7 or (len(v) == 1 and v[0]):
        raise BERError("malformed BIT STRING")
    return frozenset(i * 8 + j for i, byte in enumerate(v[1:]) for j in range(8) if byte & (0x80 >> j))
