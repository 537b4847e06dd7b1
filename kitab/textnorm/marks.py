"""Character classes shared by `exact` and `fold`: combining marks, invisible characters, modifier letters.

Everything here is a set of code points plus the reason it is treated the way it is. The classes are turned
into precompiled regular expressions once, at import time, because both public functions run on every indexed
string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable


def char_class(code_points: Iterable[int]) -> str:
    """The body of a regex character class (without brackets) matching exactly `code_points`, as ranges."""
    points = sorted(set(code_points))
    if not points:
        raise ValueError("empty character class")
    parts: list[str] = []
    start = prev = points[0]
    for cp in points[1:] + [-2]:
        if cp == prev + 1:
            prev = cp
            continue
        parts.append(
            re.escape(chr(start)) if start == prev else f"{re.escape(chr(start))}-{re.escape(chr(prev))}"
        )
        start = prev = cp
    return "".join(parts)


def _ranges(*spans: tuple[int, int]) -> list[int]:
    return [cp for lo, hi in spans for cp in range(lo, hi + 1)]


# Combining marks that are *diacritics on a base letter* in Latin, Cyrillic and Greek text (and the ALA-LC
# ligature halves U+FE20-FE2F that LC writes over "i︠a︡", "t︠s︡", "n︠g︡"). Tantivy does not count them as
# alphanumeric, so one left in a token would cut it in two ("zhu̇ĭesī" -> "zhu" + "ĭesī"). `exact` deletes the
# ones NFC could not compose into a precomposed letter; `fold` deletes all of them after NFKD.
GENERIC_DIACRITICS: list[int] = _ranges(
    (0x0300, 0x036F),  # Combining Diacritical Marks (acute, breve, dot above, candrabindu, ...)
    (0x0483, 0x0489),  # Cyrillic titlo and friends (Church Slavonic)
    (0x1AB0, 0x1AFF),  # Combining Diacritical Marks Extended
    (0x1DC0, 0x1DFF),  # Combining Diacritical Marks Supplement
    (0x20D0, 0x20FF),  # Combining Marks for Symbols
    (0xFE20, 0xFE2F),  # Combining Half Marks: ALA-LC's double-letter ligature/tilde halves
)

# Vowel points and cantillation of Hebrew, harakat and Quranic annotation marks of Arabic. They are optional
# in both scripts (most books and every keyboard user leave them out), so `fold` removes them. Tantivy counts
# them as alphabetic, so `exact` may keep them without breaking a token.
HEBREW_POINTS: list[int] = _ranges(
    (0x0591, 0x05BD), (0x05BF, 0x05BF), (0x05C1, 0x05C2), (0x05C4, 0x05C5), (0x05C7, 0x05C7)
)
ARABIC_HARAKAT: list[int] = _ranges(
    (0x0610, 0x061A),  # honorific/Quranic small signs
    (0x064B, 0x065F),  # tanween, fatha, damma, kasra, shadda, sukun, hamza above/below, ...
    (0x0670, 0x0670),  # superscript (dagger) alef
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),  # Quranic annotation
)

# Modifier letters used by romanisation schemes as *parts of a word*: ALA-LC ʹ ʺ (Cyrillic soft/hard sign),
# ʻ ʼ (Arabic ayn/hamza, Hebrew ayin/alef, Uzbek tutuq belgisi), ʾ ʿ (other Semitic schemes), ˈ, and the
# primes ′ ″ some systems use for the soft/hard sign. A reader never types them, so they are deleted (the word
# stays one token: "statʹi︠a︡" -> "statia", "Qurʼān" -> "qurān"). Tantivy would not split on the Lm ones,
# but nobody's query would contain them. (Uzbek oʻ/gʻ are resolved before this, see apostrophes.py.)
MODIFIER_LETTERS: list[int] = [0x02B9, 0x02BA, 0x02BB, 0x02BC, 0x02BD, 0x02BE, 0x02BF, 0x02C8, 0x2032, 0x2033]

# Invisible formatting characters. They never separate words (a soft hyphen or a bidi mark sits *inside* a
# word in real MARC data: "\u200f" appears 50 times in the Turkic subset), so they are deleted, not spaced.
INVISIBLE: list[int] = [
    0x00AD,  # soft hyphen
    0x034F,  # combining grapheme joiner
    0x200D,  # zero width joiner
    0x200E,
    0x200F,  # LRM, RLM
    *range(0x202A, 0x202F),  # LRE RLE PDF LRO RLO
    0x2060,  # word joiner
    *range(0x2066, 0x206A),  # LRI RLI FSI PDI
    0xFEFF,  # BOM / zero width no-break space
]

# ZERO WIDTH NON-JOINER marks a morpheme boundary in Persian ("کتاب‌ها" = book + plural). Readers type it, a
# space, or nothing; treating it as a space lets "کتاب" find "کتاب‌ها" and matches the space-typists (Tantivy
# splits there anyway). ZERO WIDTH SPACE is by definition a word boundary (Thai, Khmer, Burmese).
SPACE_LIKE: list[int] = [0x200C, 0x200B]

# Arabic tatweel (kashida) only stretches a word for justification: "كتـــاب" is "كتاب".
TATWEEL = 0x0640

# Hebrew geresh/gershayim mark abbreviations and foreign sounds *inside* a word ("צה״ל", "ג׳ורג׳"); the
# middle dot joins Catalan "l·l". Deleting them keeps the word whole.
WORD_INTERNAL_PUNCTUATION: list[int] = [0x05F3, 0x05F4, 0x00B7]


def _all_combining_marks() -> list[int]:
    # Computed from the running Python's Unicode database so the class follows its Unicode version. Planes 0-2
    # and the variation selector supplement hold every combining mark; scanning them costs ~20 ms once.
    points = [*range(0x30000), *range(0xE0100, 0xE01F0)]
    return [cp for cp in points if unicodedata.category(chr(cp))[0] == "M"]


ALL_MARKS: list[int] = _all_combining_marks()

# Tokens are runs of letters, digits and the combining marks still attached to them (Indic vowel signs, kana
# voicing marks, and in the exact form Hebrew points and Arabic harakat). Everything else -- punctuation,
# symbols, spaces, underscore -- separates tokens, as in Tantivy. A mark that does not follow a letter (an
# orphan after a space or punctuation) is dropped.
#
# Speed: Python's regex engine tests a class made only of BMP characters with a bitmap, while a class reaching
# past U+FFFF becomes a list of ranges, ~40x slower for the ~600 mark ranges. The common case therefore uses a
# *positive* BMP class of separator characters (neither alphanumeric, nor a mark, nor whitespace, which
# str.split() handles faster); text holding a supplementary-plane character (rare) uses the equivalent
# negated class over all planes.
ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def bmp_and_full(pattern: str, code_points: Iterable[int]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`pattern` with its %s filled by a class of the BMP part of `code_points`, and by the whole set."""
    points = list(code_points)
    return (
        re.compile(pattern.replace("%s", char_class(cp for cp in points if cp <= 0xFFFF))),
        re.compile(pattern.replace("%s", char_class(points))),
    )


