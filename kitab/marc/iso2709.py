"""ISO 2709 (binary MARC) records: split a byte stream into records and decode one record into a
pymarc.Record.

We parse the structure ourselves instead of calling `pymarc.Record(raw)`: it is faster on the UTF-8 path (one
decode
per field instead of one per subfield), and it lets us decide the character encoding per record and explain
every
rejection in words a librarian can act on.

Leniency policy: a record is accepted whenever every field can be located unambiguously — a wrong record
length or
base address in the leader, or directory lengths counted in characters instead of bytes, only produce a
warning.
A record is rejected when its fields cannot be located (truncated record, unreadable directory) or when its
text is
not valid in any encoding we can justify.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from pymarc import Field, Leader, Record
from pymarc.field import Indicators, Subfield

from kitab.marc.errors import RecordRejected
from kitab.marc.marc8 import decode_marc8

RECORD_TERMINATOR = 0x1D
FIELD_TERMINATOR = 0x1E
SUBFIELD_DELIMITER = "\x1f"
LEADER_LENGTH = 24
_CHUNK = 1 << 20
# Bytes some systems put between records (newlines, padding, a DOS end-of-file mark); never part of a record.
# An extra record terminator (an empty record) is filler too.
_FILLER = b" \r\n\t\x00\x1a\x1d"

_INDICATORS: dict[str, Indicators] = {}
_new_field = Field.__new__
_new_subfield = tuple.__new__
_is_nfc = unicodedata.is_normalized
_nfc = unicodedata.normalize


def _indicators(pair: str) -> Indicators:
    ind = _INDICATORS.get(pair)
    if ind is None:
        ind = _INDICATORS[pair] = Indicators(pair[0], pair[1])
    return ind


# ------------------------------------------------------------------------------------------------------------
# Splitting a stream into raw records
# ------------------------------------------------------------------------------------------------------------


def iter_raw_records(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """Yield (byte offset, raw record bytes including the terminator if present) for every record in the
    stream.

    Records are cut at the record terminator 0x1D; when the leader's length is plausible and points exactly at
    a
    terminator we trust it instead, so a stray 0x1D inside field data does not split a record in two.
    """
    buf = b""
    base = 0  # stream offset of buf[0]
    pos = 0
    eof = False
    while True:
        # skip filler between records
        while True:
            while pos < len(buf) and buf[pos] in _FILLER:
                pos += 1
            if pos < len(buf) or eof:
                break
            base += len(buf)
            buf = stream.read(_CHUNK)
            pos = 0
            if not buf:
                eof = True
        if pos >= len(buf):
            return
        # make sure the leader length is available
        if len(buf) - pos < 5 and not eof:
            buf, base, pos, eof = _refill(stream, buf, base, pos)
            continue
        head = buf[pos : pos + 5]
        length = int(head) if head.isdigit() else 0
        if length > LEADER_LENGTH:
            end = pos + length
            if end > len(buf) and not eof:
                buf, base, pos, eof = _refill(stream, buf, base, pos, need=length)
                continue
            if end <= len(buf) and buf[end - 1] == RECORD_TERMINATOR:
                yield base + pos, buf[pos:end]
                pos = end
                continue
        cut = buf.find(b"\x1d", pos)
        while cut < 0 and not eof:
            buf, base, pos, eof = _refill(stream, buf, base, pos)
            cut = buf.find(b"\x1d", pos)
        if cut < 0:
            yield base + pos, buf[pos:]
            return
        yield base + pos, buf[pos : cut + 1]
        pos = cut + 1


def _refill(stream: BinaryIO, buf: bytes, base: int, pos: int, need: int = 0) -> tuple[bytes, int, int, bool]:
    rest = buf[pos:]
    more = stream.read(max(_CHUNK, need - len(rest)))
    return rest + more, base + pos, 0, not more


# ------------------------------------------------------------------------------------------------------------
# Decoding one record
# ------------------------------------------------------------------------------------------------------------


def sniff_control_number(raw: bytes) -> str | None:
    """Best-effort 001 from raw bytes, for reporting records that could not be decoded."""
    try:
        base = int(raw[12:17])
    except ValueError:
        base = raw.find(b"\x1e", LEADER_LENGTH) + 1
    end_dir = raw.find(b"\x1e", LEADER_LENGTH)
    if end_dir < 0:
        return None
    if not 0 < base <= len(raw):
        base = end_dir + 1
    for i in range(LEADER_LENGTH, end_dir - 11, 12):
        if raw[i : i + 3] == b"001":
            try:
                start = base + int(raw[i + 7 : i + 12])
            except ValueError:
                return None
            stop = raw.find(b"\x1e", start)
            value = raw[start : stop if stop >= 0 else None]
            text = value.decode("utf-8", "replace").strip()
            return text or None
    return None


def _locate_fields(raw: bytes, warnings: list[str]) -> tuple[str, list[tuple[str, int, int]], int]:
    """Check the leader and directory; return (leader, [(tag, start, end)], data end) as byte positions."""
    size = len(raw)
    if size < LEADER_LENGTH + 2:
        raise RecordRejected(
            f"{size} stray byte(s), too short to be a record (a record needs a 24-byte leader)"
        )
    terminated = raw[-1] == RECORD_TERMINATOR
    leader_bytes = raw[:LEADER_LENGTH]
    if not leader_bytes.isascii():
        leader = "".join(chr(b) if b < 0x80 else " " for b in leader_bytes)
        if leader[20:24].strip() != "4500" and leader[20:22] == "45":
            leader = leader[:20] + "4500"  # constant in MARC 21
        warnings.append("leader contains non-ASCII bytes; they were replaced")
        if not leader[:5].isdigit() and not leader[12:17].isdigit():
            raise RecordRejected(
                "leader is not a MARC leader (non-ASCII bytes, no record length or base address)"
            )
    else:
        leader = leader_bytes.decode("ascii")

    end_dir = raw.find(b"\x1e", LEADER_LENGTH)
    if end_dir < 0:
        raise RecordRejected("no field terminator after the leader: the directory does not end")
    base_text = leader[12:17]
    base = int(base_text) if base_text.isdigit() else -1
    if base != end_dir + 1:
        warnings.append(
            f"base address {base_text!r} in the leader is wrong; the data starts at byte {end_dir + 1}"
        )
        base = end_dir + 1
    directory = raw[LEADER_LENGTH:end_dir]
    if len(directory) % 12:
        raise RecordRejected(
            f"directory is {len(directory)} bytes long, not a multiple of 12: its entries cannot be read"
        )
    if not directory.isascii():
        raise RecordRejected("directory contains non-ASCII bytes")
    dtext = directory.decode("ascii")
    data_end = size - 1 if terminated else size  # byte after the last field
    entries: list[tuple[str, int, int]] = []
    consistent = True
    for i in range(0, len(dtext), 12):
        tag = dtext[i : i + 3]
        flen = dtext[i + 3 : i + 7]
        foff = dtext[i + 7 : i + 12]
        if not (flen.isdigit() and foff.isdigit()):
            raise RecordRejected(
                f"directory entry {i // 12 + 1} (tag {tag!r}) has a non-numeric length {flen!r} "
                f"or offset {foff!r}"
            )
        start = base + int(foff)
        end = start + int(flen)  # includes the field terminator
        if consistent and (end > data_end or end <= start or raw[end - 1] != FIELD_TERMINATOR):
            consistent = False
        entries.append((tag, start, end))

    length_text = leader[:5]
    if not terminated:
        declared = int(length_text) if length_text.isdigit() else -1
        # Only the final terminator missing (file cut right after the last field)?
        if not (declared == size + 1 and consistent):
            raise RecordRejected(
                f"no record terminator: the record is truncated after {size} bytes"
                + (f" (leader says {length_text})" if length_text.isdigit() else "")
            )
        warnings.append("record terminator missing at end of file")

    if not consistent:
        # Common real-world damage: lengths counted in characters, or fields edited without fixing the
        # directory.
        # If the field terminators agree with the number of entries, take the fields in order.
        pieces = raw[base:data_end].split(b"\x1e")
        if pieces and pieces[-1] == b"":
            pieces.pop()
        else:
            pieces = []  # data does not end with a field terminator
        if len(pieces) != len(entries):
            declared = int(length_text) if length_text.isdigit() else None
            if declared is not None and declared > size:
                raise RecordRejected(
                    f"record is truncated: leader says {declared} bytes but only {size} bytes "
                    "come before the record terminator"
                )
            bad = next(
                (tag, s, e)
                for tag, s, e in entries
                if e > data_end or e <= s or raw[e - 1] != FIELD_TERMINATOR
            )
            raise RecordRejected(
                f"directory entry for field {bad[0]} (bytes {bad[1]}-{bad[2]}) does not end at a field "
                "terminator "
                f"and the {len(entries)} directory entries do not match the {len(pieces)} fields in the data"
            )
        warnings.append(
            "directory lengths/offsets do not match the field terminators; fields were taken in order"
        )
        start = base
        located = []
        for (tag, _s, _e), piece in zip(entries, pieces, strict=True):
            end = start + len(piece) + 1
            located.append((tag, start, end))
            start = end
        entries = located

    if length_text.isdigit():
        if int(length_text) != size:
            warnings.append(
                f"record length {length_text} does not match the {size} bytes before the record terminator"
            )
    else:
        warnings.append(f"record length {length_text!r} in the leader is not a number")
    return leader, entries, data_end


def _utf8_or_none(raw: bytes, entries: list[tuple[str, int, int]]) -> tuple[list[str] | None, str | None]:
    texts = []
    for tag, start, end in entries:
        try:
            texts.append(raw[start : end - 1].decode("utf-8"))
        except UnicodeDecodeError as exc:
            return None, f"invalid UTF-8 at byte {exc.start} of field {tag}"
    return texts, None


def _marc8(raw: bytes, entries: list[tuple[str, int, int]]) -> tuple[list[str], int, str | None]:
    """MARC-8 decode of every field: (texts, count of bytes replaced by U+FFFD, where the first one was)."""
    texts = []
    bad = 0
    first: str | None = None
    for tag, start, end in entries:
        res = decode_marc8(raw[start : end - 1])
        if res.bad_bytes:
            bad += res.bad_bytes
            if first is None:
                first = f"byte {res.first_bad_offset} of field {tag}"
        texts.append(res.text)
    return texts, bad, first


def _marc8_or_none(
    raw: bytes, entries: list[tuple[str, int, int]]
) -> tuple[list[str] | None, str | None, int]:
    texts, bad, first = _marc8(raw, entries)
    if bad:
        return None, f"{first} is not valid MARC-8", bad
    return texts, None, 0


def _codec_or_none(
    raw: bytes, entries: list[tuple[str, int, int]], codec: str
) -> tuple[list[str] | None, str | None]:
    texts = []
    for tag, start, end in entries:
        try:
            texts.append(raw[start : end - 1].decode(codec))
        except UnicodeDecodeError as exc:
            return None, f"byte {exc.start} of field {tag} is not valid {codec}"
    return texts, None


def _ansel_plausible(raw: bytes, entries: list[tuple[str, int, int]]) -> bool:
    """Would these non-UTF-8 bytes make sense as MARC-8? ANSEL diacritics (0xE0-0xFE) precede a letter."""
    for _tag, start, end in entries:
        chunk = raw[start : end - 1]
        if chunk.isascii():
            continue
        if b"\x1b" in chunk:
            return True
        for i, b in enumerate(chunk):
            if b >= 0xE0:
                nxt = chunk[i + 1] if i + 1 < len(chunk) else 0
                if not (0x41 <= nxt <= 0x7A or nxt >= 0xE0):
                    return False
            elif 0x80 <= b < 0xA1 and b not in (0x88, 0x89, 0x8D, 0x8E):
                return False
    return True


def _decode_texts(
    raw: bytes, leader: str, entries: list[tuple[str, int, int]], encoding: str | None, warnings: list[str]
) -> list[str]:
    """Decode every field's bytes, deciding the encoding for this record. Raises RecordRejected."""
    if encoding is not None:
        texts, problem = _codec_or_none(raw, entries, encoding)
        if texts is None:
            raise RecordRejected(f"{problem} (encoding {encoding} was requested for this file)")
        return texts

    if leader[9] == "a":
        texts, problem = _utf8_or_none(raw, entries)
        if texts is not None:
            return texts
        if _ansel_plausible(raw, entries):
            m8, _m8_problem, _ = _marc8_or_none(raw, entries)
            if m8 is not None:
                warnings.append(f"leader/09 says UTF-8 but {problem}; the record was read as MARC-8")
                return m8
        cp, _cp_problem = _codec_or_none(raw, entries, "cp1252")
        if cp is not None:
            warnings.append(f"leader/09 says UTF-8 but {problem}; the record was read as Windows-1252")
            return cp
        raise RecordRejected(f"{problem}, and the record is not valid MARC-8 or Windows-1252 either")

    # leader/09 blank (MARC-8) or an invalid value, which in practice also means MARC-8
    if leader[9] != " ":
        warnings.append(f"leader/09 is {leader[9]!r}, not ' ' or 'a'; the record was treated as MARC-8")
    has_escape = any(b"\x1b" in raw[s : e - 1] for _t, s, e in entries)
    if not has_escape:
        texts, _problem = _utf8_or_none(raw, entries)
        if texts is not None:
            warnings.append("leader/09 says MARC-8 but the data is valid UTF-8; the record was read as UTF-8")
            return texts
    m8, bad, first = _marc8(raw, entries)
    if not bad:
        return m8
    if not has_escape:
        cp, _cp_problem = _codec_or_none(raw, entries, "cp1252")
        if cp is not None:
            warnings.append(
                f"leader/09 says MARC-8 but {first} is not valid MARC-8; the record was read as Windows-1252"
            )
            return cp
    # A few unconvertible bytes in otherwise good MARC-8 (a lost character, a broken escape) cost one
    # character each,
    # not the record; many mean the file is in some other encoding that we must not guess.
    high = sum(1 for _t, s, e in entries for b in raw[s : e - 1] if b >= 0x80 or b == 0x1B)
    if has_escape or bad <= max(3, high // 20):
        warnings.append(
            f"{bad} byte(s) could not be converted from MARC-8 and were replaced by U+FFFD (first: {first})"
        )
        return m8
    raise RecordRejected(
        f"{first} is not valid MARC-8 ({bad} unconvertible bytes), and the record is not valid UTF-8 or "
        "Windows-1252 either; if the file uses a legacy code page, import it with an explicit encoding"
    )


def _build_record(leader: str, tags: list[str], texts: list[str], warnings: list[str]) -> Record:
    fields = []
    append = fields.append
    indicator_count = int(leader[10]) if leader[10].isdigit() else 2
    warned_count = False
    for tag, text in zip(tags, texts, strict=True):
        if not text.isascii() and not _is_nfc("NFC", text):
            text = _nfc("NFC", text)
        f = _new_field(Field)
        f.tag = tag
        if tag < "010" and tag.isdigit():
            if not text.isprintable():
                text = _control_text(tag, text, warnings)
            f.control_field = True
            f.data = text
            f._indicators = None
            f.subfields = []
        else:
            f.control_field = False
            f.data = None
            parts = text.split(SUBFIELD_DELIMITER)
            ind = parts[0]
            if indicator_count == 0 and (len(parts) == 1 or ind == ""):
                # leader/10 = 0: no indicators; some exports (old UNIMARC) also have no subfield codes at all
                if len(parts) == 1:
                    parts = ["", "a" + ind]
                    if not warned_count:
                        warnings.append(
                            "fields have no indicators or subfield codes (leader/10-11); kept as $a"
                        )
                        warned_count = True
                ind = "  "
            elif len(parts) == 1 and len(ind) > 2:
                # text with no subfield delimiter at all: keep it rather than mistake it for indicators
                head = ind[:2] if ind[:2].isascii() and ind[:2].isprintable() else "  "
                warnings.append(f"field {tag} has no subfield delimiter; its text was kept as $a")
                parts = ["", "a" + ind[2:]]
                ind = head
            elif len(ind) != 2 or not ind.isascii() or not ind.isprintable():
                if len(ind) == indicator_count and ind.isascii() and ind.isprintable():
                    # ISO 2709 allows other indicator counts (leader/10); pymarc holds two
                    if not warned_count:
                        warnings.append(
                            f"leader/10 says {indicator_count} indicators; only the first two were kept"
                        )
                        warned_count = True
                    ind = ind[:2].ljust(2)
                else:
                    ind = _fix_indicators(tag, ind, warnings)
            f._indicators = _indicators(ind)
            subs = []
            for part in parts[1:]:
                if not part:
                    continue
                code = part[0]
                if not (code.isascii() and code.isprintable() and code != " "):
                    code = _fix_code(tag, code, warnings)
                subs.append(_new_subfield(Subfield, (code, part[1:])))
            f.subfields = subs
        append(f)
    record = Record()
    record.leader = Leader(leader[:9] + "a" + leader[10:])
    record.fields = fields
    return record


def _control_text(tag: str, text: str, warnings: list[str]) -> str:
    # C0 controls (a subfield delimiter jammed into an 001, fill bytes in an 008) are not text; other tools
    # drop them
    clean = "".join(c for c in text if c >= " ")
    if clean != text:
        warnings.append(f"control field {tag} contained control characters; they were removed")
    return clean


def _fix_indicators(tag: str, ind: str, warnings: list[str]) -> str:
    clean = "".join(c if c.isascii() and c.isprintable() else " " for c in ind[:2]).ljust(2)
    shown = ind if len(ind) <= 12 else ind[:12] + "…"
    warnings.append(f"field {tag} has indicators {shown!r}; using {clean!r}")
    return clean


def _fix_code(tag: str, code: str, warnings: list[str]) -> str:
    folded = unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode("ascii").strip()
    clean = folded[:1] if folded and folded[:1].isprintable() else "?"
    warnings.append(f"field {tag} has subfield code {code!r}; using {clean!r}")
    return clean


def parse_record(raw: bytes, *, encoding: str | None = None) -> tuple[Record, list[str]]:
    """Decode one ISO 2709 record into a Unicode (NFC, leader/09 'a') pymarc.Record and its warnings.

    Raises RecordRejected with a human-readable reason when the record cannot be used.
    """
    warnings: list[str] = []
    leader, entries, _data_end = _locate_fields(raw, warnings)
    if not entries:
        raise RecordRejected("the directory lists no fields")
    tags = [e[0] for e in entries]
    if encoding is None and raw.isascii() and b"\x1b" not in raw:
        # Fast path (also for most MARC-8 records): one decode, and string offsets equal byte offsets.
        whole = raw.decode("ascii")
        texts = [whole[s : e - 1] for _t, s, e in entries]
    elif encoding is None and leader[9] == "a":
        # UTF-8 fast path: the common case is valid UTF-8, so try it before anything else.
        try:
            texts = [raw[s : e - 1].decode("utf-8") for _t, s, e in entries]
        except UnicodeDecodeError:
            texts = _decode_texts(raw, leader, entries, None, warnings)
    else:
        texts = _decode_texts(raw, leader, entries, encoding, warnings)
    return _build_record(leader, tags, texts, warnings), warnings
