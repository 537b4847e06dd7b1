"""A search as a patron ran it (words, filters, sort), independent of paging: what history and saved searches
keep, and what turns back into a search page address or a SearchRequest."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from kitab.search.types import FACET_NAMES, SORT_ORDERS, SearchRequest

MAX_QUERY = 2000
MAX_VALUES = 20


@dataclass(slots=True)
class SearchSpec:
    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"

    @classmethod
    def of(cls, query: str, filters: dict[str, list[str]] | None = None, sort: str = "relevance") -> SearchSpec:
        """A clean spec: known facets only, each value once, a known sort order."""
        clean: dict[str, list[str]] = {}
        for name in FACET_NAMES:
            values = [str(v).strip()[:200] for v in (filters or {}).get(name, [])][:MAX_VALUES]
            values = [v for v in dict.fromkeys(values) if v]
            if values:
                clean[name] = values
        return cls(query=(query or "").strip()[:MAX_QUERY], filters=clean,
                   sort=sort if sort in SORT_ORDERS else "relevance")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SearchSpec:
        return cls.of(str(data.get("q", "")), data.get("filters") or {}, str(data.get("sort", "relevance")))

    def to_json(self) -> dict[str, Any]:
        return {"q": self.query, "filters": self.filters, "sort": self.sort}

    @property
    def is_empty(self) -> bool:
        return not self.query and not self.filters

    def querystring(self) -> str:
        """The search page's query string (no leading "?")."""
        pairs: list[tuple[str, str]] = [("q", self.query)]
        for name, values in self.filters.items():
            pairs.extend((name, value) for value in values)
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        return urlencode(pairs)

    def to_request(self, **overrides: Any) -> SearchRequest:
        return SearchRequest(query=self.query, filters={k: list(v) for k, v in self.filters.items()},
                             sort=self.sort, **overrides)  # type: ignore[arg-type]

    def key(self) -> tuple[str, tuple[tuple[str, tuple[str, ...]], ...], str]:
        """Equal for the same search whatever the order of the filters."""
        return (self.query, tuple(sorted((k, tuple(sorted(v))) for k, v in self.filters.items())), self.sort)
