"""Read queries about member libraries and record sources."""

from __future__ import annotations

from django.conf import settings

from kitab.catalogue.models import Record
from kitab.search.types import LOCAL_LIBRARY

from .models import MemberLibrary


def library_names() -> dict[str, str]:
    """Display name by `library` facet value: member libraries by code, our own records by the site's name."""
    names = dict(MemberLibrary.objects.values_list("code", "name"))
    names[LOCAL_LIBRARY] = settings.KITAB_LIBRARY_NAME
    return names


def has_several_sources() -> bool:
    """Whether the catalogue holds records of more than one library (ours and members', or several members)."""
    first = Record.objects.order_by("source").values_list("source", flat=True).first()
    # A range on the source index: answered without scanning the records of the first source.
    return first is not None and Record.objects.filter(source__gt=first).exists()
