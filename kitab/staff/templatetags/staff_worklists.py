"""`{% my_record_lists as lists %}`: the record lists the signed-in staff member may add records to."""

from __future__ import annotations

from typing import Any

from django import template

from kitab.core.alphabetical import alphabetical
from kitab.worklists.selectors import lists_for

register = template.Library()


@register.simple_tag(takes_context=True)
def my_record_lists(context: dict[str, Any]) -> list[Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return alphabetical(lists_for(user.pk), key=lambda record_list: record_list.name)
