"""Reactions to other apps: link the headings of stored bibliographic records; give the search index the
variant forms of linked authorities."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pymarc
from django.db.models.signals import post_save
from django.dispatch import receiver

from kitab.catalogue.models import Record
from kitab.catalogue.signals import records_stored
from kitab.marc.errors import MarcError
from kitab.marc.iso2709 import parse_record
from kitab.search.documents import register_form_provider
from kitab.search.types import IndexDoc

from . import linking

log = logging.getLogger(__name__)

# Set while a heading update job saves records: the job knows exactly which link each save changes and updates
# those rows itself, a batch at a time, instead of relinking every heading of every saved record.
_relink_suspended: ContextVar[bool] = ContextVar("authorities_relink_suspended", default=False)


@contextmanager
def relinking_suspended() -> Iterator[None]:
    token = _relink_suspended.set(True)
    try:
        yield
    finally:
        _relink_suspended.reset(token)


@receiver(records_stored, dispatch_uid="authorities-link-stored-records")
def link_stored_records(sender: Any, records: dict[int, pymarc.Record], **kwargs: Any) -> None:
    """An import batch: link its records' headings before their search documents are built."""
    linking.link_records(records)


@receiver(post_save, sender=Record, dispatch_uid="authorities-link-saved-record")
def link_saved_record(sender: Any, instance: Record, raw: bool = False, **kwargs: Any) -> None:
    """One record saved (the editor, an authority update, a merge): link its headings again."""
    if raw or not instance.raw or _relink_suspended.get():
        return
    try:
        marc, _warnings = parse_record(bytes(instance.raw))
    except (MarcError, ValueError):
        log.warning("record %s: cannot read its MARC to link headings", instance.pk)
        return
    linking.link_records({instance.pk: marc})


def _add_forms(docs: list[IndexDoc]) -> None:
    for start in range(0, len(docs), 2000):
        chunk = docs[start : start + 2000]
        forms = linking.extra_forms([doc.record_id for doc in chunk])
        for doc in chunk:
            extra = forms.get(doc.record_id)
            if extra:
                doc.extra_forms = {group: list(dict.fromkeys(values)) for group, values in extra.items()}


register_form_provider(_add_forms)
