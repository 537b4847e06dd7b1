"""Sort keys for the title and author sorts: the first 8 letters of a heading as a big-endian u64 (a Tantivy
fast field), each letter ranked in the order a reader of the catalogue's languages expects.

Unicode order puts "Ç", "Ş", "Ə", "Ö", "Ü" after "Z", and folding them to "C", "S", "E", "O", "U" mixes them with
those letters. The Azerbaijani, Turkish and Turkmen alphabets give each its own place: a ä b c ç d e ə f g ğ h x
ı i j k q l m n ň o ö p r s ş t u ü v w y ý z ž (their one Latin order merged). Cyrillic follows Russian order
with the Kazakh and Kyrgyz letters after their base letters (ғ after г, қ after к, ң after н, ө after о, ұ ү
after у, һ after х, і after ы). Other scripts keep code point order, after these. Digits come first, then Latin,
Cyrillic, Arabic script, the rest. Capital I is read as ı (as in Turkish and Azerbaijani), so an English "India"
sorts among the ı words, next to the i words; a heading without letters sorts last.
"""

from __future__ import annotations

import unicodedata

LATIN = "aäbcçdeəfgğhxıijkqlmnňoöprsştuüvwyýzž"
CYRILLIC = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_RANK: dict[str, int] = {}
for _i, _c in enumerate("0123456789"):
    _RANK[_c] = 2 + _i
for _i, _c in enumerate(LATIN):
    _RANK[_c] = 20 + _i
for _i, _c in enumerate(CYRILLIC):
    _RANK[_c] = 70 + _i
ARABIC_BASE = 130  # Arabic script: 130..199 by code point within the block (coarse, but in order)
OTHER = 220  # any other letter
LAST = 2**64 - 1  # no letters at all: after everything


def _rank(ch: str) -> int | None:
    rank = _RANK.get(ch)
    if rank is not None:
        return rank
    if not ch.isalnum():
        return None  # spaces and punctuation do not count
    if "\u0600" <= ch <= "\u06ff":
        return ARABIC_BASE + (ord(ch) - 0x0600) * 69 // 0xFF
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
