"""Turkic-aware case folding for the exact form.

Turkish and Azerbaijani have two i's: dotted i/İ and dotless ı/I. Unicode's default folding handles "I" -> "i"
(right for every other language) but turns "İ" into "i" + COMBINING DOT ABOVE, which would leave a stray mark
in the token ("i̇stanbul" is not "istanbul"). The rules for the exact form are therefore:

====== ======= =====================================================================================
input  output  why
====== ======= =====================================================================================
İ      i       Turkish capital of i; the combining dot Unicode adds is noise.
I      i       Unicode default. The Turkish reading (I -> ı) would break every English "I"; a reader
               typing "ISLAK" still meets "ıslak" in the folded form.
ı      ı       dotless i is its own letter in the record's spelling; only `fold` merges it with i.
ə/Ə    ə       Azerbaijani schwa, a letter of its own; only `fold` maps it to e.
====== ======= =====================================================================================
"""

from __future__ import annotations

import unicodedata


def turkic_casefold(text: str) -> str:
    """Case-fold `text` (NFC in, NFC out) with İ -> i; never strips diacritics or changes script."""
    if "\u0130" in text:
        text = text.replace("\u0130", "i")
    folded = text.casefold()
    if folded.isascii():
        return folded
    # casefold can leave decomposed sequences (Greek "ΐ" -> ι + ̈ + ́, "ǰ" -> j + ̌): recompose them so a
    # precomposed letter stays one code point and no combining mark splits the token later.
    return unicodedata.normalize("NFC", folded)
