"""The staff header's branch picker."""

from __future__ import annotations

from typing import Any

from django import template

from kitab.core.alphabetical import alphabetical
from kitab.items.models import Branch
from kitab.staff.actors import desk_branch

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_branches(context: Any) -> dict[str, Any]:
    """{"branches": every branch, "current": the desk branch of this session}."""
    request = context.get("request")
    current = desk_branch(request) if request is not None else None
    return {"branches": alphabetical(Branch.objects.order_by("name", "code"), key=lambda b: b.name), "current": current}
