"""Possible duplicates of an incoming record among local records, for the preview and the report: a thin
adapter over the catalogue's duplicate detection (kitab.catalogue.duplicates), which the editor uses too."""

from __future__ import annotations

from dataclasses import dataclass, field

from kitab.marc.summary import BibSummary


@dataclass
class Duplicate:
    record_id: int
    title: str = ""
    reasons: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {"record_id": self.record_id, "title": self.title, "reasons": self.reasons}


def candidates(summary: BibSummary, *, exclude: set[int] | None = None) -> list[Duplicate]:
    return []
