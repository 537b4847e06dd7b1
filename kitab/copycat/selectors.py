"""Read queries: the enabled targets, and local records a remote record may duplicate."""

from __future__ import annotations

from dataclasses import dataclass, field

import pymarc
from django.db.models import Q, QuerySet

from kitab.catalogue import matching
from kitab.catalogue.models import Record, RecordIdentifier
from kitab.marc.mapping import summarize

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
    """Local (non-harvested) records with the same control number (003|001), 035, ISBN or LCCN."""
    rows = matching.identifier_rows(summarize(record))
    if not rows:
        return []
    wanted = Q()
    for kind, value in rows:
        wanted |= Q(kind=kind, value=value)
    found: dict[int, list[str]] = {}
    for record_id, kind in (
        RecordIdentifier.objects.filter(wanted, record__source="").values_list("record_id", "kind").order_by("record_id")
    ):
        kinds = found.setdefault(record_id, [])
        if kind not in kinds:
            kinds.append(kind)
    strength = {kind: n for n, kind in enumerate(("ctl", "035", "lccn", "isbn"))}
    ranked = sorted(found.items(), key=lambda item: (min(strength.get(k, 9) for k in item[1]), item[0]))[:limit]
    records = Record.objects.defer("raw").in_bulk([record_id for record_id, _kinds in ranked])
    return [
        Candidate(records[record_id], sorted(kinds, key=lambda k: strength.get(k, 9)))
        for record_id, kinds in ranked
        if record_id in records
    ]
