"""Stream MARC records out of a file, whatever its format, compression and character encoding.

    for result in iter_records("export.mrc.xz"):
        if result.error: report(result.position, result.control_number, result.error)
        else: store(result.record)

Formats are recognised by content, not by file name: gzip / xz / bzip2 compression by their magic bytes, then
MARCXML (anything starting with '<') or ISO 2709. Every record comes out as a pymarc.Record in Unicode (NFC)
with
leader/09 = 'a', however it was encoded in the file; how the encoding was decided is explained in
`kitab.marc.iso2709`. A broken record never stops the reader: it is yielded with `record=None` and an `error`.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pymarc

from kitab.marc import iso2709, marcxml
from kitab.marc.errors import MarcReadError, RecordRejected

_MAGIC = (
    (b"\x1f\x8b", gzip.open),
    (b"\xfd7zXZ\x00", lzma.open),
    (b"BZh", bz2.open),
)
ISO2709 = "iso2709"
MARCXML = "marcxml"


@dataclass(slots=True)
class ReadResult:
    position: int  # 1-based record number in the file
    offset: int  # byte offset of the record in the (uncompressed) stream
    record: pymarc.Record | None
    control_number: str | None = None  # 001, even for a rejected record when it could be found
    error: str | None = None  # why the record was rejected; None when it was read
    warnings: list[str] = field(default_factory=list)  # what was repaired or assumed
    # The input bytes, when they are already what `writer.to_iso2709` would store (UTF-8, NFC, well formed,
    # nothing repaired): callers can keep them as they are and skip re-serialising the record.
    raw: bytes | None = None
    # How far into the file on disk (compressed bytes for .gz/.xz/.bz2) reading has got: for progress bars.
    file_offset: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


def open_marc_stream(path: str | os.PathLike) -> tuple[BinaryIO, str]:
    """Open a file for reading, transparently decompressed; return the stream and its detected format."""
    stream, fmt, _source = _open(path)
    return stream, fmt


def _open(path: str | os.PathLike) -> tuple[BinaryIO, str, BinaryIO]:
    """Like open_marc_stream, plus the file itself, whose position tells how far a compressed file was read."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    except OSError as exc:
        raise MarcReadError(f"cannot open {os.fspath(path)!s}: {exc.strerror}") from exc
    head = raw.read(8)
    raw.seek(0)
    stream: BinaryIO = raw
    for magic, opener in _MAGIC:
        if head.startswith(magic):
            stream = opener(raw)  # type: ignore[assignment]
            break
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream, 1 << 20)  # type: ignore[arg-type]
    try:
        start = buffered.peek(512)[:512]
    except (OSError, EOFError, lzma.LZMAError) as exc:
        buffered.close()
        raise MarcReadError(f"{os.fspath(path)!s}: broken compressed data ({exc})") from exc
    try:
        fmt = _sniff_format(start)
    except MarcReadError as exc:
        buffered.close()
        raise MarcReadError(f"{os.fspath(path)!s}: {exc}") from None
    return buffered, fmt, raw


def _sniff_format(head: bytes) -> str:
    text = head
    for bom in (codecs.BOM_UTF8,):
        text = text.removeprefix(bom)
    text = text.lstrip(b" \t\r\n\x00")
    if not text or text.startswith(b"<"):
        return MARCXML if text else ISO2709
    # An ISO 2709 leader: a 5-digit length, or (length damaged) the fixed "22" and "45" of a MARC 21 leader.
    # Line-based dumps (Aleph sequential, yaz .lst, MARC "line") also start with digits but break the line
    # early.
    looks_binary = b"\n" not in text[:36] and b"\r" not in text[:36]
    if looks_binary and (
        text[:5].isdigit() or (len(text) >= 24 and (text[10:12] == b"22" or text[20:22] == b"45"))
    ):
        return ISO2709
    raise MarcReadError("not a MARC file: neither an ISO 2709 leader nor XML at the start")


def iter_records(
    path: str | os.PathLike, *, encoding: str | None = None, start: int = 0
) -> Iterator[ReadResult]:
    """Yield one ReadResult per record in the file, in file order.

    encoding: force a legacy single-byte codec ("cp1251", "cp866", "latin-1", ...) for every ISO 2709 record
    of the
    file, for exports whose leader cannot be trusted. start: skip the first `start` records without decoding
    them
    (resuming an interrupted import); positions stay those of the whole file.
    """
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError as exc:
            raise MarcReadError(f"unknown encoding {encoding!r}") from exc
    stream, fmt, source = _open(path)
    try:
        results = _iter_xml(stream, start) if fmt == MARCXML else _iter_iso(stream, encoding, start)
        for result in results:
            result.file_offset = source.tell()
            yield result
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise MarcReadError(f"{os.fspath(path)!s}: read failed ({exc})") from exc
    finally:
        stream.close()


def _iter_iso(stream: BinaryIO, encoding: str | None, start: int) -> Iterator[ReadResult]:
    parse = iso2709.parse_record
    position = 0
    for offset, raw in iso2709.iter_raw_records(stream):
        position += 1
        if position <= start:
            continue
        try:
            record, warnings = parse(raw, encoding=encoding)
        except RecordRejected as exc:
            yield ReadResult(position, offset, None, iso2709.sniff_control_number(raw), str(exc))
            continue
        # the 001 is almost always the first field: avoid a scan through pymarc's lookup
        fields = record.fields
        first = fields[0] if fields else None
        if first is not None and first.tag == "001":
            control = first.data
        else:
            f001 = record.get("001")
            control = f001.data if f001 is not None else None
        keep = raw if not warnings and raw[9:10] == b"a" and _is_nfc_utf8(raw) else None
        yield ReadResult(position, offset, record, control.strip() if control else None, None, warnings, keep)


def _is_nfc_utf8(raw: bytes) -> bool:
    try:
        return unicodedata.is_normalized("NFC", raw.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def _iter_xml(stream: BinaryIO, start: int) -> Iterator[ReadResult]:
    position = 0
    for offset, chunk, wrapper in marcxml.iter_record_chunks(stream):
        if position < start:
            # skipping must count MARC records, and an OAI record may hold none: only cheap checks here
            if _holds_no_marc(chunk):
                continue
            position += 1
            continue
        try:
            parsed = marcxml.parse_chunk(chunk, wrapper)
        except RecordRejected as exc:
            position += 1
            yield ReadResult(position, offset, None, marcxml.sniff_control_number(chunk), str(exc))
            continue
        for record, warnings in parsed:
            position += 1
            f001 = record.get("001")
            control = f001.data.strip() if f001 is not None and f001.data else None
            yield ReadResult(position, offset, record, control or None, None, warnings)


def _holds_no_marc(chunk: bytes) -> bool:
    # An OAI-PMH record of a deleted item carries a header but no metadata.
    return (
        b"leader" not in chunk
        and b"controlfield" not in chunk
        and b"datafield" not in chunk
        and (b'status="deleted"' in chunk or b"status='deleted'" in chunk)
    )
