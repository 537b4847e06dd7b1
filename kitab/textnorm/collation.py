"""Alphabetical order as each interface language's readers expect it, without ICU.

Unicode code-point order puts Turkish "ç" after "z" and "I" before "ı"; a Turkish reader expects c < ç < d and
ı < i; an Azerbaijani one also ə after e, x after h and q after k; Turkmen puts ä after e, ž after j and ň after n;
Uzbek ends its alphabet with oʻ gʻ sh ch ng, which count as single letters; Kazakh, Kyrgyz and Tajik add their
own Cyrillic letters in set places (ә after а, ғ after г, ӣ after и …); Russian puts ё right after е; Persian has
its own Arabic-script order (پ after ب, چ after ج, ژ after ز, گ after ک).

`sort_key(text, language)` returns a key for `sorted()` that follows the language's alphabet (the tables below,
from the official alphabets), then falls back, for letters the alphabet lacks, to the letter without its
diacritics placed after the letters of the alphabet in its own script order, and finally breaks ties by case and
the exact text, so the order is total and stable. Punctuation and spaces are ignored at the first level (so
"Əli-zadə" sorts as "Əlizadə"), as ICU's default "shifted" handling of punctuation would. Digits sort before
letters, by numeric value of whole numbers ("2" before "10").

A language with no table here (English, or any code not listed) uses the Latin a–z order with diacritics
stripped, which is what ICU's root collation gives for Latin text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Each alphabet in its official order; a space separates letters, a letter may be several characters (Uzbek sh).
ALPHABETS: dict[str, str] = {
    "en": "a b c d e f g h i j k l m n o p q r s t u v w x y z",
    "tr": "a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z",
    "az": "a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z",
    "tk": "a b ç d e ä f g h i j ž k l m n ň o ö p r s ş t u ü w y ý z",
    # Uzbek (Latin, 1995/2019): the digraphs and oʻ gʻ are letters of their own at the end of the alphabet.
    "uz": "a b d e f g h i j k l m n o p q r s t u v x y z oʻ gʻ sh ch ng",
    "kk": "а ә б в г ғ д е ё ж з и й к қ л м н ң о ө п р с т у ұ ү ф х һ ц ч ш щ ъ ы і ь э ю я",
    "ky": "а б в г д е ё ж з и й к л м н ң о ө п р с т у ү ф х ц ч ш щ ъ ы ь э ю я",
    "tg": "а б в г ғ д е ё ж з и ӣ й к қ л м н о п р с т у ӯ ф х ҳ ч ҷ ш ъ э ю я",
    "ru": "а б в г д е ё ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я",
    "fa": "ا آ ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی",
}
# Letters of the same primary weight as an alphabet letter in a language (Arabic kaf/yeh in Persian text,
# the many apostrophe look-alikes of Uzbek oʻ and gʻ).
EQUIVALENTS: dict[str, dict[str, str]] = {
    "fa": {"ك": "ک", "ي": "ی", "ى": "ی", "ة": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ی"},
    "uz": {"o'": "oʻ", "g'": "gʻ", "oʼ": "oʻ", "gʼ": "gʻ", "o‘": "oʻ", "g‘": "gʻ", "o`": "oʻ", "g`": "gʻ"},
}
# Languages whose lower-casing is Turkic (I -> ı, İ -> i).
TURKIC_CASE = {"tr", "az", "tk"}

_NUMBER = re.compile(r"\d+")
# First-level weights: digits (by value) < alphabet letters < other letters; each a tuple so they compare.
_DIGIT, _LETTER, _OTHER = 0, 1, 2


@lru_cache(maxsize=32)
def _table(language: str) -> tuple[dict[str, int], int]:
    """Letter -> rank for the language, and the longest letter's length (for greedy digraph matching)."""
    alphabet = ALPHABETS.get(language, ALPHABETS["en"]).split()
    ranks = {letter: rank for rank, letter in enumerate(alphabet)}
    for variant, letter in EQUIVALENTS.get(language, {}).items():
        ranks[variant] = ranks[letter]
    return ranks, max(len(letter) for letter in ranks)


def _lower(text: str, language: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if language in TURKIC_CASE:
        # Dotless and dotted I are two letters here (search folds them together; sorting must not).
        text = text.replace("I", "ı").replace("\u0130", "i")
    return text.lower()


def _base(char: str) -> str:
    """The letter without combining marks (é -> e); the letter itself when it has no decomposition."""
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)) or char


def _primary(text: str, language: str) -> tuple[tuple[int, int, str], ...]:
    ranks, longest = _table(language)
    lowered = _lower(text, language)
    weights: list[tuple[int, int, str]] = []
    position, end = 0, len(lowered)
    while position < end:
        char = lowered[position]
        if char.isdigit():
            number = _NUMBER.match(lowered, position)
            if number:
                weights.append((_DIGIT, int(number.group()), ""))
                position = number.end()
                continue
        for size in range(min(longest, end - position), 0, -1):
            rank = ranks.get(lowered[position:position + size])
            if rank is not None:
                weights.append((_LETTER, rank, ""))
                position += size
                break
        else:
            if char.isalpha():
                base = _base(char)
                rank = ranks.get(base)
                if rank is not None:  # é in Turkish: with e at the first level, after it at the next
                    weights.append((_LETTER, rank, ""))
                else:
                    weights.append((_OTHER, ord(base[0]), base))
            # punctuation, spaces and marks are ignored at the first level
            position += 1
    return tuple(weights)


def sort_key(text: str, language: str) -> tuple[object, ...]:
    """A `sorted()` key that orders `text` as readers of `language` (an interface language code) expect."""
    language = (language or "en").split("-")[0].lower()
    primary = _primary(text or "", language)
    # Then: diacritics (the NFKD form, which puts plain letters first), then lower case before upper case,
    # then the exact text so that different strings never compare equal.
    # Punctuation only decides between otherwise equal strings (the last level), as with ICU's "shifted".
    secondary = "".join(c for c in unicodedata.normalize("NFKD", _lower(text or "", language))
                        if c.isalnum() or unicodedata.combining(c))
    tertiary = tuple(not c.islower() for c in (text or "") if c.isalpha())
    return (primary, secondary, tertiary, text or "")


def sorted_for(language: str, items, key=None):  # type: ignore[no-untyped-def]
    """`items` sorted alphabetically for `language`; `key` picks the text from each item (default: the item)."""
    pick = key or (lambda item: item)
    return sorted(items, key=lambda item: sort_key(str(pick(item)), language))
