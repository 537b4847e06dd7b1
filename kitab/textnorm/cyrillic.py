"""Cyrillic -> Latin for the folded form, following ALA-LC romanisation.

Why ALA-LC: the Library of Congress (and every library copying its records) does not store Cyrillic titles in
Cyrillic; it stores their ALA-LC romanisation ("Istorii︠a︡", "Qazaq adebietī", "Ŭzbekiston", "Azărbai̐jan").
So a reader's Cyrillic query must become what that romanisation folds to. Each table value below is the ALA-LC
value *with its diacritics already removed*, i.e. exactly what `fold` makes of the romanised record before the
shared digraph step (romanization.py) runs on both. That makes the match hold by construction: Cyrillic "ш"
-> "sh" here, LC "sh" in the record, and both then fold to the pivot "s".

One base table serves Russian and the Turkic languages, because their LC tables agree once diacritics are
gone:
Kazakh ә, Tatar ә, Turkmen ә and Azerbaijani-Cyrillic ә are all LC "ă" (seen in the LoC records:
"dăstur", "ăsărlăr", "zăkhmet", "Azărbai̐jan"), і is "ī", ұ "ū", ү "u̇", ө "ȯ", қ "q", ғ "gh", ң "n︠g︡",
һ/ҳ "ḣ", ў "ŭ", җ "zh" (Tatar) or "j" (Turkmen; the pivot merges zh and j anyway).
Only a few letters romanise differently per language; for those, a per-language override is chosen from the
letters present in the whole string (`detect_language`):

=====  ==================================  =================================================================
code   detected by                         override (LC value -> folded)
=====  ==================================  =================================================================
aze    ҹ or ҝ, or ј with ә ғ ө ү һ         ј -> "i̐" -> "i"   (LC Azerbaijani; the base ј is Serbian "j")
kaa    ў with ә ө ү or ң                   ў -> "w"           (LC Karakalpak; Uzbek ў is "ŭ")
srp    ђ ћ џ љ њ ѓ ќ ѕ, or ј alone        х -> "h"           (LC Serbian/Macedonian; Russian х is "kh")
ukr    є ї ґ, or і with no Turkic letter   г -> "h"           (LC Ukrainian; ґ is "g")
bel    ў and і with no Turkic letter       г -> "h"           (LC Belarusian)
=====  ==================================  =================================================================

Other codes (kaz, kir, uzb, tgk, tat/tuk, bak, chv, rus) are reported for transparency but need no override.
Precomposed letters not listed (ѐ ѝ ӂ ӝ ...) take their NFD base letter's value; Cyrillic letters of other
languages with neither an entry nor a decomposition (Abkhaz, Komi, ...) stay Cyrillic in the folded form.
Known limits: Bulgarian (ъ is LC "ŭ", щ "sht") cannot be told from Russian by its letters and gets the
Russian reading; a string mixing languages gets the override of the most distinctive one.
"""

from __future__ import annotations

import re
import unicodedata

CYRILLIC_RE = re.compile("[\u0400-\u052f]")

# fmt: off
BASE: dict[str, str] = {
    # Russian (ALA-LC): й "ĭ", ы "y", э "ė", ю "i︠u︡", я "i︠a︡", ц "t︠s︡", ь "ʹ" and ъ "ʺ" (deleted by fold).
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "iu", "я": "ia",
    # Pre-1918 Russian: ѣ "ě", ѳ "ḟ", ѵ "ẏ" (і is below).
    "ѣ": "e", "ѳ": "f", "ѵ": "y",
    # Turkic: Kazakh, Kyrgyz, Uzbek, Tatar, Turkmen, Azerbaijani, Bashkir, Karakalpak, Chuvash, Altai.
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ў": "u",
    "ҳ": "h", "җ": "zh", "ҹ": "j", "ҝ": "g", "ҡ": "q", "ҙ": "z", "ҫ": "s", "ӑ": "a", "ӗ": "e", "ӳ": "u",
    "ӧ": "o", "ӱ": "u", "ӓ": "a", "ӹ": "y",
    # Tajik: ӣ "ī", ӯ "ū", ҷ "j" ("Tojikiston", as in Tajik's own Latin and every other romanisation).
    "ӣ": "i", "ӯ": "u", "ҷ": "j",
    # Ukrainian / Belarusian: є "i͡e", ї "ï", ґ "g".
    "є": "ie", "ї": "i", "ґ": "g",
    # Serbian / Macedonian: ј "j", љ "lj", њ "nj", ћ "ć", ђ "đ", џ "dž", ѓ "ǵ", ќ "ḱ", ѕ "dz".
    "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "ђ": "d", "џ": "dz", "ѓ": "g", "ќ": "k", "ѕ": "dz",
}
# fmt: on


