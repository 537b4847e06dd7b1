"""Serialise pymarc records as ISO 2709 or MARCXML, one at a time or streamed into a file.

Normalisation applied on output (so that what we export reads back identically everywhere):
- text is Unicode NFC and encoded as UTF-8; leader/09 is set to 'a' (UCS/Unicode);
- the record length (leader/00-04), base address (leader/12-16) and every directory entry are recomputed, and
  the
  structural leader positions are written as MARC 21 requires: 10-11 "22" (two indicators, one-character
  subfield
  codes) and 20-23 "4500";
- indicators that are missing or not one printable ASCII character become a blank;
- MARCXML: characters that XML 1.0 cannot carry (C0 controls other than tab, newline, carriage return) are
  dropped.
ISO 2709 cannot hold a field over 9,999 bytes or a record over 99,999 bytes; such a record raises
MarcWriteError
(export it as MARCXML instead).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from types import TracebackType
from typing import BinaryIO, Self

import pymarc

from kitab.marc.errors import MarcWriteError

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
_FT = b"\x1e"
_RT = b"\x1d"
_SF = "\x1f"
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STRUCTURAL = {0x1D: None, 0x1E: None, 0x1F: None}
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _indicator(value: str | None) -> str:
    return value if value and len(value) == 1 and value.isascii() and value.isprintable() else " "


def _leader_text(record: pymarc.Record) -> str:
    leader = str(record.leader)
    if len(leader) != 24 or not leader.isascii():
        leader = "".join(c if c.isascii() else " " for c in leader[:24]).ljust(24)
    return leader


def _tag(field: pymarc.Field) -> str:
    tag = field.tag
    if len(tag) != 3 or not tag.isascii():
        raise MarcWriteError(f"field tag {tag!r} is not three ASCII characters")
    return tag


def _field_bytes(field: pymarc.Field) -> bytes:
    if field.control_field:
        return _nfc(field.data or "").encode("utf-8") + _FT
    ind = field.indicators or ("  ")
    parts = [_indicator(ind[0]) + _indicator(ind[1])]
    for code, value in field.subfields:
        if not value.isprintable():
            value = value.translate(_STRUCTURAL)  # a stray delimiter would split the field when read back
        parts.append(_SF + code + _nfc(value))
    return "".join(parts).encode("utf-8") + _FT


def to_iso2709(record: pymarc.Record) -> bytes:
    """One record as ISO 2709 bytes, UTF-8 (see the module docstring for the normalisation)."""
    directory = []
    data = []
    offset = 0
    for field in record.fields:
        body = _field_bytes(field)
        size = len(body)
        if size > 9999:
            raise MarcWriteError(f"field {field.tag} is {size} bytes; ISO 2709 allows at most 9,999")
        directory.append(f"{_tag(field)}{size:04d}{offset:05d}")
        data.append(body)
        offset += size
    dir_bytes = "".join(directory).encode("ascii") + _FT
    base = 24 + len(dir_bytes)
    length = base + offset + 1
    if length > 99999:
        raise MarcWriteError(f"record is {length} bytes; ISO 2709 allows at most 99,999 (export as MARCXML)")
    lead = _leader_text(record)
    leader = f"{length:05d}{lead[5:9]}a22{base:05d}{lead[17:20]}4500"
    return leader.encode("ascii") + dir_bytes + b"".join(data) + _RT


def write_iso2709(records: Iterable[pymarc.Record], fileobj: BinaryIO) -> int:
    """Write records one after another to a binary file; returns how many were written."""
    count = 0
    write = fileobj.write
    for record in records:
        write(to_iso2709(record))
        count += 1
    return count


def _xml_text(text: str) -> str:
    text = _nfc(text)
    if not text.isprintable():
        text = _XML_FORBIDDEN.sub("", text)
    return text.translate(_XML_ESCAPES)


def _record_xml(record: pymarc.Record, namespace: bool) -> str:
    lead = _leader_text(record)
    lead = lead[:9] + "a" + lead[10:]
    out = [
        f'<record xmlns="{MARCXML_NS}">' if namespace else "<record>",
        f"<leader>{_xml_text(lead)}</leader>",
    ]
    for field in record.fields:
        tag = _xml_text(field.tag)
        if field.control_field:
            out.append(f'<controlfield tag="{tag}">{_xml_text(field.data or "")}</controlfield>')
            continue
        ind = field.indicators or ("  ")
        ind1 = _xml_text(_indicator(ind[0]))
        ind2 = _xml_text(_indicator(ind[1]))
        out.append(f'<datafield tag="{tag}" ind1="{ind1}" ind2="{ind2}">')
        for code, value in field.subfields:
            out.append(f'<subfield code="{_xml_text(code)}">{_xml_text(value)}</subfield>')
        out.append("</datafield>")
    out.append("</record>")
    return "".join(out)


def to_marcxml(record: pymarc.Record) -> bytes:
    """One record as a standalone MARCXML document (UTF-8, with the MARC 21 slim namespace)."""
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + _record_xml(record, True).encode("utf-8") + b"\n"


class MarcXmlWriter:
    """Stream records into a MARCXML <collection> without holding them in memory.

    with MarcXmlWriter(fh) as writer:
        for record in records: writer.write(record)
    """

    def __init__(self, fileobj: BinaryIO) -> None:
        self._out = fileobj
        self.count = 0
        self._closed = False
        fileobj.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        fileobj.write(f'<collection xmlns="{MARCXML_NS}">\n'.encode("ascii"))

    def write(self, record: pymarc.Record) -> None:
        if self._closed:
            raise MarcWriteError("MarcXmlWriter is closed")
        self._out.write(_record_xml(record, False).encode("utf-8") + b"\n")
        self.count += 1

    def close(self) -> None:
        """Close the collection element (the file object stays open: it belongs to the caller)."""
        if not self._closed:
            self._out.write(b"</collection>\n")
            self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
