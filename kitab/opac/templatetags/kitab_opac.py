"""Template helpers of the public catalogue: search links and the human names of MARC codes."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from kitab.catalogue.display import language_name as _language_name
from kitab.catalogue.display import material_type_name as _material_type_name

register = template.Library()


@register.filter
def search_url(query: str) -> str:
    """The OPAC search page for `query` (a query string such as `subject:"Folklore"`)."""
    return reverse("opac:search") + "?" + urlencode({"q": query})


@register.filter
def language_name(code: str) -> object:
    return _language_name(code)


@register.filter
def material_type_name(code: str) -> object:
    return _material_type_name(code)


@register.filter
def holder_links(hit: object, names: dict[str, str]) -> list[tuple[str, int | None]]:
    """(library name, record id or None) for each library holding a grouped hit's work, the hit's own first."""
    records: dict[str, int] = getattr(hit, "holder_records", {}) or {}
    return [(names.get(code, code), records.get(code)) for code in getattr(hit, "holders", [])]


@register.filter
def item_of(mapping: dict[object, object] | None, key: object) -> object:
    """`mapping[key]`, or None: `{{ vernacular|item_of:hit.record_id }}`."""
    return (mapping or {}).get(key)