def _bmp_separators() -> list[int]:
    marks = set(ALL_MARKS)
    return [
        cp
        for cp in range(0x10000)
        if cp == 0x5F or not (chr(cp).isalnum() or chr(cp).isspace() or cp in marks)
    ]


_MARKS_CLASS = char_class(ALL_MARKS)
_SEPARATOR_RES = (
    re.compile(f"[{char_class(_bmp_separators())}]+"),
    re.compile(rf"[^\w\s{_MARKS_CLASS}]+|_+"),
)
_ANY_MARK_RES = bmp_and_full("[%s]", ALL_MARKS)
_ORPHAN_MARKS_RES = bmp_and_full(r"(?:^|(?<=\s))[%s]+", ALL_MARKS)


def join_tokens(text: str, astral: bool | None = None) -> str:
    """Non-ASCII `text` as its tokens joined by single spaces (see the comment above).

    `astral` says whether `text` holds a character beyond U+FFFF; None means "look".
    """
    full = ASTRAL_RE.search(text) is not None if astral is None else astral
    text = _SEPARATOR_RES[full].sub(" ", text)
    if _ANY_MARK_RES[full].search(text) is not None:
        text = _ORPHAN_MARKS_RES[full].sub("", text)
    return " ".join(text.split())


def ascii_table(*, fold: bool) -> bytes:
    """A 256-byte `bytes.translate` table for ASCII text: lower-case letters, keep digits, all else -> space.

    With `fold`, "y" also becomes "i" (see romanization.py for why). Bytes >= 0x80 never reach it.
    """
    table = bytearray(b" " * 256)
    for b in range(128):
        ch = chr(b)
        if ch.isalnum():
            table[b] = ord(ch.lower())
    if fold:
        table[ord("y")] = table[ord("Y")] = ord("i")
    return bytes(table)
