"""Read queries for the cataloguer's authority pages: search, heading browse, linked records."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from kitab.textnorm import fold

from .models import Authority, AuthorityForm, HeadingLink


def with_link_counts(queryset: QuerySet[Authority]) -> QuerySet[Authority]:
    return queryset.annotate(link_count=Count("links__record", distinct=True))


def search(query: str, *, kind: str = "", limit: int = 50, offset: int = 0) -> tuple[list[Authority], int]:
    """Authorities whose heading or a "see from"/"see also" form contains every word of `query`, as a prefix
    of a word of the folded text (so "aliyev heyd" and "Алиев" find "Əliyev, Heydər"), best first: headings
    starting with the query, then the rest in heading order. Returns (page, total)."""
    words = fold(query).split()
    queryset = Authority.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    for word in words[:8]:
        starts = Q(heading_key__startswith=word) | Q(heading_key__contains=" " + word)
        in_forms = AuthorityForm.objects.filter(Q(key__startswith=word) | Q(key__contains=" " + word))
        queryset = queryset.filter(starts | Q(pk__in=in_forms.values("authority_id")))
    total = queryset.count()
    key = " ".join(words)
    page = list(
        with_link_counts(queryset).order_by("heading_key", "pk")[: max(limit * 4, 200)]
        if key
        else with_link_counts(queryset).order_by("heading_key", "pk")[offset : offset + limit]
    )
    if key:
        page.sort(key=lambda a: (not a.heading_key.startswith(key), a.heading_key))
        page = page[offset : offset + limit]
    return page, total


@dataclass(slots=True)
class BrowsePage:
    entries: list[Authority]
    previous_from: str | None  # the key to browse from for the page before (None: at the start)
    next_from: str | None


def browse(start: str, *, kind: str = "", limit: int = 30) -> BrowsePage:
    """Headings in alphabetical order of their folded key (Turkic and Cyrillic letters folded as in the OPAC, so
    "Çelebi", "Celebi" and "Челеби" stand together), from the first heading at or after `start`."""
    key = fold(start)
    queryset = Authority.objects.all()
    if kind:
        queryset = queryset.filter(kind=kind)
    after = list(
        with_link_counts(queryset.filter(heading_key__gte=key)).order_by("heading_key", "pk")[: limit + 1]
    )
    before = list(queryset.filter(heading_key__lt=key).order_by("-heading_key", "-pk").values_list(
        "heading_key", flat=True
    )[:limit])
    return BrowsePage(
        entries=after[:limit],
        previous_from=before[-1] if before else None,
        next_from=after[limit].heading_key if len(after) > limit else None,
    )


def linked_links(authority: Authority) -> QuerySet[HeadingLink]:
    return (
        HeadingLink.objects.filter(authority=authority)
        .select_related("record")
        .order_by("record__title", "record_id", "tag", "occurrence")
    )


def record_links(record_id: int) -> list[HeadingLink]:
    return list(
        HeadingLink.objects.filter(record_id=record_id).select_related("authority").order_by("tag", "occurrence")
    )


def candidates_for(link: HeadingLink, *, limit: int = 20) -> list[Authority]:
    """Authorities a cataloguer may link an unlinked heading to: same type, heading starting like it."""
    first = link.main_key.split(" ")[0] if link.main_key else ""
    queryset = Authority.objects.filter(tag=link.authority_tag)
    if first:
        queryset = queryset.filter(heading_key__startswith=first)
    return list(with_link_counts(queryset).order_by("heading_key", "pk")[:limit])


def unlinked_headings(*, tag: str = "", limit: int = 50, offset: int = 0) -> tuple[list[dict[str, object]], int]:
    """Headings no authority controls, grouped by key with how many records use them (most used first)."""
    queryset = HeadingLink.objects.filter(authority__isnull=True)
    if tag:
        queryset = queryset.filter(authority_tag=tag)
    grouped = queryset.values("authority_tag", "heading_key").annotate(
        records=Count("record_id", distinct=True)
    )
    total = grouped.count()
    rows = list(grouped.order_by("-records", "heading_key")[offset : offset + limit])
    examples: dict[tuple[str, str], tuple[str, int]] = {}
    for tag_, key, heading, pk in HeadingLink.objects.filter(
        authority__isnull=True, heading_key__in=[row["heading_key"] for row in rows]
    ).values_list("authority_tag", "heading_key", "heading", "pk"):
        examples.setdefault((tag_, key), (heading, pk))
    for row in rows:
        heading, pk = examples.get((str(row["authority_tag"]), str(row["heading_key"])), (row["heading_key"], None))
        row["heading"], row["example"] = heading, pk
    return rows, total
