"""Did you mean: a corrected search when a word of the query is not in the catalogue.

The dictionary is the index itself: the folded words of every record (`keyword_fold`: titles, authors, subjects,
series, publishers, in the cross-script pivot form of kitab.textnorm, so "Azərbaycan", "Azerbaycan" and
"Азербайджан" are one entry each way they are folded). A word of the query no record contains is replaced by the
word one edit away (a letter deleted, added, changed, or two letters swapped) that the most records contain. Only
plain words are corrected: field searches, quoted phrases, operators and numbers are left as typed.
"""

from __future__ import annotations

import re

from kitab.textnorm import fold

from .services import engine, search
from .types import QuerySyntaxError, SearchRequest

FIELD = "keyword_fold"
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
MIN_LENGTH = 4  # shorter words have too many neighbours to guess from
MAX_WORDS = 8
_PLAIN = re.compile(r"^[^\W\d_]+$")


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changes = {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return (deletes | swaps | changes | inserts) - {word}


def correct_word(folded: str) -> str | None:
    """The best known word one edit away from `folded`, or None (known already, too short, nothing close)."""
    if len(folded) < MIN_LENGTH or not folded.isascii():
        return None
    eng = engine()
    if eng.doc_freqs(FIELD, [folded])[0]:
        return None
    candidates = sorted(_edits(folded))
    freqs = eng.doc_freqs(FIELD, candidates)
    best = max(zip(freqs, candidates), default=(0, ""), key=lambda fc: (fc[0], -abs(len(fc[1]) - len(folded))))
    return best[1] if best[0] else None


_WORD = re.compile(r"[^\W\d_]+")


def _surface(folded: str, original: str) -> str | None:
    """How the catalogue writes the word whose folded form is `folded` (from the records that contain it, in
    the case the reader typed), or None when no title or author shows it (it is then only in a subject or a
    note, and a folded form would read as a misspelling itself)."""
    try:
        hits = search(SearchRequest(query=folded, limit=20, facets=False)).hits
    except QuerySyntaxError:
        return None
    for hit in hits:
        for text in [hit.title, *hit.authors]:
            for word in _WORD.findall(text):
                if fold(word) == folded:
                    lower = word.replace("İ", "i").replace("I", "ı" if "ı" in word.lower() else "i").lower()
                    return lower[:1].upper() + lower[1:] if original[:1].isupper() else lower
    return None


def did_you_mean(query: str) -> str | None:
    """A corrected query that finds records, or None. Unknown plain words are corrected; the rest is kept."""
    tokens = query.split()
    if not tokens or len(tokens) > MAX_WORDS * 2:
        return None
    changed = False
    out: list[str] = []
    for token in tokens:
        folded = fold(token)
        if _PLAIN.match(token) and token.upper() not in {"OR", "AND", "NOT"} and " " not in folded:
            better = correct_word(folded)
            shown = _surface(better, token) if better is not None else None
            if shown is not None:
                out.append(shown)
                changed = True
                continue
        out.append(token)
    if not changed:
        return None
    corrected = " ".join(out)
    try:
        found = search(SearchRequest(query=corrected, limit=0, facets=False)).total
    except QuerySyntaxError:
        return None
    return corrected if found else None
