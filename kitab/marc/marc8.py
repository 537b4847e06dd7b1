"""MARC-8 to Unicode, strict enough to tell whether bytes really are MARC-8.

We use pymarc's conversion tables (`pymarc.marc8_mapping`) but our own decoding loop, because pymarc's
converter
silently turns every unknown byte into a space (and prints to stderr): the reader has to *know* when a record
is not
MARC-8 so that it can try another encoding or reject the record with a reason.

Handled: G0/G1 designation escapes (ESC ( , $ ) - with optional '!' or ',' intermediates), the technique-1
shorthands (ESC g/b/p/s for Greek symbols, subscript, superscript, back to ASCII), the multibyte EACC set
(CJK),
combining diacritics (which precede their base letter in MARC-8 but follow it in Unicode) and the result is
NFC.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pymarc.marc8_mapping import CODESETS, ODD_MAP

_BASIC_LATIN = 0x42
_ANSEL = 0x45
_EACC = 0x31
# Technique-1 "shorthand" escapes designate G0 with a single final byte.
_SHORTHAND = {0x67: 0x67, 0x62: 0x62, 0x70: 0x70, 0x73: _BASIC_LATIN}
_ESC = 0x1B


@dataclass(slots=True)
class Marc8Result:
    text: str
    bad_bytes: int = 0  # bytes that are not MARC-8 (replaced by U+FFFD)
    first_bad_offset: int | None = None
    escapes: int = 0  # escape sequences seen: proof that the data really is MARC-8


def _lookup(table: dict, code: int) -> tuple[int, bool] | None:
    # Tables are keyed either by GL (0x21-0x7E) or GR (0xA1-0xFE) codes; a set may be designated into
    # either half, so try the other half too.
    hit = table.get(code)
    if hit is None:
        hit = table.get(code ^ 0x80) if code < 0x100 else None
    return hit


def decode_marc8(data: bytes) -> Marc8Result:
    """Decode one field's MARC-8 bytes. Never raises; counts bytes it could not map."""
    g0 = _BASIC_LATIN
    g1 = _ANSEL
    out: list[str] = []
    pending: list[str] = []  # combining marks waiting for their base character
    bad = 0
    first_bad: int | None = None
    escapes = 0
    pos = 0
    n = len(data)

    def base(ch: str) -> None:
        out.append(ch)
        if pending:
            out.extend(pending)
            pending.clear()

    while pos < n:
        b = data[pos]
        if b == _ESC:
            escapes += 1
            nxt = data[pos + 1] if pos + 1 < n else -1
            if nxt in _SHORTHAND:
                g0 = _SHORTHAND[nxt]
                pos += 2
                continue
            if nxt in (0x28, 0x2C, 0x24, 0x29, 0x2D):  # ( , $ ) -
                p = pos + 1
                multibyte = False
                if data[p] == 0x24:  # $
                    multibyte = True
                    p += 1
                    if p < n and data[p] in (0x28, 0x2C, 0x29, 0x2D):
                        intermediate = data[p]
                        p += 1
                    else:
                        intermediate = 0x28  # "ESC $ F" means G0
                else:
                    intermediate = data[p]
                    p += 1
                if p < n and data[p] == 0x21:  # "ESC ( ! E": the '!' only says "second version"
                    p += 1
                if p >= n:
                    bad += 1
                    first_bad = pos if first_bad is None else first_bad
                    break
                final = data[p]
                if final in CODESETS or (multibyte and final == _EACC):
                    if intermediate in (0x28, 0x2C):
                        g0 = final
                    else:
                        g1 = final
                else:
                    bad += 1
                    first_bad = pos if first_bad is None else first_bad
                pos = p + 1
                continue
            # An escape we do not understand (often a character lost by a bad conversion): mark the spot.
            bad += 1
            first_bad = pos if first_bad is None else first_bad
            base("\ufffd")
            pos += 1
            continue

        if b == 0x20:
            base(" ")
            pos += 1
            continue

        if b < 0x20 or b == 0x7F:
            # C0 controls are the same in every character set, multibyte EACC included
            pos += 1
            if b == 0x1F:  # subfield delimiter: callers decode whole fields and split afterwards
                out.extend(pending)
                pending.clear()
                out.append("\x1f")
                # the subfield code is one ASCII byte whatever character set is active (EACC is 3 bytes)
                if pos < n and 0x20 < data[pos] < 0x7F:
                    out.append(chr(data[pos]))
                    pos += 1
            # Other stray C0 controls carry no text; drop them like other MARC tools do.
            continue

        if g0 == _EACC and b < 0x80:
            if pos + 3 > n:
                bad += 1
                first_bad = pos if first_bad is None else first_bad
                break
            code = (b << 16) | (data[pos + 1] << 8) | data[pos + 2]
            pos += 3
            hit = CODESETS[_EACC].get(code)
            if hit is None:
                odd = ODD_MAP.get(code)
                if odd is not None:
                    base(chr(odd))
                    continue
                bad += 1
                first_bad = pos - 3 if first_bad is None else first_bad
                base("\ufffd")
                continue
            uni, combining = hit
            if combining:
                pending.append(chr(uni))
            else:
                base(chr(uni))
            continue

        pos += 1
        if b < 0x80:
            hit = _lookup(CODESETS[g0], b) if g0 != _BASIC_LATIN else None
            if hit is None:
                if g0 == _BASIC_LATIN or b < 0x21:
                    base(chr(b))
                    continue
                # Punctuation and digits are shared by all G0 sets
                hit = CODESETS[_BASIC_LATIN].get(b)
        else:
            table = CODESETS.get(g1, {}) if g1 != _EACC else {}
            hit = _lookup(table, b)
            if hit is None and g1 != _ANSEL:
                hit = CODESETS[_ANSEL].get(b)
        if hit is None:
            bad += 1
            first_bad = pos - 1 if first_bad is None else first_bad
            base("\ufffd")
            continue
        uni, combining = hit
        if combining:
            pending.append(chr(uni))
        else:
            base(chr(uni))

    if pending:  # combining marks with nothing after them: keep them rather than lose them
        out.extend(pending)
    text = "".join(out)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return Marc8Result(text, bad, first_bad, escapes)
