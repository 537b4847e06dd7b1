"""Showing a remembered search in words, and the "save this search" form of the results page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from kitab.opac.forms import SORT_CHOICES
from kitab.opac.patron_request import current_patron, login_url

from ..spec import SearchSpec

register = template.Library()


@register.simple_tag
def search_parts(spec: SearchSpec) -> list[tuple[str, str]]:
    """(label, value) pairs describing a search: its words, each filter, a sort other than relevance."""
    from kitab.opac.views import FACET_TITLES, value_label

    parts: list[tuple[str, str]] = []
    if spec.query:
        parts.append((_("Words"), spec.query))
    for name, values in spec.filters.items():
        title = FACET_TITLES.get(name, name)
        parts.append((str(title), ", ".join(str(value_label(name, v, {})) for v in values)))
    if spec.sort != "relevance":
        parts.append((_("Sort by"), str(dict(SORT_CHOICES).get(spec.sort, spec.sort))))
    return parts


@register.inclusion_tag("savedsearches/_save_form.html", takes_context=True)
def save_search_form(context: dict[str, Any], params: Any) -> dict[str, Any]:
    request = context["request"]
    patron = current_patron(request)
    return {
        "csrf_token": context.get("csrf_token"),
        "params": params,
        "filter_items": [(name, value) for name, values in params.filters.items() for value in values],
        "patron": patron,
        "suggested_name": (params.query or "")[:120],
        "login_url": login_url(request.get_full_path()),
        "next": request.get_full_path(),
        # The results page's own toolbar also offers the page's records to the cart (kitab.lists).
        "page_ids": [hit.record_id for hit in context.get("hits") or []],
    }
