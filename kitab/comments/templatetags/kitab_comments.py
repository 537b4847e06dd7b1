"""The comments section of the OPAC record page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from kitab.opac.patron_request import current_patron, login_url

from .. import selectors
from ..forms import CommentForm
from ..policy import display_name

register = template.Library()


@register.inclusion_tag("comments/_record_comments.html", takes_context=True)
def record_comments(context: dict[str, Any], record_id: int) -> dict[str, Any]:
    request = context["request"]
    patron = current_patron(request)
    published = list(selectors.published(record_id))
    for comment in published:
        comment.display_name = display_name(comment.patron)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "record_id": record_id,
        "published": published,
        "own": [c for c in selectors.own_on_record(patron, record_id) if c.status != "approved"] if patron else [],
        "patron": patron,
        "own_published_ids": {c.pk for c in published if patron and c.patron_id == patron.pk},
        "form": CommentForm(auto_id="comment-%s"),
        "login_url": login_url(request.get_full_path() + "#comments"),
    }


@register.inclusion_tag("comments/_staff_link.html", takes_context=True)
def staff_comments_link(context: dict[str, Any], section: str | None) -> dict[str, Any]:
    """The staff bar's link to the moderation queue, with how many comments wait; only for staff who may
    moderate."""
    from kitab.staff.actors import holds

    from ..views_staff import MODERATE

    request = context.get("request")
    if request is None or not holds(request, MODERATE):
        return {"shown": False}
    return {"shown": True, "current": section == "comments", "waiting": selectors.moderation_queue().count()}


@register.filter
def bdi(value: object) -> str:
    """Isolate a name's writing direction ("Aysel M." inside a Persian sentence keeps its full stop in place)."""
    return format_html("<bdi>{}</bdi>", value)
