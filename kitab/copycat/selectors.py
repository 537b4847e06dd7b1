"""Read queries: the enabled targets, and local records a remote record may duplicate."""

from __future__ import annotations

from dataclasses import dataclass, field

import pymarc
from django.db.models import QuerySet

from kitab.catalogue import matching
from kitab.catalogue.duplicates import find_duplicates
from kitab.catalogue.models import Record, RecordIdentifier

from .models import RemoteTarget

MAX_CANDIDATES = 10


@dataclass(slots=True)
class Candidate:
    """A local record sharing an identifier with a remote one; `kinds` says which (ctl, 035, isbn, lccn)."""

    record: Record
    kinds: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [str(RecordIdentifier.Kind(kind).label) for kind in self.kinds]

    @property
    def updates_on_import(self) -> bool:
        """Whether importing the remote record replaces this one (the import service matches on 001/003 and 035)."""
        return any(kind in matching.MATCH_KINDS for kind in self.kinds)


def enabled_targets() -> QuerySet[RemoteTarget]:
    return RemoteTarget.objects.filter(enabled=True).order_by("name")


def local_candidates(record: pymarc.Record, *, limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """Local (non-harvested) records with the same control number (003|001), 035, ISBN or LCCN: the
    catalogue's duplicate check (kitab.catalogue.duplicates) on identifiers only, strongest evidence first."""
    found = find_duplicates(record, limit=limit, by_title=False)
    return [Candidate(candidate.record, list(candidate.reasons)) for candidate in found]
