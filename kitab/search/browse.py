"""Browse the catalogue's authors and subjects as an alphabetical list of headings, from the index's own term
lists (the facet fields: each author, and each subject's first-level heading, as the records write them).

Headings starting with what the reader typed (or a letter chosen from the alphabet bar) are listed in the order
of kitab.search.collation (Azerbaijani/Turkish Latin, then Cyrillic, then the rest), each with the number of
records carrying it. Matching is by the heading's start, with the first letter in either case.
"""

from __future__ import annotations

from dataclasses import dataclass

from kitab.textnorm import fold

from .collation import sort_key
from .services import engine

FIELDS = {"author": "author_facet", "subject": "subject_facet"}
MAX_START = 100


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    count: int


@dataclass(frozen=True, slots=True)
class HeadingPage:
    headings: list[Heading]
    total: int  # headings that start with `start`


def _prefixes(start: str) -> set[str]:
    first, rest = start[:1], start[1:]
    variants = {start, first.upper() + rest, first.lower() + rest}
    if first in ("i", "İ"):
        variants |= {"İ" + rest, "I" + rest}
    if first in ("ı", "I"):
        variants |= {"I" + rest, "ı" + rest}
    return {v for v in variants if v}


def browse(kind: str, start: str, *, limit: int = 50, offset: int = 0) -> HeadingPage:
    """Headings of `kind` ("author" or "subject") beginning with `start`, a page at a time. Raises KeyError for
    another kind; an empty start lists nothing (the list of every heading would be the whole index)."""
    field = FIELDS[kind]
    start = " ".join(start.split())[:MAX_START]
    if not start:
        return HeadingPage([], 0)
    searcher = engine()._searcher()
    counts: dict[str, int] = {}
    for prefix in _prefixes(start):
        for term, count in searcher.terms_with_prefix(field, prefix):
            counts[term] = counts.get(term, 0) + count
    ordered = sorted(counts.items(), key=lambda tc: (sort_key(tc[0]), fold(tc[0]), tc[0]))
    page = [Heading(text, count) for text, count in ordered[offset:offset + limit]]
    return HeadingPage(page, len(ordered))