def _with_decomposable_letters(table: dict[str, str]) -> dict[str, str]:
    # Precomposed Cyrillic letters missing above (ѐ ѝ ӂ ӝ ӟ ӥ ӭ ӵ ...) take the value of their NFD base
    # letter, exactly what diacritic removal would give in Latin ("ӝ" -> "ж" + diaeresis -> "zh").
    out = dict(table)
    for cp in range(0x0400, 0x0530):
        ch = chr(cp)
        if ch in out or not ch.isalpha() or ch != ch.lower():
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base in table:
            out[ch] = table[base]
    return out


BASE = _with_decomposable_letters(BASE)

OVERRIDES: dict[str, dict[str, str]] = {
    "aze": {"ј": "i"},
    "kaa": {"ў": "w"},
    "srp": {"х": "h"},
    "ukr": {"г": "h"},
    "bel": {"г": "h"},
}

# str.translate tables, built once. Keys are lower-case: `fold` case-folds before transliterating.
_TABLES: dict[str, dict[int, str]] = {"": {ord(k): v for k, v in BASE.items()}}
for _code, _extra in OVERRIDES.items():
    _TABLES[_code] = {**_TABLES[""], **{ord(k): v for k, v in _extra.items()}}

_TURKIC = frozenset("әғқңөұүһҳҗҹҝҡҙҫӑӗӳ")


def detect_language(text: str) -> str:
    """A language code guessed from the Cyrillic letters of lower-cased `text` ("" when none is distinctive).

    Only the codes listed in the module table change the transliteration; the others are informational.
    """
    present = set(text)
    if present & {"ҹ", "ҝ"} or ("ј" in present and present & {"ә", "ғ", "ө", "ү", "һ"}):
        return "aze"
    if "ў" in present and present & {"ә", "ө", "ү", "ң"}:
        return "kaa"
    if present & {"ђ", "ћ", "џ", "љ", "њ", "ѓ", "ќ", "ѕ", "ј"}:
        return "srp"
    turkic = present & _TURKIC
    if not turkic and present & {"є", "ї", "ґ"}:
        return "ukr"
    if not turkic and "і" in present:
        return "bel" if "ў" in present else "ukr"
    if present & {"ӣ", "ӯ", "ҷ"}:
        return "tgk"
    if present & {"ў", "ҳ"}:
        return "uzb"
    if present & {"ұ", "і"} or ("қ" in present and "ә" in present):
        return "kaz"
    if "җ" in present:
        return "tat"  # or Turkmen: both romanise җ to a letter the pivot folds to "j"
    if present & {"ҡ", "ҙ"}:
        return "bak"
    if present & {"ӑ", "ӗ", "ӳ", "ҫ"}:
        return "chv"
    if present & {"ң", "ө", "ү"} and "қ" not in present:
        return "kir"
    if present & {"қ", "ғ", "ә", "һ"}:
        return "kaz"
    return "rus"


def transliterate(text: str) -> str:
    """Replace the Cyrillic letters of lower-cased `text` by their diacritic-free ALA-LC values."""
    if CYRILLIC_RE.search(text) is None:
        return text
    return text.translate(_TABLES.get(detect_language(text), _TABLES[""]))
