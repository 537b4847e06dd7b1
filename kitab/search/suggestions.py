"""Search-as-you-type: what to offer under the search box while a reader types.

One search of the index for what has been typed so far, the last word as a prefix (`tari` finds "tarixi" and
"tarihi"): the titles of the best hits, and the authors and subjects those hits carry whose words start with
what was typed. Letters match with or without accents and in either script form, as in every search (the
folding of kitab.textnorm). Each suggestion carries the query that finds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kitab.protocols.querymap import KITAB_OPERATORS, KITAB_QUOTES
from kitab.textnorm import fold

from .services import search
from .types import QuerySyntaxError, SearchRequest

MIN_PREFIX = 2  # the search service needs two letters before a `*`
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class Suggestion:
    kind: str  # "title", "author" or "subject"
    text: str
    query: str  # the search that finds it

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "text": self.text, "query": self.query}


def _words(text: str) -> list[str]:
    for q in KITAB_QUOTES:
        text = text.replace(q, " ")
    return [w for w in text.split() if w.upper() not in KITAB_OPERATORS and w.strip("-*:()")]


def _quoted(prefix: str, value: str) -> str:
    for q in KITAB_QUOTES:
        value = value.replace(q, " ")
    return f'{prefix}:"{" ".join(value.split())}"'


def suggest(text: str, *, limit: int = 8) -> list[Suggestion]:
    """Suggestions for the start of a search. Field searches (`title:…`) and very short input get none."""
    text = text[:MAX_TEXT]
    if ":" in text:
        return []
    words = [w.strip("-*()") for w in _words(text)]
    if not words or len(fold(words[-1]).replace(" ", "")) < MIN_PREFIX:
        return []
    query = " ".join([*words[:-1], words[-1] + "*"])
    try:
        result = search(SearchRequest(query=query, limit=limit * 3, facets=True))
    except QuerySyntaxError:
        return []
    typed = fold(words[-1])
    suggestions: list[Suggestion] = []
    seen: set[str] = set()

    def add(kind: str, value: str, query: str) -> None:
        key = kind + "\x1f" + fold(value)
        if value and key not in seen and len(suggestions) < limit:
            seen.add(key)
            suggestions.append(Suggestion(kind, value, query))

    def typed_in(value: str) -> bool:  # a word of `value` starts with the word being typed
        return any(word.startswith(typed) for word in fold(value).split())

    heading_limit = max(2, limit // 4)
    for name, kind in (("author", "author"), ("subject", "subject")):
        matching = [f.value for f in result.facets.get(name, []) if typed_in(f.value)]
        for value in matching[:heading_limit]:
            add(kind, value, _quoted(kind, value))
    for hit in result.hits:
        if typed_in(hit.title):
            add("title", hit.title, _quoted("title", hit.title))
    order = {"title": 0, "author": 1, "subject": 2}
    return sorted(suggestions, key=lambda s: order[s.kind])
