"""The Latin pivot: where modern Turkic orthographies, ALA-LC romanisation and plain ASCII meet.

`fold` first removes diacritics (NFKD + dropping combining marks), so "ş" "ṡ" "s" are already one letter and
"ö" "ȯ" "o" another. What NFKD cannot do is in two tables here.

1. Letters without a decomposition, replaced before NFKD (`LETTERS`):

   ====== ====== ===========================================================================================
   letter folds  why
   ====== ====== ===========================================================================================
   ı      i      Turkish/Azerbaijani dotless i; ASCII typists write i ("ISLAK" = "ıslak" = "islak").
   ə      e      Azerbaijani schwa; ASCII typists write e ("Azerbaycan").
   ä      e      ALA-LC writes Azerbaijani ə as ä ("Azärbaycan"); so do Turkmen, Tatar and Kazakh Latin.
                 Cost: German/Finnish "ä" typed as plain "a" no longer meets the record in the folded form
                 (the exact form still matches "ä"); typing "e" does.
   ǟ      e      ä with macron (ALA-LC, rare).
   ß      ss     German; also what casefold does.
   æ ǽ    ae     Latin/Danish/Old English ligature.
   œ      oe     French ligature.
   ø ǿ    o      Danish/Norwegian; no NFKD decomposition.
   ł      l      Polish.
   đ ð    d      Croatian/Vietnamese, Icelandic eth.
   þ      th     Icelandic thorn (ALA-LC "th").
   ŋ      ng     Kazakh/Tatar Latin ŋ, same sound as Cyrillic ң = LC "n︠g︡".
   ħ ŧ ŀ  h t l  Maltese, Sami, Catalan.
   ====== ====== ===========================================================================================

   Note ă -> a (plain diacritic removal): ALA-LC writes Cyrillic ә as ă in Kazakh, Tatar, Turkmen and
   Azerbaijani-Cyrillic records, and Kazakh records sometimes drop the breve ("Qazaq adebietī"), so ә must
   fold to a. Azerbaijani ə (-> e) and Kazakh ә (-> a) are the same letter historically but are spelled
   e-like and a-like by their own readers, so no single pivot serves both; each matches its own records.

2. Digraphs and y, folded on the ASCII result (`pivot`), *after* the Cyrillic table produced LC digraphs:

   ======================  =======  ========================================================================
   spellings               pivot    why
   ======================  =======  ========================================================================
   ş, sh, ш                s        Turkish ASCII typists write "sehir" for "şehir", while ALA-LC and Uzbek
                                    Latin write ш as "sh" ("Shahar"). Only s satisfies both.
   ç, ch, ч                c        Same reasoning: "cocuk" = "çocuk"; LC/Uzbek "ch" = ч.
   ж, zh, j                j        LC writes ж "zh"; Uzbek, Azerbaijani, Turkish and Kazakh Latin write j
                                    ("xo'jalik" = "khŭzhalik"). LC Turkmen җ "j" lands here too.
   х, kh, x                x        LC writes х "kh"; Uzbek and Azerbaijani Latin write x ("tarix" =
                                    "tarikh"). Turkish h stays h: it is also Uzbek/Azerbaijani h (ҳ/һ).
   ğ, gʻ, gh, ғ            g        Turkish ASCII "dag" = "dağ"; LC "gh" = Uzbek "gʻ" = ғ.
   ı, i, y, й, ы           i        Modern Turkic Latin writes й as y ("qadimiy"), ALA-LC writes it ĭ
                                    ("qadimiĭ"); LC writes ы as y ("Kyrgyz") where Turkic Latin has ı
                                    ("Kırgız"). y is therefore ambiguous and only merging i/ı/ĭ/y lets these
                                    meet. It also merges "istoriya"/"istoriia" and "Dostoyevsky"-style ASCII.
   ======================  =======  ========================================================================

   Trade-off: the folded form over-merges (English "ship"/"sip", Pinyin "shang"/"sang" and "chang"/"cang",
   "Yale"/"iale"). That only costs precision in the folded field; the exact field, which keeps the record's
   own spelling, always ranks above it, so the intended word still comes first.
   Known non-matches: Uzbek Latin "yo" vs LC "ë" (ё), Kazakh Latin ä (-> e) vs LC ă (-> a), and Azerbaijani
   modern Latin vs LC's romanisation of Azerbaijani Cyrillic ("Azərbaycan" vs "Azărbai̐jan": ə/ă and c/j).
"""

from __future__ import annotations

# fmt: off
LETTERS: dict[str, str] = {
    "ı": "i", "ə": "e", "ä": "e", "ǟ": "e", "ß": "ss", "æ": "ae", "ǽ": "ae", "œ": "oe", "ø": "o", "ǿ": "o",
    "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ŋ": "ng", "ħ": "h", "ŧ": "t", "ŀ": "l",
}
# fmt: on

# Single-pass replacements are enough: every replacement is one letter that is never "h", so no replacement
# can create a new digraph that a later one would have matched (checked in the tests).
_DIGRAPHS: tuple[tuple[str, str], ...] = (("sh", "s"), ("ch", "c"), ("zh", "j"), ("kh", "x"), ("gh", "g"))
_DIGRAPHS_B: tuple[tuple[bytes, bytes], ...] = tuple((a.encode(), b.encode()) for a, b in _DIGRAPHS)


def pivot_bytes(text: bytes) -> bytes:
    """Fold the digraphs of lower-case ASCII `text` (y -> i is done by the caller's translate table)."""
    if b"h" in text:
        for a, b in _DIGRAPHS_B:
            text = text.replace(a, b)
    return text


def pivot(text: str) -> str:
    """Fold digraphs and y of lower-case `text` that is not pure ASCII (the Latin parts of mixed text)."""
    if "h" in text:
        for a, b in _DIGRAPHS:
            text = text.replace(a, b)
    return text.replace("y", "i")
