"""Possible duplicates of an incoming record among local records, for the preview and the report: a thin
adapter over the catalogue's duplicate detection (kitab.catalogue.duplicates: 001/003, 035, LCCN, ISBN, then
normalised title + author + year), which the editor's save uses too."""

from __future__ import annotations

from dataclasses import dataclass, field

from kitab.catalogue.duplicates import REASONS, find_duplicates
from kitab.marc.summary import BibSummary


@dataclass
class Duplicate:
    record_id: int
    title: str = ""
    reasons: list[str] = field(default_factory=list)  # kitab.catalogue.duplicates.REASONS keys

    def as_json(self) -> dict[str, object]:
        return {"record_id": self.record_id, "title": self.title[:200], "reasons": self.reasons}


def candidates(summary: BibSummary, *, exclude: set[int] | None = None) -> list[Duplicate]:
    """Local records that may describe the same thing as `summary`, strongest evidence first; `exclude`: the
    record the import matched (it is the one being updated, not a duplicate)."""
    skip = set(exclude or ())
    found = find_duplicates(summary, exclude=min(skip) if len(skip) == 1 else None)
    return [Duplicate(c.record.pk, c.record.title, list(c.reasons)) for c in found if c.record.pk not in skip]


def reason_label(reason: str) -> str:
    return str(REASONS.get(reason, reason))
