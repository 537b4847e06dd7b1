"""Text normalisation shared by the search index and the search queries.

Every indexed string and every query goes through the same two pure functions, so a record is found however
it was catalogued (modern Latin, ALA-LC romanisation, original script) and however the reader types:

`exact(text)`
    The record's own spelling, case-folded: NFC, Turkic-aware lower-casing (İ -> i, I -> i, ı and ə kept;
    see case.py), punctuation and symbols -> spaces. Diacritics and script are kept, so an exact-script match
    can rank above a folded one ("azərbaycan" != "azerbaycan"). Only what would break a Tantivy token or that
    no reader types is removed: combining marks NFC could not compose (ALA-LC "i︠a︡", "u̇"), modifier letters
    (ʹ ʺ ʻ ʼ), invisible bidi/formatting characters and tatweel.

`fold(text)`
    The cross-script pivot. Cyrillic -> ALA-LC Latin (cyrillic.py), Uzbek oʻ/gʻ resolved (apostrophes.py),
    letters without a decomposition replaced (romanization.LETTERS, arabic.LETTERS, digits.DIGITS), NFKD with
    every Latin/Cyrillic/Greek diacritic, Hebrew point and Arabic haraka dropped, then the Latin digraph pivot
    (romanization.py: ş/sh -> s, ç/ch -> c, zh/j -> j, kh/x -> x, ğ/gh -> g, ı/ĭ/y -> i; ä/ə -> e, ă -> a).
    Latin and Cyrillic come out as ASCII; Arabic, Hebrew, Greek, CJK and other scripts stay in their script,
    normalised (NFKC width folding, Arabic/Persian letter variants, digits -> ASCII).

Both return lower-case tokens joined by single spaces, containing no character on which Tantivy's tokenizers
would split a word (so `str.split()` gives the tokens), except marks that a script's own spelling needs and
Tantivy does not count as alphanumeric (the Indic virama); the search schema's whitespace tokenizer keeps
those too. `fold_tokens(text)` returns the list of tokens.

Each submodule holds one table and the reasons for each of its choices:
case.py (Turkic casing), apostrophes.py (Uzbek oʻ vs Turkish suffix apostrophes), cyrillic.py (ALA-LC tables
and the per-language overrides), romanization.py (the Latin pivot and its trade-offs), arabic.py, hebrew.py,
digits.py, marks.py (which combining marks, modifier letters and invisible characters go where).

Speed: both functions run on every record at import (budget ~25 µs per 300-character string for the two
together). Pure-ASCII text, the large majority, takes a bytes.translate fast path; other text uses C-level
normalisation and a few precompiled regular expressions; per-word work (apostrophes) is memoised.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kitab.textnorm import marks
from kitab.textnorm.apostrophes import UZBEK_SIGNS, resolve_apostrophes
from kitab.textnorm.arabic import LETTERS as _ARABIC_LETTERS
from kitab.textnorm.case import turkic_casefold
from kitab.textnorm.cyrillic import transliterate
from kitab.textnorm.digits import DIGITS as _DIGITS
from kitab.textnorm.hebrew import join_quoted_abbreviations
from kitab.textnorm.romanization import LETTERS as _LATIN_LETTERS
from kitab.textnorm.romanization import pivot, pivot_bytes

__all__ = ["exact", "fold", "fold_tokens"]

_EXACT_ASCII = marks.ascii_table(fold=False)
_FOLD_ASCII = marks.ascii_table(fold=True)

# exact: what is deleted (never spaced) after NFC + case folding.
_EXACT_DELETED = marks.char_class(
    marks.GENERIC_DIACRITICS
    + marks.MODIFIER_LETTERS
    + marks.INVISIBLE
    + marks.WORD_INTERNAL_PUNCTUATION
    + [marks.TATWEEL]
)
_EXACT_DELETE_RE = re.compile(f"[{_EXACT_DELETED}]")
_SPACE_LIKE = tuple(chr(cp) for cp in marks.SPACE_LIKE)

# fold, before NFKD: letters NFKD cannot decompose, Arabic-script variants, digits, and ZWNJ/ZWSP -> space.
_FOLD_REPLACE: dict[str, str] = {
    **_LATIN_LETTERS,
    **_ARABIC_LETTERS,
    **_DIGITS,
    **{chr(cp): " " for cp in marks.SPACE_LIKE},
}
_FOLD_REPLACE_RES = marks.bmp_and_full("[%s]", (ord(ch) for ch in _FOLD_REPLACE))

# fold, after NFKD: every mark and character that is deleted outright.
_FOLD_DELETED = marks.char_class(
    marks.GENERIC_DIACRITICS
    + marks.HEBREW_POINTS
    + marks.ARABIC_HARAKAT
    + marks.MODIFIER_LETTERS
    + marks.INVISIBLE
    + marks.WORD_INTERNAL_PUNCTUATION
    + [marks.TATWEEL]
)
_FOLD_DELETE_RE = re.compile(f"[{_FOLD_DELETED}]")


def _replace(match: re.Match[str]) -> str:
    return _FOLD_REPLACE[match.group()]


def _ascii_tokens(text: str, table: bytes) -> str:
    return " ".join(text.encode("ascii").translate(table).decode("ascii").split())


def _fold_ascii(text: str) -> str:
    # Lower-case, punctuation -> space and y -> i in one translate, then the digraph pivot on the bytes.
    return " ".join(pivot_bytes(text.encode("ascii").translate(_FOLD_ASCII)).decode("ascii").split())


# One scan tells which optional steps a non-ASCII string needs: an apostrophe-like sign (apostrophes.py),
# Cyrillic (cyrillic.py), Hebrew letters (hebrew.py), a supplementary-plane character (marks.py). Most
# romanised records have none of them, so each step is skipped at the cost of a single regex search.
_GATE_RE = re.compile(f"[{UZBEK_SIGNS}\u0400-\u052f\u05d0-\u05ea\U00010000-\U0010ffff]")


@lru_cache(maxsize=1024)
def _prepare(text: str) -> tuple[str, bool, bool, bool, bool]:
    """NFC `text` and its flags (sign, cyrillic, hebrew, astral). Memoised: the indexer calls `exact` and
    then `fold` on the same string, and NFC of decomposed MARC text is the costliest single step."""
    text = unicodedata.normalize("NFC", text)
    found = _GATE_RE.findall(text)
    if not found:
        return text, False, False, False, False
    chars = "".join(set(found))
    return (
        text,
        any(ch in UZBEK_SIGNS for ch in chars),
        any("\u0400" <= ch <= "\u052f" for ch in chars),
        any("\u05d0" <= ch <= "\u05ea" for ch in chars),
        any(ch > "\uffff" for ch in chars),
    )


def exact(text: str) -> str:
    """The record's own spelling as lower-case tokens joined by single spaces (see the module docstring)."""
    if text.isascii():
        if "'" in text or "`" in text:  # the only ASCII apostrophe-like signs; cheaper than a regex
            text = resolve_apostrophes(text, fold=False)
        return _ascii_tokens(text, _EXACT_ASCII)
    text, sign, _cyrillic, hebrew, astral = _prepare(text)
    if sign:
        text = resolve_apostrophes(text, fold=False)
    text = turkic_casefold(text)
    if hebrew:
        text = join_quoted_abbreviations(text)
    text = _EXACT_DELETE_RE.sub("", text)
    for ch in _SPACE_LIKE:
        if ch in text:
            text = text.replace(ch, " ")
    if text.isascii():
        return _ascii_tokens(text, _EXACT_ASCII)
    return marks.join_tokens(text, astral)


