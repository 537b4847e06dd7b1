"""Which catalogue records may describe the same thing as a given record: for the editor's save and for
imports.

Identifiers first (003|001, 035, LCCN, ISBN: `RecordIdentifier` rows, exact), then the normalised title
with the
main author's surname and the year (`kitab.textnorm.fold`, so a record catalogued in Cyrillic or with other
diacritics is found too). The title step asks the search index for candidates (it has the folded titles) and
confirms each one against the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pymarc
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kitab.marc.mapping import summarize
from kitab.marc.summary import BibSummary
from kitab.search import services as search_services
from kitab.search.types import LOCAL_LIBRARY, SearchRequest
from kitab.textnorm import fold

from . import matching
from .models import Record, RecordIdentifier

# Strongest evidence first.
REASONS: dict[str, str | Promise] = {
    "ctl": _("same control number (001/003)"),
    "035": _("same system control number (035)"),
    "lccn": _("same LCCN"),
    "isbn": _("same ISBN"),
    "title": _("same title, author and year"),
}
_STRENGTH = {reason: n for n, reason in enumerate(REASONS)}
MAX_CANDIDATES = 10
_TITLE_HITS = 25


@dataclass
class Candidate:
    record: Record
    reasons: list[str] = field(default_factory=list)  # keys of REASONS, strongest first

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[reason]) for reason in self.reasons]

    @property
    def strength(self) -> int:
        return min(_STRENGTH[r] for r in self.reasons) if self.reasons else len(_STRENGTH)


def title_key(title: str, author: str | None, year: int | None) -> tuple[str, str, int | None]:
    """Folded title, folded first word of the main author (the surname in an inverted heading), and year."""
    author_tokens = fold(author or "").split()
    return fold(title), author_tokens[0] if author_tokens else "", year


def find_duplicates(
    marc: pymarc.Record | BibSummary,
    *,
    exclude: int | None = None,
    source: str = "",
    limit: int = MAX_CANDIDATES,
    by_title: bool = True,
) -> list[Candidate]:
    """Records of `source` (blank: our own) that may duplicate `marc`, strongest evidence first.

    `exclude`: the record being edited. `by_title=False` skips the title/author/year step (identifiers only).
    """
    summary = marc if isinstance(marc, BibSummary) else summarize(marc)
    found: dict[int, list[str]] = {}
    rows = matching.identifier_rows(summary, source=source)
    if rows:
        wanted = Q()
        for kind, value in rows:
            wanted |= Q(kind=kind, value=value)
        query = RecordIdentifier.objects.filter(wanted, record__source=source)
        if exclude is not None:
            query = query.exclude(record_id=exclude)
        for record_id, kind in query.values_list("record_id", "kind").order_by("record_id"):
            reasons = found.setdefault(record_id, [])
            if kind not in reasons:
                reasons.append(kind)
    if by_title and summary.title.strip():
        for record_id in _same_title(summary, exclude=exclude, source=source):
            found.setdefault(record_id, []).append("title")
    records = Record.objects.defer("raw").in_bulk(list(found))
    candidates = [
        Candidate(records[record_id], sorted(reasons, key=_STRENGTH.__getitem__))
        for record_id, reasons in found.items()
        if record_id in records
    ]
    candidates.sort(key=lambda c: (c.strength, -len(c.reasons), c.record.pk))
    return candidates[:limit]


def _same_title(summary: BibSummary, *, exclude: int | None, source: str) -> list[int]:
    key = title_key(summary.title, summary.authors[0] if summary.authors else "", summary.year)
    tokens = key[0].split()
    if not tokens:
        return []
    query = 'title:"' + " ".join(tokens) + '"'
    if summary.year:
        query += f" year:{summary.year}"
    try:
        hits = search_services.search(SearchRequest(query=query, limit=_TITLE_HITS, facets=False)).hits
    except Exception:  # a title the query language cannot take, or no index yet: no title candidates
        return []
    library = source or LOCAL_LIBRARY
    ids = [hit.record_id for hit in hits if hit.record_id != exclude and hit.library == library]
    matches: list[int] = []
    for record_id, title, author, year in Record.objects.filter(pk__in=ids).values_list(
        "pk", "title", "author", "year"
    ):
        if title_key(title, author, year) == key:
            matches.append(record_id)
    return sorted(matches)
