"""Plain payloads crossing the search engine's boundary: requests in, results out, documents to index.

Nothing here imports tantivy or Django, so adapters (OPAC views, SRU, the API) can build requests and read results
without knowing how the index works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kitab.core.errors import KitabError
from kitab.marc.summary import BibSummary

SortOrder = Literal["relevance", "year_desc", "year_asc", "title", "author"]
SORT_ORDERS: tuple[str, ...] = ("relevance", "year_desc", "year_asc", "title", "author")

# The facet names a result carries, in display order; request.filters uses the same keys.
FACET_NAMES: tuple[str, ...] = (
    "language", "material_type", "year", "author", "subject", "branch", "available", "library"
)

#: The `library` facet value of our own records (harvested ones carry their member library's code).
LOCAL_LIBRARY = "local"


@dataclass(slots=True)
class SearchRequest:
    query: str = ""
    # facet name -> selected values; values of one facet are ORed, different facets are ANDed
    filters: dict[str, list[str]] = field(default_factory=dict)
    limit: int = 20
    offset: int = 0
    sort: SortOrder = "relevance"
    facets: bool = True
    # One hit per work (the same book held by several member libraries: see engine.GROUP_* for the limits).
    # `offset`/`limit` then count works, and SearchResult.total still counts records.
    group: bool = False
    # Only these records (None: no restriction). Saved-search alerts ask which of the records added since their
    # last run a saved search finds, without paging through everything it finds.
    record_ids: list[int] | None = None


@dataclass(slots=True)
class Hit:
    record_id: int
    control_number: str | None
    title: str
    authors: list[str]
    year: int | None
    languages: list[str]
    material_type: str
    available: bool
    score: float
    library: str = LOCAL_LIBRARY  # member library code, or LOCAL_LIBRARY
    # Grouped searches only: how many matching records describe this work, the libraries holding it (this
    # hit's first) and, per library, its best-ranked record id.
    group_size: int = 1
    holders: list[str] = field(default_factory=list)
    holder_records: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass(slots=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    took_ms: float
    # facets whose counts were estimated from a sample because the query matched very many records
    approximate_facets: list[str] = field(default_factory=list)
    # Grouped searches only: distinct works among the matching records, an estimate (HyperLogLog) that is exact
    # for small result sets. None for ungrouped searches.
    total_groups: int | None = None


@dataclass(slots=True)
class IndexDoc:
    """What the engine indexes for one record: the extracted summary plus live holdings state."""

    record_id: int
    summary: BibSummary
    branches: list[str] = field(default_factory=list)  # codes of branches holding a copy
    available: bool = False  # some copy is available for loan now
    source: str = ""  # member library code of a harvested record; blank: our own record
    # Forms the record itself does not carry but should be found by, per text group ("author", "subject",
    # "series", "title"): the "see from" variants of the authorities its headings are linked to
    # (documents.add_extra_forms fills it for a batch).
    extra_forms: dict[str, list[str]] = field(default_factory=dict)


class SearchError(KitabError):
    """Base of the search engine's errors; `code` is stable for adapters to map."""


class QuerySyntaxError(SearchError):
    """The user's query cannot be understood even after repair; the message says what to fix."""


class IndexLockedError(SearchError):
    """Another writer (usually an import or `kitab reindex`) holds the index's write lock."""


class SchemaVersionError(SearchError):
    """The index on disk was built with another schema version and must be rebuilt."""
