"""MARCXML (and OAI-PMH wrapped MARCXML, and Aleph's old `oai_marc`) records from a byte stream.

We do not hand the whole document to one XML parser: one bad record (an unescaped '<', a raw control
character)
would stop the parser and lose every record after it. Instead a small scanner cuts the stream into top-level
`<record>` elements (any namespace prefix; nested ones such as an OAI-PMH `<record>` around a MARC `<record>`
stay
together) and each piece is parsed on its own by lxml, wrapped in an element that re-declares the namespaces
seen
earlier in the document. Memory stays bounded by the largest record.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree
from pymarc import Field, Leader, Record
from pymarc.field import Indicators, Subfield

from kitab.marc.errors import RecordRejected

_CHUNK = 1 << 20
_TAG = re.compile(rb"<(/?)((?:[A-Za-z_][\w.\-]*:)?)(record|oai_marc)(?=[\s/>])([^>]*)>")
_XMLNS = re.compile(rb"""xmlns(?::([\w.\-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([\w.\-]+)["']""")
_DEFAULT_LEADER = "00000n   a2200000   4500"


def iter_record_chunks(stream: BinaryIO) -> Iterator[tuple[int, bytes, bytes]]:
    """Yield (byte offset, record element bytes, wrapper prefix) for each top-level record element."""
    namespaces: dict[bytes, bytes] = {}
    encoding = b"UTF-8"
    buf = b""
    base = 0
    scan = 0  # where to continue looking for tags in buf
    start: int | None = None  # buf index where the current top-level record starts
    depth = 0
    first = True
    while True:
        more = stream.read(_CHUNK)
        buf += more
        if first:
            m = _ENCODING.search(buf[:200])
            if m:
                encoding = m.group(1)
            first = False
        for m in _TAG.finditer(buf, scan):
            closing, _prefix, _name, attrs = m.group(1), m.group(2), m.group(3), m.group(4)
            if not closing:
                if depth == 0:
                    _collect_namespaces(buf[scan : m.start()], namespaces)
                    start = m.start()
                if attrs.rstrip().endswith(b"/"):
                    if depth == 0:
                        yield base + m.start(), buf[m.start() : m.end()], _wrapper(namespaces, encoding)
                        start = None
                else:
                    depth += 1
            elif depth > 0:
                depth -= 1
                if depth == 0 and start is not None:
                    yield base + start, buf[start : m.end()], _wrapper(namespaces, encoding)
                    start = None
            scan = m.end()
        if not more:
            if start is not None:
                yield base + start, buf[start:], _wrapper(namespaces, encoding)
            return
        # keep the unfinished record, or the tail where a tag may be cut in half
        keep = start if start is not None else max(scan, len(buf) - 4096)
        if start is None:
            _collect_namespaces(buf[scan:keep], namespaces)
        buf = buf[keep:]
        base += keep
        scan = max(scan - keep, 0)
        if start is not None:
            start = 0


def _collect_namespaces(text: bytes, namespaces: dict[bytes, bytes]) -> None:
    if b"xmlns" in text:
        for m in _XMLNS.finditer(text):
            namespaces[m.group(1) or b""] = m.group(2) if m.group(2) is not None else (m.group(3) or b"")


def _wrapper(namespaces: dict[bytes, bytes], encoding: bytes) -> bytes:
    decls = b"".join(
        (b' xmlns:%s="%s"' % (p, u)) if p else (b' xmlns="%s"' % u)
        for p, u in namespaces.items()
        if p != b"xml"
    )
    return b'<?xml version="1.0" encoding="%s"?><kitab-wrapper%s>' % (encoding, decls)


def sniff_control_number(chunk: bytes) -> str | None:
    m = re.search(rb"""tag\s*=\s*["']001["'][^>]*>([^<]*)<""", chunk) or re.search(
        rb"""id\s*=\s*["']001["'][^>]*>([^<]*)<""", chunk
    )
    if not m:
        return None
    text = m.group(1).decode("utf-8", "replace").strip()
    return text or None


def parse_chunk(chunk: bytes, wrapper: bytes) -> list[tuple[Record, list[str]]]:
    """Parse one top-level record element; return the MARC records inside (an OAI record may hold none)."""
    try:
        root = etree.fromstring(wrapper + chunk + b"</kitab-wrapper>", parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        msg = str(exc)
        msg = re.sub(r"\s*\(<string>, line \d+\)$", "", msg)
        raise RecordRejected(f"XML not well-formed: {msg}") from None
    top = root[0] if len(root) else None
    if top is None:
        raise RecordRejected("empty record element")
    out = []
    for elem in top.iter(etree.Element):
        name = etree.QName(elem).localname
        if name == "oai_marc":
            out.append(_from_oai_marc(elem))
        elif name == "record" and _is_marc_record(elem):
            out.append(_from_marcxml(elem))
    if not out and _is_deleted_oai(top):
        return []
    if not out:
        metadata = next((e for e in top.iter(etree.Element) if etree.QName(e).localname == "metadata"), None)
        if metadata is not None and len(metadata):
            payload = etree.QName(metadata[0])
            raise RecordRejected(
                f"OAI-PMH record carries no MARC record (its metadata is <{payload.localname}>"
                + (f" in {payload.namespace}" if payload.namespace else "")
                + ")"
            )
        raise RecordRejected("record element holds no MARC leader, control fields or data fields")
    return out


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)


def _is_marc_record(elem: etree._Element) -> bool:
    for child in elem:
        if isinstance(child.tag, str) and etree.QName(child).localname in (
            "leader",
            "controlfield",
            "datafield",
        ):
            return True
    # An empty MARC <record/> (no OAI children either) is still a MARC record, just an empty one.
    return len(elem) == 0 and etree.QName(elem).namespace in (None, "http://www.loc.gov/MARC21/slim")


def _is_deleted_oai(top: etree._Element) -> bool:
    for elem in top.iter(etree.Element):
        if etree.QName(elem).localname == "header" and elem.get("status") == "deleted":
            return True
    return False


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _leader(text: str | None, warnings: list[str]) -> Leader:
    if text is None or not text.strip():
        warnings.append("leader missing; a default leader was used")
        text = _DEFAULT_LEADER
    if len(text) != 24:
        warnings.append(f"leader has {len(text)} characters instead of 24; it was padded or cut")
        text = text[:24].ljust(24)
    if not text.isascii():
        warnings.append("leader contains non-ASCII characters; they were replaced by blanks")
        text = "".join(c if c.isascii() else " " for c in text)
    # '^' is a common stand-in for blank in some exports (Aleph, Melinda)
    text = text.replace("^", " ")
    return Leader(text[:9] + "a" + text[10:])


def _code(code: str | None, tag: str, warnings: list[str]) -> str:
    if code and len(code) == 1 and code.isascii() and code.isprintable():
        return code
    clean = (code or "").strip()[:1]
    clean = clean if clean.isascii() and clean.isprintable() and clean else "?"
    warnings.append(f"field {tag} has subfield code {code!r}; using {clean!r}")
    return clean


def _indicator(value: str | None) -> str:
    if not value:
        return " "
    return value[0] if value[0].isascii() and value[0].isprintable() else " "


def _make_record(
    leader: Leader,
    items: list[tuple[str, str | None, list[tuple[str | None, str]] | None, tuple[str, str] | None]],
    warnings: list[str],
) -> Record:
    fields = []
    for tag, data, subs, inds in items:
        if not tag or len(tag) != 3 or not tag.isascii():
            warnings.append(f"field tag {tag!r} is not three ASCII characters; field dropped")
            continue
        if tag < "010" and tag.isdigit():
            if data is None and subs:
                data = "".join(v for _c, v in subs)
            fields.append(Field(tag=tag, data=_nfc(data or "")))
            continue
        if data is not None and subs is None:
            warnings.append(f"data field {tag} was written as a control field; kept as subfield $a")
            subs = [("a", data)]
        if not subs:
            warnings.append(f"field {tag} has no subfields; field dropped")
            continue
        i1, i2 = inds or (" ", " ")
        fields.append(
            Field(
                tag=tag,
                indicators=Indicators(i1, i2),
                subfields=[Subfield(_code(c, tag, warnings), _nfc(v)) for c, v in subs],
            )
        )
    if not fields:
        raise RecordRejected("record has no usable fields")
    record = Record()
    record.leader = leader
    record.fields = fields
    return record


def _from_marcxml(elem: etree._Element) -> tuple[Record, list[str]]:
    warnings: list[str] = []
    leader_text = None
    items: list = []
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name == "leader":
            leader_text = child.text or ""
        elif name == "controlfield":
            tag = (child.get("tag") or "").strip()
            if not (tag < "010" and tag.isdigit()):
                warnings.append(f"control field with tag {tag!r}; kept as data field with subfield $a")
                items.append((tag, child.text or "", None, None))
            else:
                items.append((tag, child.text or "", None, None))
        elif name == "datafield":
            tag = (child.get("tag") or "").strip()
            subs = [
                (s.get("code"), s.text or "")
                for s in child
                if isinstance(s.tag, str) and etree.QName(s).localname == "subfield"
            ]
            items.append((tag, None, subs, (_indicator(child.get("ind1")), _indicator(child.get("ind2")))))
        else:
            warnings.append(f"unexpected element <{name}> ignored")
    return _make_record(_leader(leader_text, warnings), items, warnings), warnings


def _from_oai_marc(elem: etree._Element) -> tuple[Record, list[str]]:
    warnings: list[str] = ["record is in the old oai_marc format"]
    leader_text = None
    items: list = []
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        tag = (child.get("id") or "").strip()
        if name == "fixfield":
            if tag == "LDR":
                leader_text = child.text or ""
            else:
                items.append((tag, child.text or "", None, None))
        elif name == "varfield":
            subs = [(s.get("label"), s.text or "") for s in child if isinstance(s.tag, str)]
            items.append((tag, None, subs, (_indicator(child.get("i1")), _indicator(child.get("i2")))))
        else:
            warnings.append(f"unexpected element <{name}> ignored")
    return _make_record(_leader(leader_text, warnings), items, warnings), warnings
