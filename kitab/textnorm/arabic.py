"""Arabic-script letter variants folded to one spelling (Arabic, Persian, Ottoman Turkish, Azerbaijani, Urdu).

The same word is keyed differently on Arabic and Persian keyboards and catalogued differently by different
libraries, so the folded form picks one code point per letter. Harakat (vowel signs), tatweel and Quranic
marks are removed elsewhere (marks.py), as are hamza signs that NFKD separates from their carrier
(ؤ -> و, ئ -> ي, أ/إ/آ -> ا decompose into letter + combining hamza/madda, which is then dropped).

======================  =====  =============================================================================
letters                 folds  why
======================  =====  =============================================================================
ي ی ى                   ي      Arabic yeh, Persian yeh (U+06CC) and alef maksura: Persian keyboards type ی
                               where Arabic text has ي, and final ى/ي are interchanged in print.
ك ک ڪ                   ك      Arabic kaf vs Persian keheh (U+06A9): "كتاب" = "کتاب".
ة ۀ                     ه      Teh marbuta and heh-with-yeh are written/typed as plain heh by many.
أ إ آ ٱ ٲ ٳ ٵ          ا      Alef with hamza, madda or wasla; readers rarely type the sign.
======================  =====  =============================================================================

ZERO WIDTH NON-JOINER (Persian "می‌خواهم") becomes a space; see marks.py. Arabic-Indic and Persian digits
become ASCII digits; see digits.py.
"""

from __future__ import annotations

LETTERS: dict[str, str] = {
    "\u06cc": "\u064a",  # ی Persian yeh
    "\u0649": "\u064a",  # ى alef maksura
    "\u06a9": "\u0643",  # ک keheh
    "\u06aa": "\u0643",  # ڪ swash kaf
    "\u0629": "\u0647",  # ة teh marbuta
    "\u06c0": "\u0647",  # ۀ heh with yeh above (NFKD would give U+06D5, not heh)
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",  # ٲ
    "\u0673": "\u0627",  # ٳ
    "\u0675": "\u0627",  # ٵ
}
