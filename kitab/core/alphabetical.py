"""Alphabetical order for the interface language in use: the adapters' side of kitab.textnorm.collation.

Services and selectors take the language as an argument (they never read the request); views and forms, which
render in the language the visitor chose, get it here. Databases sort by code point (or by a collation that knows
none of our alphabets), so a list people read in alphabetical order is re-sorted in Python after the query, which
is bounded: branches, categories, a patron's lists, one page of search results. See docs/translating.md
("Alphabetical order").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.utils.translation import get_language

from kitab.textnorm.collation import sort_key

T = TypeVar("T")


def interface_language() -> str:
    """The language the current request renders in (the default language outside a request)."""
    return get_language() or settings.LANGUAGE_CODE


def alphabetical(items: Iterable[T], key: Callable[[T], object] = str, language: str | None = None) -> list[T]:
    """`items` in the alphabetical order of `language` (default: the interface language). `key` gives the text,
    or a tuple of texts compared one after the other (surname, then first name: "Aliyev" before "Aliyeva")."""
    language = language or interface_language()

    def collated(item: T) -> tuple[object, ...]:
        text = key(item)
        parts = text if isinstance(text, tuple) else (text,)
        return tuple(_cached_key(str(part), language) for part in parts)

    return sorted(items, key=collated)


@lru_cache(maxsize=8192)
def _cached_key(text: str, language: str) -> tuple[object, ...]:
    # The same few thousand names (branches, facet labels, categories) are sorted on every page.
    return sort_key(text, language)


class AlphabeticalChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a model picker sorted by their labels for the language the form renders in (at render
    time, so one form class serves every language); the empty choice stays first."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        if not queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
            queryset = queryset.iterator()
        yield from alphabetical((self.choice(obj) for obj in queryset), key=lambda choice: choice[1])


class AlphabeticalModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options read in alphabetical order for the interface language (branches,
    patron categories): the database's ORDER BY knows neither Turkish ç nor Azerbaijani ə."""

    iterator = AlphabeticalChoiceIterator
