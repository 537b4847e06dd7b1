"""The public catalogue: home page, search results, record page. Views only read; searching goes through the one
search service (`kitab.search.services.search`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from kitab.catalogue.display import (
    display_record,
    language_name,
    marc_lines,
    material_type_name,
    record_from_raw,
)
from kitab.catalogue.models import Record
from kitab.catalogue.selectors import vernacular_titles
from kitab.consortium.selectors import has_several_sources, library_names
from kitab.core.alphabetical import alphabetical
from kitab.items.models import Branch, Item
from kitab.savedsearches.web import keeps_search_history, remember_search
from kitab.search.browse import browse
from kitab.search.services import search
from kitab.search.spelling import did_you_mean
from kitab.search.suggestions import suggest
from kitab.search.types import FACET_NAMES, QuerySyntaxError, SearchRequest, SearchResult

from .forms import MAX_PAGE, PAGE_SIZE, SORT_CHOICES, SearchParams, parse_search
from .holdings import record_holdings

FACET_TITLES: dict[str, Promise] = {
    "language": _("Language"),
    "material_type": _("Type of material"),
    "year": _("Year"),
    "author": _("Author"),
    "subject": _("Subject"),
    "branch": _("Library branch"),
    "available": _("Availability"),
    "library": _("Library"),
}
AVAILABILITY: dict[str, Promise] = {"yes": _("Available now"), "no": _("Not available now")}

# Messages for the search service's error codes; the service's own text is the fallback.
QUERY_ERRORS: dict[str, Promise] = {
    "bad_year": _(
        "The year in your search could not be read. Write year:1990, year:1990-2000, year:>1990 or "
        "year:<2000."
    ),
    "too_long": _("Your search is too long. Please shorten it."),
    "too_many_terms": _("Your search has too many words. Please use fewer words."),
    "bad_sort": _("This sort order is not available."),
    "bad_filter": _("One of the filters is not available."),
}

EXAMPLE_SEARCHES: list[tuple[str, Promise]] = [
    ('subject:"Azerbaijani language"', _("Books about the Azerbaijani language")),
    ("subject:folklore", _("Folklore and folk tales")),
    ("title:poems year:1990-2000", _("Poems published 1990–2000")),
    ("language:tur history", _("History books in Turkish")),
    ("Nesimi", _("Finds “Nəsimi” too: letters with and without accents match")),
]

SEARCH_TIPS: list[tuple[str, Promise]] = [
    ("title:", _("words in the title, e.g. title:divan")),
    ("author:", _("an author, e.g. author:Vahid")),
    ("subject:", _("a subject, e.g. subject:folklore")),
    ("series:", _("a series title")),
    ("publisher:", _("a publisher, e.g. publisher:Maarif")),
    ("isbn:", _("an ISBN, with or without hyphens")),
    ("year:1990-2000", _("a year or a range of years; also year:>1990")),
    ("language:tur", _("a language by its MARC code: aze, tur, rus, eng…")),
    ('"…"', _('quotes find an exact phrase, e.g. "Turkish poetry"')),
    ("-word", _("a minus sign excludes a word; OR finds either word")),
]


@dataclass(slots=True)
class FacetChoice:
    value: str
    label: object
    count: int
    selected: bool
    url: str


@dataclass(slots=True)
class FacetGroup:
    name: str
    title: object
    choices: list[FacetChoice] = field(default_factory=list)

    @property
    def head(self) -> list[FacetChoice]:
        return self.choices[:8]

    @property
    def tail(self) -> list[FacetChoice]:
        return self.choices[8:]


@dataclass(slots=True)
class Chip:
    name: str
    title: object
    label: object
    url: str


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "record_count": Record.objects.count(),
        "copy_count": Item.objects.count(),
        "examples": EXAMPLE_SEARCHES,
        "tips": SEARCH_TIPS,
    }
    return render(request, "opac/home.html", context)


@require_safe
@keeps_search_history
def search_results(request: HttpRequest) -> HttpResponse:
    params = parse_search(request.GET)
    context: dict[str, object] = {
        "params": params,
        "sort_choices": SORT_CHOICES,
        "tips": SEARCH_TIPS,
        "filter_items": [(name, value) for name, values in params.filters.items() for value in values],
    }
    search_request = params.to_request()
    # A union catalogue shows a book held by several member libraries once, with every holder.
    search_request.group = has_several_sources()
    try:
        result = search(search_request)
    except QuerySyntaxError as exc:
        context["error"] = QUERY_ERRORS.get(exc.code, exc.message)
        return render(request, "opac/search.html", context, status=400)

    branch_names = (
        dict(Branch.objects.values_list("code", "name")) if _mentions_branches(result, params) else {}
    )
    if search_request.group or "library" in params.filters:
        # Library names ride in the same label map as branch names, under "library:CODE".
        branch_names = {**branch_names, **{f"library:{code}": name for code, name in library_names().items()}}
    else:
        result.facets.pop("library", None)  # one source only: a facet with a single value says nothing
    context["did_you_mean"] = _did_you_mean(params, request.GET, result.total)
    remember_search(request, query=params.query, filters=params.filters, sort=params.sort, page=params.page,
                    total=result.total)
    shown = result.total_groups if result.total_groups is not None else result.total
    pages = max(1, min(math.ceil(shown / PAGE_SIZE), MAX_PAGE))
    context.update(
        result=result,
        hits=result.hits,
        grouped=search_request.group,
        library_names={k.removeprefix("library:"): v for k, v in branch_names.items() if k.startswith("library:")},
        first_number=(params.page - 1) * PAGE_SIZE + 1,
        last_number=(params.page - 1) * PAGE_SIZE + len(result.hits),
        facet_groups=_facet_groups(result, request.GET, branch_names),
        vernacular=vernacular_titles([hit.record_id for hit in result.hits]),
        chips=_chips(params, request.GET, branch_names),
        pagination=_pagination(params.page, pages, request.GET),
        pages=pages,
    )
    return render(request, "opac/search.html", context)


SUGGESTION_KINDS: dict[str, Promise] = {"title": _("Title"), "author": _("Author"), "subject": _("Subject")}


@require_safe
def search_suggestions(request: HttpRequest) -> JsonResponse:
    """Search-as-you-type for the search boxes (opac/suggest.js): titles, authors and subjects for what has been
    typed so far, each with the search that finds it."""
    text = request.GET.get("q", "")
    found = [
        {**s.as_dict(), "kind_label": str(SUGGESTION_KINDS[s.kind]),
         "url": reverse("opac:search") + "?" + urlencode({"q": s.query})}
        for s in suggest(text.replace("\x00", ""))
    ]
    response = JsonResponse({"query": text, "suggestions": found})
    response["Cache-Control"] = "max-age=60"
    return response


BROWSE_KINDS: dict[str, Promise] = {"author": _("Browse authors"), "subject": _("Browse subjects")}
BROWSE_PAGE = 50
# The alphabet bar: the Azerbaijani/Turkish/Turkmen Latin letters, then Cyrillic with the Kazakh and Kyrgyz ones.
BROWSE_LETTERS = (list("ABCÇDEƏFGĞHXIİJKQLMNOÖPRSŞTUÜVWYZ"), list("АӘБВГҒДЕЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЫІЭЮЯ"))


@require_safe
def browse_headings(request: HttpRequest, kind: str) -> HttpResponse:
    """An alphabetical list of authors or subjects starting with the letters asked for, each a link to its
    records (the facet filter of the search page)."""
    if kind not in BROWSE_KINDS:
        raise Http404
    start = request.GET.get("start", "").replace("\x00", "").strip()
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    found = browse(kind, start, limit=BROWSE_PAGE, offset=(page - 1) * BROWSE_PAGE)
    search_url = reverse("opac:search")
    rows = [(h, search_url + "?" + urlencode({kind: h.text})) for h in found.headings]
    pages = max(1, math.ceil(found.total / BROWSE_PAGE))
    context = {
        "kind": kind, "title": BROWSE_KINDS[kind], "start": start, "rows": rows, "heading_total": found.total,
        "letters": BROWSE_LETTERS, "other_kind": "subject" if kind == "author" else "author",
        "other_title": BROWSE_KINDS["subject" if kind == "author" else "author"],
        "pagination": _pagination(page, pages, request.GET) if found.total else None,
    }
    return render(request, "opac/browse.html", context)


@require_safe
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    marc = record_from_raw(record.raw)
    copies, branches = record_holdings(record.pk)
    branches = alphabetical(branches, key=lambda b: b.name)  # the database sorts names by code point
    is_staff = request.user.is_authenticated and request.user.is_staff
    context = {
        "record": record,
        "display": display_record(marc),
        "material_type": material_type_name(record.material_type),
        "copies": copies,
        "branches": branches,
        "available_count": sum(1 for copy in copies if copy.available),
        "marc_lines": marc_lines(marc) if is_staff else None,
        "show_staff": is_staff,
    }
    return render(request, "opac/record.html", context)


# -- presentation helpers ----------------------------------------------------------------------------------------

#: A search finding fewer records than this gets a spelling suggestion when one finds more.
DID_YOU_MEAN_BELOW = 3


def _did_you_mean(params: SearchParams, data: QueryDict, total: int) -> dict[str, object] | None:
    if total >= DID_YOU_MEAN_BELOW or not params.query:
        return None
    corrected = did_you_mean(params.query)
    if corrected is None:
        return None
    query = data.copy()
    query.pop("page", None)
    query["q"] = corrected
    found = search(SearchRequest(query=corrected, filters=params.filters, limit=0, facets=False)).total
    if found <= total:
        return None  # with the reader's filters the correction finds no more
    return {"query": corrected, "url": "?" + query.urlencode(), "total": found}



def _mentions_branches(result: SearchResult, params: SearchParams) -> bool:
    return bool(result.facets.get("branch")) or "branch" in params.filters


def value_label(name: str, value: str, branch_names: dict[str, str]) -> object:
    """What a facet value reads as: language and material type names, branch names, availability words."""
    if name == "language":
        return language_name(value)
    if name == "material_type":
        return material_type_name(value)
    if name == "branch":
        return branch_names.get(value, value)
    if name == "available":
        return AVAILABILITY.get(value, value)
    if name == "library":
        return branch_names.get(f"library:{value}", value)
    return value


def toggled_url(data: QueryDict, name: str, value: str) -> str:
    """The current search with `value` added to or removed from filter `name`, back on page one."""
    # Built from (key, value) pairs: QueryDict.copy() deep-copies, and this runs for every facet value shown.
    current = data.getlist(name)
    values = [v for v in current if v != value] if value in current else [*current, value]
    pairs: list[tuple[str, str]] = []
    for key, listed in data.lists():
        if key != "page":
            pairs.extend((key, v) for v in (values if key == name else listed))
    if name not in data:
        pairs.extend((name, v) for v in values)
    return "?" + urlencode(pairs)


def _facet_groups(result: SearchResult, data: QueryDict, branch_names: dict[str, str]) -> list[FacetGroup]:
    groups: list[FacetGroup] = []
    for name in FACET_NAMES:
        values = result.facets.get(name) or []
        if not values:
            continue
        group = FacetGroup(name=name, title=FACET_TITLES[name])
        for facet in values:
            group.choices.append(
                FacetChoice(
                    value=facet.value,
                    label=value_label(name, facet.value, branch_names),
                    count=facet.count,
                    selected=facet.selected,
                    url=toggled_url(data, name, facet.value),
                )
            )
        if name != "year":  # years come newest first; other values by count, equal counts alphabetically
            group.choices = alphabetical(group.choices, key=lambda c: c.label)
            group.choices.sort(key=lambda c: -c.count)
        # Selected values first, so they are never hidden behind "more".
        group.choices.sort(key=lambda c: not c.selected)
        groups.append(group)
    return groups


def _chips(params: SearchParams, data: QueryDict, branch_names: dict[str, str]) -> list[Chip]:
    return [
        Chip(
            name=name,
            title=FACET_TITLES[name],
            label=value_label(name, value, branch_names),
            url=toggled_url(data, name, value),
        )
        for name, values in params.filters.items()
        for value in values
    ]


def page_url(data: QueryDict, page: int) -> str:
    query = data.copy()
    if page <= 1:
        query.pop("page", None)
    else:
        query["page"] = str(page)
    return "?" + query.urlencode()


@dataclass(slots=True)
class PageLink:
    number: int | None  # None: a gap ("…")
    url: str = ""
    current: bool = False


@dataclass(slots=True)
class Pagination:
    previous: str | None
    next: str | None
    links: list[PageLink]


def _pagination(page: int, pages: int, data: QueryDict) -> Pagination | None:
    if pages <= 1:
        return None
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[PageLink] = []
    previous_number = 0
    for number in shown:
        if number - previous_number > 1:
            links.append(PageLink(number=None))
        links.append(PageLink(number=number, url=page_url(data, number), current=number == page))
        previous_number = number
    return Pagination(
        previous=page_url(data, page - 1) if page > 1 else None,
        next=page_url(data, page + 1) if page < pages else None,
        links=links,
    )
