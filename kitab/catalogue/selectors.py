"""Read queries over the catalogue that more than one adapter needs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Min
from django.db.models.functions import Lower

from .display import Vernacular, display_record, record_from_raw
from .models import Record

# The Record columns that can be browsed as headings (the search engine has no public term dictionary).
BROWSE_COLUMNS = frozenset({"title", "author"})


@dataclass(frozen=True, slots=True)
class Heading:
    key: str  # lower-cased heading: the browse order
    heading: str  # one spelling of it as stored
    count: int  # records carrying exactly this heading (case-insensitively)


def browse_headings(column: str, start: str, position: int, maximum: int) -> list[Heading]:
    """Headings of `column` around `start` in case-insensitive order.

    `start` (lower-case) sits at `position` (1-based) of the list: `position - 1` headings before it, the rest
    from it on; position 0 starts the list just after `start`. At most `maximum` headings.
    """
    if column not in BROWSE_COLUMNS:
        raise ValueError(f"{column!r} cannot be browsed")
    headings = (
        Record.objects.exclude(**{column: ""})
        .annotate(key=Lower(column))
        .values("key")
        .annotate(n=Count("id"), heading=Min(column))
    )
    n_before = min(max(position - 1, 0), maximum)
    before = list(headings.filter(key__lt=start).order_by("-key")[:n_before]) if n_before else []
    after_filter = {"key__gt": start} if position == 0 else {"key__gte": start}
    n_after = maximum - n_before
    after = list(headings.filter(**after_filter).order_by("key")[:n_after]) if n_after > 0 else []
    rows = list(reversed(before)) + after
    return [Heading(row["key"], row["heading"], row["n"]) for row in rows]


def _has_880(raw: bytes) -> bool:
    """Whether the ISO 2709 record's directory lists an 880 field (read without parsing the record)."""
    try:
        base = int(raw[12:17])
    except ValueError:
        return b"880" in raw
    directory = raw[24:base - 1]
    return any(directory[i:i + 3] == b"880" for i in range(0, len(directory) - 11, 12))


def vernacular_titles(record_ids: Sequence[int]) -> dict[int, Vernacular]:
    """The original-script title (the 880 twin of 245) of each of these records that has one, by record id.

    Result lists show the romanised title the search index stores; this adds the title as written in its own
    script (Arabic-script Azerbaijani or Persian, Cyrillic…) for the page of hits shown. One query; only records
    whose directory lists an 880 field are parsed."""
    found: dict[int, Vernacular] = {}
    if not record_ids:
        return found
    for pk, raw in Record.objects.filter(pk__in=list(record_ids)).values_list("pk", "raw"):
        data = bytes(raw)
        if not _has_880(data):
            continue
        vernacular = display_record(record_from_raw(data)).title.vernacular
        if vernacular is not None:
            found[pk] = vernacular
    return found
