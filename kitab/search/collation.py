"""Sort keys for the title and author sorts: the first 8 letters of a heading as a big-endian u64 (a Tantivy
fast field), each letter ranked in the order a reader of the catalogue's languages expects.

The index holds one key per record, whatever the reader's interface language, so it uses one merged order of the
official alphabets in kitab.textnorm.collation.ALPHABETS (the single table of alphabet orders; lists shown to a
reader are sorted there for their own language): Latin is Azerbaijani's order with the letters of Turkish, English
and Turkmen inserted after their neighbours (a b c ç d e ä ə f g ğ h x ı i j ž k q l m n ň o ö p r s ş t u ü v w y
ý z); Cyrillic is Russian with the Kazakh, Kyrgyz and Tajik letters after theirs (ә after а, ғ after г, ӣ after и,
қ after к …); Arabic script follows the Persian alphabet. Digits come first, then Latin, Cyrillic, Arabic script,
the rest. Letters outside the alphabets go with their base letter (é with e). Capital I is read as ı (as in
Turkish and Azerbaijani), so an English "India" sorts among the ı words, next to the i words; a heading without
letters sorts last.
"""

from __future__ import annotations

import unicodedata

from kitab.textnorm.collation import ALPHABETS, EQUIVALENTS


def merged_alphabet(*languages: str) -> list[str]:
    """One letter order from several alphabets: the first as it is, each letter the others add placed right after
    the letter that precedes it in its own alphabet."""
    order = ALPHABETS[languages[0]].split()
    for language in languages[1:]:
        previous = None
        for letter in ALPHABETS[language].split():
            if letter not in order and len(letter) == 1:
                order.insert(order.index(previous) + 1 if previous in order else len(order), letter)
            previous = letter
    return order


LATIN = "".join(merged_alphabet("az", "tr", "en", "tk"))
CYRILLIC = "".join(merged_alphabet("ru", "kk", "ky", "tg"))
PERSIAN = "".join(ALPHABETS["fa"].split())
_RANK: dict[str, int] = {}
for _i, _c in enumerate("0123456789"):
    _RANK[_c] = 2 + _i
for _i, _c in enumerate(LATIN):
    _RANK[_c] = 20 + _i
for _i, _c in enumerate(CYRILLIC):
    _RANK[_c] = 70 + _i
for _i, _c in enumerate(PERSIAN):
    _RANK[_c] = 130 + _i
for _variant, _letter in EQUIVALENTS["fa"].items():
    _RANK[_variant] = _RANK[_letter]
ARABIC_BASE = 170  # other Arabic-script letters (Arabic, Urdu, Uyghur): 170..209 by code point within the block
OTHER = 220  # any other letter
LAST = 2**64 - 1  # no letters at all: after everything


def _rank(ch: str) -> int | None:
    rank = _RANK.get(ch)
    if rank is not None:
        return rank
    if not ch.isalnum():
        return None  # spaces and punctuation do not count
    if "\u0600" <= ch <= "\u06ff":
        return ARABIC_BASE + (ord(ch) - 0x0600) * 39 // 0xFF
    base = unicodedata.normalize("NFD", ch)[0]  # é -> e: accented letters outside the alphabets go with their base
    rank = _RANK.get(base)
    if rank is not None:
        return rank
    return OTHER + min(ord(ch) // 4096, 35)


def _lower(text: str) -> str:
    # Turkish casing: I -> ı, İ -> i; everything else by Unicode.
    return text.replace("I", "ı").replace("İ", "i").lower()


def sort_key(text: str) -> int:
    """The sort key of a heading (title, or author as "Surname, Forename")."""
    ranks: list[int] = []
    for ch in _lower(unicodedata.normalize("NFC", text)):
        rank = _rank(ch)
        if rank is not None:
            ranks.append(rank)
            if len(ranks) == 8:
                break
    if not ranks:
        return LAST
    return int.from_bytes(bytes(ranks).ljust(8, b"\0"), "big")
