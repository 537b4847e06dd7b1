"""Cart and list buttons for the OPAC's result and record pages, and the header's cart count."""

from __future__ import annotations

from typing import Any

from django import template

from kitab.core.alphabetical import alphabetical
from kitab.opac.patron_request import current_patron

from .. import selectors
from ..cart import Cart

register = template.Library()


def _patron_lists(request: Any) -> list[Any]:
    """The patron's lists, read once per request however many results show buttons."""
    cached = getattr(request, "_kitab_lists", None)
    if cached is None:
        patron = current_patron(request)
        cached = alphabetical(selectors.lists_of(patron), key=lambda pl: pl.name) if patron else []
        request._kitab_lists = cached
    return cached


@register.simple_tag(takes_context=True)
def cart_count(context: dict[str, Any]) -> int:
    request = context.get("request")
    return len(Cart(request.session)) if request is not None and hasattr(request, "session") else 0


@register.inclusion_tag("lists/_record_actions.html", takes_context=True)
def record_actions(context: dict[str, Any], record_id: int, title: str = "", compact: bool = False) -> dict[str, Any]:
    request = context["request"]
    patron = current_patron(request)
    lists = _patron_lists(request) if patron else []
    holding = selectors.lists_holding(patron, record_id) if lists else set()
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "record_id": record_id,
        "title": title,
        "compact": compact,
        "in_cart": record_id in Cart(request.session),
        "patron": patron,
        "lists": lists,
        "on_lists": [item for item in lists if item.pk in holding],
        # Back to this result after the post, so keyboard and screen-reader users keep their place in the list.
        "next": f"{request.get_full_path()}#actions-{record_id}",
    }
