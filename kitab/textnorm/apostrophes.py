"""Apostrophes inside words: Uzbek letters oʻ/gʻ versus Turkish suffix separators.

Uzbek Latin writes two letters with an apostrophe-like sign: oʻ (Cyrillic ў, ALA-LC "ŭ") and gʻ (ғ, LC "gh").
The proper sign is U+02BB ʻ, but readers and many records type ' ’ ‘ or `. Turkish, on the other hand, puts an
apostrophe between a proper name and its suffix ("Türkiye'nin", "Kosovo'da", "Hamburg'da"), where splitting is
what a reader wants ("Türkiye" should find "Türkiye'nin"). Both Tantivy and a naive normaliser would split
"O'zbekiston" into "o" + "zbekiston", so the sign is resolved here, before any punctuation is removed:

=========================================  ==========================  ====================================
context                                    exact                       fold
=========================================  ==========================  ====================================
o + sign + consonant, g + sign + letter    sign deleted: "ozbekiston"  o -> u (LC ŭ), g stays (LC gh -> g):
or end of word (Uzbek)                                                 "uzbekiston", "tog"
same, but the sign is ' or ’ and the word  sign -> space: "hamburg da" same as exact
has a Turkish letter (çşğıöüâîû) or the
rest is a Turkish/English suffix ("da",
"nin", "s", ...) -- or it is an Irish
"O'Brien"
ʻ anywhere else (ALA-LC ayn/ʻokina)        deleted: "shiʻr" -> "shir"  deleted
any other ' ’ ‘ `                          space                       space
=========================================  ==========================  ====================================

U+02BC ʼ is deliberately *not* an Uzbek sign here: ALA-LC uses it for hamza/alef ("Qurʼān", Hebrew "roʼsh"),
where reading "oʼsh" as Uzbek ŭ would be wrong; it is simply deleted later with the other modifier letters.
Why o -> u and not o: ŭ is also Korean McCune-Reischauer and Belarusian, where plain "u" is how everyone types
it, and "Ŭzbekiston" must equal "O'zbekiston". The price: an Uzbek reader who drops the sign ("Ozbekiston")
does not meet "Ŭzbekiston" in the folded form (they meet "Uzbekiston").
"""

from __future__ import annotations

import re
from functools import lru_cache

# Signs that may stand for the Uzbek ʻ. ʻ ‘ and ` are never a Turkish suffix separator; ' and ’ may be.
UZBEK_SIGNS = "'\u2019\u2018`\u02bb"
_AMBIGUOUS_SIGNS = "'\u2019"

_ANY_SIGN_RE = re.compile(f"[{UZBEK_SIGNS}]")
# From a sign to the end of its word: signs and letters ("o'g'il" -> "'g'il"; "tog'" -> "'"). A sign after
# punctuation or a space (an opening quote) is left for the separator step.
_TAIL_RE = re.compile(rf"(?:[{UZBEK_SIGNS}][^\W\d_]*)+")
_SPLIT_RE = re.compile(f"([{UZBEK_SIGNS}])")

_TURKISH_LETTERS = frozenset("çşğıöüâîûÇŞĞİÖÜÂÎÛ")
_VOWELS = frozenset("aeiouıöüəäâîûAEIOUIÖÜƏÄÂÎÛ")

# What follows a name-final o/g + apostrophe in Turkish (case, locative, copula and derivational endings that
# contain no Turkish-only letter; those with ı/ü/ç/ş/ğ already trigger the Turkish-letter rule) and in
# English ('s, 'll, 'd, ...). Uzbek words rarely continue with exactly one of these after oʻ; after gʻ they
# sometimes do (Uzbek "tog'da" = "in the mountain" looks like Turkish "Hamburg'da"). The decision must be
# per word (a query has no context), so such a word typed with ' is split like the Turkish one; typed with
# the proper ʻ it stays whole.
# fmt: off
_SUFFIXES = frozenset({
    "a", "e", "i", "u", "ya", "ye", "yi", "yu", "na", "ne", "ni", "nu",  # dative, accusative
    "da", "de", "ta", "te", "nda", "nde", "daki", "deki", "taki", "teki", "ndaki", "ndeki",  # locative
    "dan", "den", "tan", "ten", "ndan", "nden",  # ablative
    "nin", "nun", "in", "un",  # genitive
    "la", "le", "yla", "yle", "ile", "li", "lu", "dir", "dur", "tir", "tur", "ca", "ce",
    "s", "d", "ll", "re", "ve", "t", "m",  # English clitics
})
# fmt: on


def _is_uzbek(before: str, sign: str, after: str, turkish_word: bool) -> bool:
    if not before:
        return False
    last = before[-1]
    if last in "oO":
        # Uzbek oʻ is followed by a consonant ("oʻzbek", "koʻp", "oʻyin"); a vowel after it means ʻokina or
        # an ayn ("Oʻahu"), and an Irish "O'Brien" has a capital after the sign.
        if not after or not after[0].isalpha() or after[0] in _VOWELS:
            return False
        if before == "O" and after[0].isupper() and after[1:2].islower():
            return False
    elif last in "gG":
        # gʻ may end a word ("togʻ", "bogʻ").
        if after and not after[0].isalpha():
            return False
    else:
        return False
    return not (sign in _AMBIGUOUS_SIGNS and (turkish_word or after.casefold() in _SUFFIXES))


@lru_cache(maxsize=8192)
def resolve_word(word: str, fold: bool) -> str:
    """Resolve every sign in one word (see the module table); `fold` selects the fold column."""
    parts = _SPLIT_RE.split(word)
    turkish_word = any(ch in _TURKISH_LETTERS for ch in word)
    out = parts[0]
    for i in range(1, len(parts), 2):
        sign, after = parts[i], parts[i + 1]
        if _is_uzbek(out, sign, after, turkish_word):
            if fold and out[-1] in "oO":
                out = out[:-1] + ("u" if out[-1] == "o" else "U")
            out += after
        elif sign == "\u02bb":
            out += after
        else:
            out += " " + after
    return out


def resolve_apostrophes(text: str, *, fold: bool) -> str:
    """Apply `resolve_word` to every word of `text` that carries an apostrophe-like sign after a letter."""
    # Find the signs themselves (a fast scan), then widen each to its word by hand: a regex for "word with a
    # sign inside" would re-scan every word of the text from every position.
    pieces: list[str] = []
    last = 0
    match = _ANY_SIGN_RE.search(text)
    while match is not None:
        start = match.start()
        if start > last and text[start - 1].isalpha():
            word_start = start - 1
            while word_start > last and text[word_start - 1].isalpha():
                word_start -= 1
            end = _TAIL_RE.match(text, start).end()  # type: ignore[union-attr]  # always matches the sign
            pieces.append(text[last:word_start])
            pieces.append(resolve_word(text[word_start:end], fold))
            last = end
        match = _ANY_SIGN_RE.search(text, max(start + 1, last))
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)