def fold(text: str) -> str:
    """The cross-script pivot form as lower-case tokens joined by single spaces (see the module docstring)."""
    if text.isascii():
        if "'" in text or "`" in text:
            text = resolve_apostrophes(text, fold=True)
        return _fold_ascii(text)
    text, sign, cyrillic, hebrew, astral = _prepare(text)
    if sign:
        text = resolve_apostrophes(text, fold=True)
    # Case-fold before transliterating (the Cyrillic tables are lower-case). "İ" becomes i + combining dot,
    # which the mark deletion below removes.
    text = text.casefold()
    if cyrillic:
        text = transliterate(text)
    if hebrew:
        text = join_quoted_abbreviations(text)
    text = _FOLD_REPLACE_RES[astral].sub(_replace, text)
    text = _FOLD_DELETE_RE.sub("", unicodedata.normalize("NFKD", text))
    if text.isascii():
        return _fold_ascii(text)
    # Other scripts remain: recompose what NFKD split but must stay together (Hangul syllables, kana with
    # voicing marks), lower-case letters NFKD produced from compatibility characters ("™" -> "TM"), and fold
    # the Latin parts of mixed text the same way as pure-Latin text.
    text = pivot(unicodedata.normalize("NFC", text).lower())
    return marks.join_tokens(text, astral)


def fold_tokens(text: str) -> list[str]:
    """`fold(text)` split into its tokens."""
    return fold(text).split()
