from __future__ import annotations

from django import template

from kitab.imports.duplicates import reason_label

register = template.Library()


@register.filter
def reason_labels(reasons: list[str]) -> str:
    """Why a record may be a duplicate, for people: "ISBN, title + author + year"."""
    return ", ".join(reason_label(reason) for reason in reasons)
