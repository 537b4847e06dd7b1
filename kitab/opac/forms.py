"""Reading the search page's query string into a `SearchRequest`.

Nothing a visitor types into the address bar may raise: unknown sort orders, page numbers that are not numbers and
empty filter values fall back to defaults. Only the query text itself can be refused, by the search service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kitab.search.types import FACET_NAMES, SearchRequest

PAGE_SIZE = 20
# Deep pages cost the engine more and nobody reads them; narrow the search instead.
MAX_PAGE = 250
MAX_FILTER_VALUES = 20
MAX_FILTER_CHARS = 200

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("year_desc", _("Newest first")),
    ("year_asc", _("Oldest first")),
    ("title", _("Title A–Z")),
    ("author", _("Author A–Z")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the catalogue"), required=False, max_length=2000, strip=True)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(required=False, min_value=1)


@dataclass(slots=True)
class SearchParams:
    query: str = ""
    sort: str = "relevance"
    page: int = 1
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.query and not self.filters

    def to_request(self) -> SearchRequest:
        return SearchRequest(
            query=self.query,
            filters={name: list(values) for name, values in self.filters.items()},
            limit=PAGE_SIZE,
            offset=(self.page - 1) * PAGE_SIZE,
            sort=self.sort,  # type: ignore[arg-type]
        )


def parse_search(data: QueryDict) -> SearchParams:
    """The search parameters in `data` (request.GET); invalid parts are dropped, never raised."""
    form = SearchForm(data)
    form.is_valid()
    cleaned = form.cleaned_data
    query = cleaned.get("q") or ""
    if "q" in form.errors:  # too long: keep it, the search service explains what is wrong
        query = (data.get("q") or "").strip()
    sort = cleaned.get("sort") or "relevance"
    page = min(cleaned.get("page") or 1, MAX_PAGE)
    filters: dict[str, list[str]] = {}
    for name in FACET_NAMES:
        values: list[str] = []
        for raw in data.getlist(name)[:MAX_FILTER_VALUES]:
            value = raw.strip()[:MAX_FILTER_CHARS]
            if value and value not in values:
                values.append(value)
        if values:
            filters[name] = values
    return SearchParams(query=query, sort=sort, page=page, filters=filters)
